"""The alternative a quant would write: Fulcrum's job as a small Python service (pyzmq + numpy).

It is the comparison point of the end-to-end benchmark (scripts/bench.sh), kept deliberately straightforward
but not naive: one SUB socket bound for ticks, one PUB socket bound for parameters, numpy for the grid math.

Per tick: decode (protobuf `fulcrum.v1.Tick`, or cryptofeed's JSON frame), skip non-positive prices, remember
the last price per symbol, and when the tick's exchange time passes the next grid boundary run a grid step.
Per grid step (event time, previous-tick sampling):
    r_i     = ln(p_i / p_i_prev)                         grid log return (0 for an asset without two prices)
    C       = λ·C + (1 − λ)·r rᵀ,   W = λ·W + (1 − λ)    EWMA covariance, λ = 2^(−Δ/half-life)
    σ_i     = √(C_ii / W)                                bias-corrected EWMA volatility per step
    ρ_ij    = C_ij / √(C_ii·C_jj)                        correlation
    σ_h     = σ·√(H/Δ)                                   over the liquidation horizon H
    IMF     = min(max(z·σ_h·(1 + buffer), floor), 1),  MMF = 0.6·IMF,  max leverage = ⌊1/IMF⌋
then publish one `RiskParameters` per symbol (`risk.<SYMBOL>`) and one `PortfolioUpdate` (`portfolio`), each as
`[topic, payload, 8-byte big-endian sequence]`, as Fulcrum does.

    python3 -m fulcrum_tools.bench.alternative --feed tcp://127.0.0.1:7600 --publish tcp://127.0.0.1:7601
        [--encoding protobuf|cryptofeed]

SIGTERM or SIGINT stop it; it then prints {"received": N, "accepted": N, "rejected": N, "steps": N}.
"""
import argparse
import json
import math
import signal
import time

import numpy as np
import zmq

from fulcrum_tools.protos import generated
from fulcrum_tools.sockets import publisher, subscriber
from fulcrum_tools.wire import sequence_frame

tick_pb2, risk_pb2 = generated()

Z_99 = 2.5758293035489  # two-sided 99 % normal quantile
BUFFER = 0.25           # anti-procyclical buffer
FLOOR = 0.02            # smallest initial margin fraction


class Service:
    def __init__(self, grid_ns, half_life_s, horizon_s, capacity=1024):
        self.grid_ns = grid_ns
        self.lam = 2.0 ** (-(grid_ns / 1e9) / half_life_s)
        self.horizon_scale = math.sqrt(horizon_s * 1e9 / grid_ns)
        self.index = {}
        self.symbols = []
        self.topics = []
        self.last = np.full(capacity, np.nan)
        self.previous = np.full(capacity, np.nan)
        self.cov = np.zeros((0, 0))
        self.weight = 0.0
        self.next_boundary = None
        self.steps = 0
        self.sequence = 0
        self.epoch = time.time_ns()

    def register(self, symbol):
        i = len(self.symbols)
        self.index[symbol] = i
        self.symbols.append(symbol)
        self.topics.append(b"risk." + symbol.encode())
        n = len(self.symbols)
        grown = np.zeros((n, n))
        grown[: n - 1, : n - 1] = self.cov
        self.cov = grown
        return i

    def on_tick(self, symbol, price, t, publish):
        i = self.index.get(symbol)
        if i is None:
            i = self.register(symbol)
        if self.next_boundary is None:
            self.next_boundary = (t // self.grid_ns + 1) * self.grid_ns
        while t >= self.next_boundary:
            self.step(self.next_boundary, publish)
            self.next_boundary += self.grid_ns
        self.last[i] = price

    def step(self, boundary, publish):
        n = len(self.symbols)
        p, q = self.last[:n], self.previous[:n]
        valid = np.isfinite(p) & np.isfinite(q)
        r = np.zeros(n)
        r[valid] = np.log(p[valid] / q[valid])
        self.previous[:n] = p
        lam = self.lam
        self.cov *= lam
        self.cov += (1 - lam) * np.outer(r, r)
        self.weight = lam * self.weight + (1 - lam)
        var = np.diag(self.cov) / self.weight
        sigma = np.sqrt(var)
        root = np.sqrt(np.diag(self.cov))
        with np.errstate(divide="ignore", invalid="ignore"):
            corr = self.cov / np.outer(root, root)
        corr = np.nan_to_num(corr)
        sigma_h = sigma * self.horizon_scale
        imf = np.clip(Z_99 * sigma_h * (1 + BUFFER), FLOOR, 1.0)
        mmf = 0.6 * imf
        leverage = np.floor(1.0 / imf).astype(np.int64)
        self.steps += 1
        for i in range(n):
            message = risk_pb2.RiskParameters(
                symbol=self.symbols[i], publisher_epoch=self.epoch, as_of_ns=boundary, grid_step=self.steps,
                status=risk_pb2.ASSET_STATUS_READY, price=float(p[i]) if valid[i] else 0.0,
                imf=float(imf[i]), mmf=float(mmf[i]), max_leverage=int(leverage[i]),
                imf_target=float(imf[i]), mmf_target=float(mmf[i]), max_leverage_target=int(leverage[i]),
                horizon_ns=int(self.grid_ns * self.horizon_scale ** 2))
            message.inputs.sigma_step = float(sigma[i])
            message.inputs.sigma_horizon = float(sigma_h[i])
            message.inputs.sigma_annual = float(sigma[i] * math.sqrt(365 * 86400e9 / self.grid_ns))
            self.sequence += 1
            publish(self.topics[i], message.SerializeToString())
        upper = np.triu_indices(n, 1)
        portfolio = risk_pb2.PortfolioUpdate(
            publisher_epoch=self.epoch, as_of_ns=boundary, grid_step=self.steps, symbols=self.symbols,
            sigma_horizon=sigma_h.tolist(), correlation=corr[upper].tolist(), pair_ready=[True] * len(upper[0]))
        self.sequence += 1
        publish(b"portfolio", portfolio.SerializeToString())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feed", required=True)
    parser.add_argument("--publish", required=True)
    parser.add_argument("--encoding", choices=["protobuf", "cryptofeed"], default="protobuf")
    parser.add_argument("--grid-ns", type=int, default=1_000_000_000)
    parser.add_argument("--half-life-seconds", type=float, default=60.0)
    parser.add_argument("--horizon-seconds", type=float, default=7200.0)
    args = parser.parse_args()

    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))

    ctx = zmq.Context()
    sub = subscriber(ctx, args.feed, [b""], bind=True)
    sub.setsockopt(zmq.RCVTIMEO, 100)
    pub = publisher(ctx, args.publish, bind=True)

    service = Service(args.grid_ns, args.half_life_seconds, args.horizon_seconds)

    def publish(topic, payload):
        pub.send_multipart([topic, payload, sequence_frame(service.sequence)])

    Tick = tick_pb2.Tick
    loads = json.loads
    protobuf = args.encoding == "protobuf"
    received = accepted = 0
    while not stopping:
        try:
            frames = sub.recv_multipart()
        except zmq.Again:
            continue
        except zmq.ZMQError:
            if stopping:
                break
            raise
        received += 1
        if protobuf:
            if len(frames) != 2:
                continue
            tick = Tick.FromString(frames[1])
            symbol, price, t = tick.symbol, tick.price, tick.exchange_time_ns
        else:
            _, _, body = frames[0].partition(b" ")
            update = loads(body)
            symbol = update["symbol"]
            price = float(update["price"]) if "price" in update else (float(update["bid"]) + float(update["ask"])) / 2
            t = int(round(float(update["timestamp"]) * 1e9))
        if not (price > 0 and math.isfinite(price)) or t <= 0:
            continue
        accepted += 1
        service.on_tick(symbol, price, t, publish)

    print(json.dumps({"received": received, "accepted": accepted, "rejected": received - accepted,
                      "steps": service.steps}), flush=True)
    sub.close(0)
    pub.close(0)
    ctx.term()


if __name__ == "__main__":
    main()
