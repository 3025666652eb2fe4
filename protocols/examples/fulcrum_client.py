#!/usr/bin/env python3
"""A complete Fulcrum risk-feed consumer in Python (pyzmq + protobuf), per protocols/README.md.

It subscribes first, asks for a snapshot, applies queued updates newer than the snapshot, follows updates in
sequence, resyncs on gaps, publisher restarts (new epoch), heartbeats ahead of its state, queue overflow and
snapshot timeouts, and reports the publisher dead when it hears nothing for --dead-after seconds.

    python3 protocols/examples/fulcrum_client.py tcp://127.0.0.1:7601 [--snapshot tcp://127.0.0.1:7602]
        [--encoding protobuf|json] [--dead-after S] [--snapshot-timeout S] [--count N] [--seconds S]
        [--position SYMBOL=NOTIONAL ...] [--curve-server-key Z85 --curve-key-file FILE]

Output, one JSON object per line on standard output:
  {"event": "synchronized", "epoch": E, "sequence": S, "symbols": N}     a snapshot was applied
  {"event": "resync", "reason": R}    R: gap, new_epoch, heartbeat_ahead, backlog_overflow, snapshot_timeout
  {"event": "publisher_dead", "silent_for": T}  /  {"event": "publisher_alive"}
  {"topic": ..., "sequence": ..., ...}   each applied update (only without --count/--seconds)
With --count/--seconds, or on SIGTERM/SIGINT, it ends with a summary line: epoch, sequence, snapshots, resyncs,
alive, the parameters per symbol and the portfolio update (as JSON, and as base64 protobuf by topic in "serialized"),
and, with --position, the portfolio margin of those positions.
"""
import argparse
import base64
import json
import math
import os
import signal
import struct
import subprocess
import sys
import time

import zmq

HERE = os.path.dirname(os.path.abspath(__file__))
PROTOCOLS = os.path.dirname(HERE)


def load_generated():
    """Imports the classes protoc generates from protocols/fulcrum/v1, generating them if needed."""
    out = os.environ.get("FULCRUM_PY_OUT", os.path.join(HERE, "generated_py"))
    if not os.path.exists(os.path.join(out, "fulcrum", "v1", "risk_pb2.py")):
        os.makedirs(out, exist_ok=True)
        protos = [os.path.join(PROTOCOLS, "fulcrum", "v1", name) for name in ("tick.proto", "risk.proto")]
        subprocess.run(["protoc", f"--proto_path={PROTOCOLS}", f"--python_out={out}", *protos], check=True)
    sys.path.insert(0, out)
    from fulcrum.v1 import risk_pb2  # noqa: E402
    return risk_pb2


risk_pb2 = load_generated()
from google.protobuf import json_format  # noqa: E402


def snapshot_endpoint_for(publish):
    host, port = publish.rsplit(":", 1)
    return f"{host}:{int(port) + 1}"


class FeedClient:
    """The Clone-pattern state machine of protocols/README.md ("Client state machine") plus its sockets.

    Phases: syncing (a snapshot request is outstanding; updates are queued) and live. Every resync discards the
    queue and sends a new request on a fresh DEALER, so the remainder of an abandoned reply can never be read as
    part of the new one. Liveness is separate: any message on the SUB socket or a snapshot end is "heard"."""

    def __init__(self, publish, snapshot, encoding="protobuf", dead_after=3.0, curve=None, snapshot_timeout=2.0,
                 max_queued=100_000):
        self.ctx = zmq.Context.instance()
        self.publish, self.snapshot_ep, self.encoding = publish, snapshot, encoding
        self.prefix = "json." if encoding == "json" else ""
        self.dead_after, self.snapshot_timeout, self.max_queued = dead_after, snapshot_timeout, max_queued
        self.curve = curve
        self.parameters, self.portfolio = {}, None
        self.epoch, self.sequence = None, 0
        self.live, self.queue, self.items = False, [], []
        self.snapshots, self.resyncs, self.alive = 0, [], False
        self.events = []  # what happened since the caller last emptied it, as JSON-ready dicts
        self.last_heard = time.monotonic()
        self.sub = self._socket(zmq.SUB)
        for topic in ("risk.", "portfolio", "hb"):
            self.sub.setsockopt(zmq.SUBSCRIBE, (self.prefix + topic).encode())
        self.sub.connect(publish)
        self.dealer = None
        self.request_snapshot()

    def _socket(self, kind):
        sock = self.ctx.socket(kind)
        sock.setsockopt(zmq.LINGER, 0)
        if self.curve:
            server_key, public, secret = self.curve
            sock.curve_serverkey, sock.curve_publickey, sock.curve_secretkey = server_key, public, secret
        return sock

    def decode(self, topic, payload):
        name = topic[len(self.prefix):]
        kind = (risk_pb2.RiskParameters if name.startswith("risk.") else
                risk_pb2.PortfolioUpdate if name == "portfolio" else
                risk_pb2.Heartbeat if name == "hb" else
                risk_pb2.SnapshotEnd if name == "snapshot.end" else None)
        if kind is None:
            return name, None
        message = kind()
        if self.encoding == "json":
            json_format.Parse(payload.decode("utf-8"), message)
        else:
            message.ParseFromString(payload)
        return name, message

    def request_snapshot(self):
        """Sends a snapshot request on a fresh DEALER (always: simpler than tracking whether one is outstanding)."""
        if self.dealer is not None:
            self.dealer.close()
        self.dealer = self._socket(zmq.DEALER)
        self.dealer.connect(self.snapshot_ep)
        request = risk_pb2.SnapshotRequest(
            encoding=risk_pb2.ENCODING_JSON if self.encoding == "json" else risk_pb2.ENCODING_PROTOBUF)
        self.dealer.send(request.SerializeToString())
        self.live, self.queue, self.items = False, [], []
        self.requested_at = time.monotonic()

    def resync(self, reason):
        self.resyncs.append(reason)
        self.events.append({"event": "resync", "reason": reason})
        self.request_snapshot()

    def heard(self):
        self.last_heard = time.monotonic()
        if not self.alive:
            self.alive = True
            self.events.append({"event": "publisher_alive"})

    def apply(self, name, message):
        if name == "portfolio":
            self.portfolio = message
        else:
            self.parameters[message.symbol] = message

    def on_update(self, name, message, seq):
        """An update from the SUB socket; returns the list of (name, message) applied."""
        if not self.live:
            if len(self.queue) >= self.max_queued:
                self.resync("backlog_overflow")
            else:
                self.queue.append((seq, name, message))
            return []
        if message.publisher_epoch != self.epoch:
            self.resync("new_epoch")
            return []
        if seq <= self.sequence:
            return []
        if seq != self.sequence + 1:
            self.resync("gap")
            return []
        self.sequence = seq
        self.apply(name, message)
        return [(name, message)]

    def on_heartbeat(self, message):
        """A heartbeat's sequence is the publisher's last update: being behind it means a loss."""
        if not self.live:
            return
        if message.publisher_epoch != self.epoch:
            self.resync("new_epoch")
        elif message.sequence > self.sequence:
            self.resync("heartbeat_ahead")

    def on_snapshot(self, frames):
        """One message of the snapshot reply; at its end returns the list of (name, message) applied."""
        topic, payload, _ = frames
        name, message = self.decode(topic.decode(), payload)
        if self.live:
            return []
        if name != "snapshot.end":
            if message is not None:
                self.items.append((name, message))
            return []
        self.heard()
        applied, nxt = list(self.items), message.sequence
        for seq, qname, qmsg in self.queue:
            if seq <= message.sequence or qmsg.publisher_epoch != message.publisher_epoch:
                continue
            if seq != nxt + 1:
                self.resync("gap")
                return []
            applied.append((qname, qmsg))
            nxt = seq
        self.parameters, self.portfolio = {}, None
        for item in applied:
            self.apply(*item)
        self.epoch, self.sequence, self.live = message.publisher_epoch, nxt, True
        self.snapshots += 1
        self.events.append({"event": "synchronized", "epoch": self.epoch, "sequence": self.sequence,
                            "symbols": len(self.parameters)})
        return applied

    def poll(self, timeout_ms=100):
        """Processes what arrived within timeout_ms, then the dead and snapshot timers; returns applied updates."""
        applied = []
        poller = zmq.Poller()
        poller.register(self.sub, zmq.POLLIN)
        poller.register(self.dealer, zmq.POLLIN)
        events = dict(poller.poll(timeout_ms))
        if self.sub in events:
            while True:
                try:
                    frames = self.sub.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    break
                if len(frames) != 3 or len(frames[2]) != 8:
                    continue
                seq = struct.unpack(">Q", frames[2])[0]
                self.heard()
                name, message = self.decode(frames[0].decode(), frames[1])
                if name == "hb":
                    self.on_heartbeat(message)
                elif message is not None:
                    applied += self.on_update(name, message, seq)
        # A resync above may have replaced the DEALER: only the one still current is read.
        if self.dealer in events or self.dealer.poll(0):
            while True:
                try:
                    frames = self.dealer.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    break
                if len(frames) == 3:
                    applied += self.on_snapshot(frames)
        now = time.monotonic()
        if self.alive and now - self.last_heard > self.dead_after:
            self.alive = False
            self.events.append({"event": "publisher_dead", "silent_for": round(now - self.last_heard, 3)})
        if not self.live and now - self.requested_at > self.snapshot_timeout:
            self.resync("snapshot_timeout")
        return applied


def maintenance_margin(parameters, notional):
    """Maintenance margin of |notional| N under the published tiers: N·mmf − maintenance_deduction of the last tier
    whose notional_floor is ≤ N (the first tier below every floor); N·mmf without tiers."""
    size = abs(notional)
    if not parameters.tiers:
        return size * parameters.mmf
    tier = parameters.tiers[0]
    for candidate in parameters.tiers:
        if candidate.notional_floor <= size:
            tier = candidate
    return size * tier.mmf - tier.maintenance_deduction


def portfolio_margin(parameters, portfolio, positions):
    """Portfolio margin of signed notionals {symbol: notional}, exactly as protocols/README.md ("Portfolio margin")
    and the Swift library compute it; None when an input is missing or the update is malformed."""
    if portfolio is None or not positions:
        return None
    n = len(portfolio.symbols)
    index = {}
    for column, symbol in enumerate(portfolio.symbols):
        index.setdefault(symbol, column)
    packed_size = n * (n + 1) // 2
    if len(portfolio.correlation) != packed_size or len(portfolio.pair_ready) != packed_size:
        return None
    cap_fraction, epsilon = portfolio.max_offset_fraction, portfolio.coverage_epsilon
    if not (0 <= cap_fraction <= 1) or (epsilon > 0 and not epsilon < 0.5):
        return None
    columns, notionals, standalone = [], [], []
    for symbol in sorted(positions):
        column = index.get(symbol)
        if column is None or symbol not in parameters or column >= len(portfolio.sigma_horizon):
            return None
        columns.append(column)
        notionals.append(positions[symbol])
        standalone.append(maintenance_margin(parameters[symbol], positions[symbol]))

    def packed(a, b):  # upper triangle, row by row: (r, c), r ≤ c, at r·n − r(r−1)/2 + (c − r)
        row, col = min(a, b), max(a, b)
        return row * n - row * (row - 1) // 2 + (col - row)

    sigmas = [portfolio.sigma_horizon[c] for c in columns]
    invalid, undiversified, standalone_sum = False, 0.0, 0.0
    for w, sigma in zip(notionals, sigmas):
        if not (math.isfinite(w) and math.isfinite(sigma) and sigma >= 0):
            invalid = True
        scaled = abs(w) * sigma
        if math.isfinite(scaled):
            undiversified += scaled
    for value in standalone:
        if math.isfinite(value) and value >= 0:
            standalone_sum += value
        else:
            invalid = True
    result = {"margin": standalone_sum, "standalone_sum": standalone_sum, "credit": 0.0, "uncapped_credit": 0.0,
              "credit_capped": False, "pairs_without_credit": 0, "invalid_input": invalid}
    if invalid or undiversified == 0:
        return result
    variance, pairs_without_credit = 0.0, 0
    for i in range(len(columns)):
        xi = notionals[i] * sigmas[i]
        if xi == 0:
            continue
        variance += xi * xi
        for j in range(i):
            xj = notionals[j] * sigmas[j]
            if xj == 0:
                continue
            rho = portfolio.correlation[packed(columns[i], columns[j])]
            if not (-1 <= rho <= 1) or not portfolio.pair_ready[packed(columns[j], columns[i])]:
                rho = 1.0 if xi * xj > 0 else -1.0  # the worst case: no credit for this pair
                pairs_without_credit += 1
            variance += 2 * rho * xi * xj
    ratio = min(math.sqrt(max(variance, 0.0)) / undiversified, 1.0)
    uncapped = (1 - ratio) * standalone_sum
    credit = min(uncapped, cap_fraction * standalone_sum)
    result.update(margin=standalone_sum - credit, credit=credit, uncapped_credit=uncapped,
                  credit_capped=uncapped > cap_fraction * standalone_sum, pairs_without_credit=pairs_without_credit)
    return result


def serialized_state(client):
    """The state as the snapshot topics it came from, each message as base64 protobuf."""
    messages = {f"risk.{symbol}": message for symbol, message in client.parameters.items()}
    if client.portfolio is not None:
        messages["portfolio"] = client.portfolio
    return {topic: base64.b64encode(message.SerializeToString()).decode() for topic, message in messages.items()}


def to_dict(message):
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


def parse_position(text):
    symbol, _, notional = text.partition("=")
    if not symbol or not notional:
        raise argparse.ArgumentTypeError(f"expected SYMBOL=NOTIONAL, got {text!r}")
    return symbol, float(notional)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("endpoint")
    parser.add_argument("--snapshot")
    parser.add_argument("--encoding", choices=["protobuf", "json"], default="protobuf")
    parser.add_argument("--dead-after", type=float, default=3.0,
                        help="seconds without a heartbeat or update before the publisher is reported dead")
    parser.add_argument("--snapshot-timeout", type=float, default=2.0,
                        help="seconds to wait for a complete snapshot reply before asking again on a fresh DEALER")
    parser.add_argument("--count", type=int, default=0, help="exit after this many applied updates")
    parser.add_argument("--seconds", type=float, default=0, help="exit after this many seconds")
    parser.add_argument("--position", type=parse_position, action="append", default=[],
                        help="SYMBOL=NOTIONAL (signed; repeat): report the portfolio margin of these positions")
    parser.add_argument("--curve-server-key")
    parser.add_argument("--curve-key-file", help="file with the client's public and secret Z85 keys, one per line")
    args = parser.parse_args()
    if not (args.dead_after > 0 and args.snapshot_timeout > 0):
        parser.error("--dead-after and --snapshot-timeout must be positive")
    curve = None
    if args.curve_server_key:
        with open(args.curve_key_file) as handle:
            public, secret = [line.split()[-1] for line in handle.read().split("\n") if line.strip()][:2]
        curve = (args.curve_server_key.encode(), public.encode(), secret.encode())
    stopping = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.append(True))
    # A launcher's worker thread may hand its blocked signal mask down to us: take the two back.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    client = FeedClient(args.endpoint, args.snapshot or snapshot_endpoint_for(args.endpoint), args.encoding,
                        dead_after=args.dead_after, curve=curve, snapshot_timeout=args.snapshot_timeout)
    start, count = time.monotonic(), 0
    while not stopping:
        applied = client.poll()
        for event in client.events:
            print(json.dumps(event), flush=True)
        client.events = []
        for name, message in applied:
            count += 1
            if not (args.count or args.seconds):
                print(json.dumps({"topic": name, "sequence": client.sequence, **to_dict(message)}), flush=True)
        if (args.count and count >= args.count) or (args.seconds and time.monotonic() - start > args.seconds):
            break
    print(json.dumps({
        "epoch": client.epoch, "sequence": client.sequence, "snapshots": client.snapshots,
        "resyncs": client.resyncs, "alive": client.alive, "applied": count,
        "parameters": {symbol: to_dict(p) for symbol, p in client.parameters.items()},
        "serialized": serialized_state(client),
        "portfolio": to_dict(client.portfolio) if client.portfolio else None,
        "portfolio_margin": portfolio_margin(client.parameters, client.portfolio, dict(args.position))
        if args.position else None,
    }), flush=True)


if __name__ == "__main__":
    main()
