"""Measures one Fulcrum process: ingest rate, grid-step latency and memory against the number of symbols.

    python3 -m fulcrum_tools.deploy.measure --fulcrum .build/release/fulcrum --symbols 10 100 500 1000

For each symbol count N it starts `fulcrum run` with one protobuf feed (the default model and publisher
settings: JSON copies on, 10,000 residuals per asset), replays a pre-built series of ticks as fast as one
Python publisher can send them (event time runs far ahead of wall time, so grid steps come as fast as the
engine can run them), and reads the results from the process's own /metrics: messages received per second of
wall time, the grid-step latency histogram (tick receipt to last update queued), how long the publisher
thread takes to send everything the engine produced (end to end), and the resident memory of the process.
It prints one Markdown table row per N (the tables in deploy/SCALING.md). The Python publisher is the
bottleneck at small N, so the ingest rate there is a lower bound. A consumer process (Python, pyzmq) stays
subscribed throughout, because the publisher renders and sends only what some subscriber holds: `--consumer
protobuf` (default: `risk.` and `portfolio`), `--consumer all` (every topic, so JSON renditions too) or
`--consumer none`. `--no-json` and `--portfolio-every K` set publisher.publishJSON and
publisher.portfolioEverySteps, the two knobs of the outbound volume; `--factors K` runs the estimator's factor
correlation model with K factors (estimation.correlationModel), the portfolio then in factor form.
"""
import argparse
import math
import signal
import subprocess
import time

import zmq

from fulcrum_tools import metrics as prometheus, sockets
from fulcrum_tools.ports import free_ports
from fulcrum_tools.process import Fulcrum, environment_without_overrides, rss_kib
from fulcrum_tools.wire import sequence_frame, tick, tick_topic


def metrics(port):
    return prometheus.scrape(f"http://127.0.0.1:{port}/metrics", timeout=120)


def quantile(before, after, q):
    deltas = [(bound, a - b) for (bound, a), (_, b) in zip(after, before)]
    total = deltas[-1][1] if deltas else 0
    for bound, count in deltas:
        if total and count >= q * total:
            return bound
    return math.nan


def rss_megabytes(pid):
    kib = rss_kib(pid)
    return math.nan if kib is None else kib / 1024


def consume(endpoint, prefixes, ready, stop, result):
    """Consumer process of measure: holds `prefixes` on the risk feed and counts what arrives until told to stop
    and nothing but heartbeats has come for 2 s (it may still be reading when the publisher has sent everything)."""
    context = zmq.Context()
    subscriber = sockets.subscriber(context, endpoint, prefixes)
    count, last = 0, time.time()
    while not (stop.is_set() and time.time() - last > 2):
        if subscriber.poll(50):
            topic = subscriber.recv_multipart()[0]
            ready.set()
            if topic not in (b"hb", b"json.hb"):
                count, last = count + 1, time.time()
    result.put((count, last))
    subscriber.close(0)
    context.term()


CONSUMER_PREFIXES = {"protobuf": [b"risk.", b"portfolio", b"hb"], "all": [b""], "none": []}


def measure(fulcrum, symbols, steps, ticks_per_interval, publish_json, portfolio_every, consumer, factors=0):
    feed, http, publish, snapshot = free_ports(4)
    model = f"{{factors: {{factors: {factors}}}}}" if factors else "{full: {}}"
    config = f"""
ingest:
  feeds:
    - name: bench
      endpoint: tcp://127.0.0.1:{feed}
      bind: true
  symbols:
    maximumDiscovered: {symbols + 8}
  validation:
    maximumAge: 1d
estimation:
  gridInterval: 1s
  correlationModel: {model}
http:
  address: 127.0.0.1:{http}
publisher:
  publishEndpoint: tcp://127.0.0.1:{publish}
  snapshotEndpoint: tcp://127.0.0.1:{snapshot}
  sendHighWaterMark: 0
  publishJSON: {"true" if publish_json else "false"}
  portfolioEverySteps: {portfolio_every}
shutdownTimeout: 1h
"""
    process = Fulcrum(fulcrum, config, prefix="fulcrum-measure-", arguments=["--log-level", "warning"],
                      environment=environment_without_overrides())
    try:
        prometheus.wait_until_up(f"http://127.0.0.1:{http}/metrics", seconds=10, interval=0.05)
        import multiprocessing
        ready, stop, result = multiprocessing.Event(), multiprocessing.Event(), multiprocessing.Queue()
        receiver = None
        if CONSUMER_PREFIXES[consumer]:
            receiver = multiprocessing.Process(target=consume, args=(f"tcp://127.0.0.1:{publish}",
                                                                     CONSUMER_PREFIXES[consumer], ready, stop, result))
            receiver.start()
            if not ready.wait(30):  # the first heartbeat proves the subscription is in place
                raise RuntimeError("the consumer heard no heartbeat within 30 s")
        names = [f"S{i:05d}" for i in range(symbols)]
        start = (int(time.time()) - steps - 30) * 1_000_000_000
        spacing = 1_000_000_000 // (symbols * ticks_per_interval + 1)
        frames = []
        sequence = 0
        for k in range(steps + 1):
            for j in range(ticks_per_interval):
                for i, name in enumerate(names):
                    sequence += 1
                    price = 100.0 * (1 + 0.01 * (i % 7)) * math.exp(0.001 * math.sin(0.37 * k + i + 0.1 * j))
                    at = start + k * 1_000_000_000 + (j * symbols + i + 1) * spacing
                    frames.append((tick_topic("V", name), tick("V", name, price, exchange_time_ns=at,
                                                                      feed_sequence=sequence)))
        context = zmq.Context()
        publisher = sockets.publisher(context, f"tcp://127.0.0.1:{feed}")
        publisher.setsockopt(zmq.LINGER, 5000)
        first = symbols * ticks_per_interval
        while metrics(http).get('fulcrum_ticks_received_total{feed="bench"}', 0) == 0:
            publisher.send_multipart(frames[0])
            time.sleep(0.02)
        before = metrics(http)
        received0 = before['fulcrum_ticks_received_total{feed="bench"}']
        buckets0, sum0, count0 = prometheus.histogram(before, "fulcrum_grid_step_seconds")
        phases0 = {phase: prometheus.histogram(before, f"fulcrum_{phase}_step_seconds")[1:]
                   for phase in ("estimator", "optimizer")}
        began, began_wall = time.perf_counter(), time.time()
        for frame in frames[first:]:
            publisher.send_multipart(frame)
        sent_at = time.perf_counter()
        target = received0 + len(frames) - first
        while True:
            after = metrics(http)
            if after.get('fulcrum_ticks_received_total{feed="bench"}', 0) >= target:
                break
            if time.perf_counter() - began > 600:
                raise RuntimeError("fulcrum did not receive every tick within 10 minutes")
            time.sleep(0.01)
        finished = time.perf_counter()
        buckets1, sum1, count1 = prometheus.histogram(after, "fulcrum_grid_step_seconds")
        phases = {}
        for phase, (phase_sum0, phase_count0) in phases0.items():
            phase_sum1, phase_count1 = prometheus.histogram(after, f"fulcrum_{phase}_step_seconds")[1:]
            phases[phase] = 1e3 * (phase_sum1 - phase_sum0) / max(phase_count1 - phase_count0, 1)
        memory = rss_megabytes(process.pid)
        # The publisher thread may still be sending: wait until the published count stops moving for 5 s.
        published, still_since = after.get("fulcrum_updates_published_total", 0), time.perf_counter()
        drained = finished
        while time.perf_counter() - still_since < 5 and time.perf_counter() - began < 1800:
            time.sleep(0.1)
            now = metrics(http).get("fulcrum_updates_published_total", 0)
            if now != published:
                published, still_since = now, time.perf_counter()
                drained = still_since
        scrape_began = time.perf_counter()
        metrics(http)
        scrape = time.perf_counter() - scrape_began
        publisher.close()
        context.term()
        received, consumed_at = 0, math.nan
        if receiver is not None:
            stop.set()
            received, last = result.get(timeout=60)
            receiver.join(10)
            consumed_at = last - began_wall
        ticks = len(frames) - first
        return {
            "symbols": symbols, "ticks": ticks, "steps": after.get("fulcrum_grid_steps_total", 0),
            "send_rate": ticks / (sent_at - began), "ingest_rate": ticks / (finished - began),
            "step_mean_ms": 1e3 * (sum1 - sum0) / max(count1 - count0, 1),
            "step_p50_ms": 1e3 * quantile(buckets0, buckets1, 0.5),
            "step_p99_ms": 1e3 * quantile(buckets0, buckets1, 0.99),
            "updates": published, "rss_mb": memory, "end_to_end": drained - began, "scrape_ms": 1e3 * scrape,
            "estimator_ms": phases["estimator"], "optimizer_ms": phases["optimizer"],
            "received": received, "consumed_after": consumed_at,
        }
    finally:
        code = process.stop()
        if code != 0:
            print(f"warning: fulcrum exited with {code}; log in {process.directory}")


def receive_count(endpoint, messages, ready, result):
    """Receiver process of measure_proxy: counts `messages` risk.* messages, reports the time of the last."""
    context = zmq.Context()
    subscriber = sockets.subscriber(context, endpoint, [b"risk."])
    while not subscriber.poll(50):
        ready.set()
    ready.set()
    count = 0
    while count < messages and subscriber.poll(10_000):
        if subscriber.recv_multipart()[0] != b"risk.PROBE":
            count += 1
    result.put((count, time.time()))
    subscriber.close(0)
    context.term()


def measure_proxy(fulcrum, messages, size):
    """Messages per second through `fulcrum proxy`: one publisher process, one subscriber process (Python)."""
    import multiprocessing
    frontend, backend = free_ports(2)
    process = subprocess.Popen([fulcrum, "proxy", "--frontend", f"tcp://127.0.0.1:{frontend}",
                                "--backend", f"tcp://127.0.0.1:{backend}", "--log-level", "warning"])
    context = zmq.Context()
    try:
        ready, result = multiprocessing.Event(), multiprocessing.Queue()
        receiver = multiprocessing.Process(target=receive_count,
                                           args=(f"tcp://127.0.0.1:{backend}", messages, ready, result))
        receiver.start()
        publisher = sockets.publisher(context, f"tcp://127.0.0.1:{frontend}")
        while not ready.is_set():
            publisher.send_multipart([b"risk.PROBE", b"", sequence_frame(0)])
            time.sleep(0.02)
        time.sleep(0.5)
        payload = b"x" * size
        began = time.time()
        for index in range(messages):
            publisher.send_multipart([b"risk.BTC-USD", payload, sequence_frame(index)])
        count, finished = result.get(timeout=300)
        receiver.join(10)
        publisher.close(5000)
        return count / (finished - began), count
    finally:
        context.term()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fulcrum", required=True)
    parser.add_argument("--symbols", type=int, nargs="+", default=[10, 100, 500, 1000])
    parser.add_argument("--ticks", type=int, default=200_000, help="ticks to send per run (approximately)")
    parser.add_argument("--no-json", action="store_true", help="publisher.publishJSON: false")
    parser.add_argument("--portfolio-every", type=int, default=1, help="publisher.portfolioEverySteps")
    parser.add_argument("--factors", type=int, default=0,
                        help="estimation.correlationModel: K statistical factors (0: the full matrix)")
    parser.add_argument("--consumer", choices=sorted(CONSUMER_PREFIXES), default="protobuf",
                        help="what the consumer process subscribes to (all: JSON renditions too)")
    parser.add_argument("--proxy", type=int, metavar="MESSAGES", help="measure `fulcrum proxy` instead")
    arguments = parser.parse_args()
    if arguments.proxy:
        rate, count = measure_proxy(arguments.fulcrum, arguments.proxy, 300)
        print(f"fulcrum proxy: {count:,} messages of 300 bytes, {rate:,.0f} msg/s (Python publisher and subscriber)")
        return
    print("| symbols | ticks sent | grid steps | sender rate (msg/s) | ingest rate (msg/s) "
          "| step latency mean / p50 / p99 (ms) | estimator / optimizer mean (ms) | updates published "
          "| consumer received | all published after (s) | consumer done after (s) | RSS (MB) | /metrics scrape (ms) |")
    print("|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|")
    for symbols in arguments.symbols:
        steps = max(60, min(600, arguments.ticks // symbols))
        per_interval = max(1, arguments.ticks // (symbols * steps))
        row = measure(arguments.fulcrum, symbols, steps, per_interval, not arguments.no_json,
                      arguments.portfolio_every, arguments.consumer, arguments.factors)
        print(f"| {row['symbols']} | {row['ticks']:,} | {row['steps']:,.0f} | {row['send_rate']:,.0f} "
              f"| {row['ingest_rate']:,.0f} | {row['step_mean_ms']:.2f} / ≤{row['step_p50_ms']:g} / "
              f"≤{row['step_p99_ms']:g} | {row['estimator_ms']:.2f} / {row['optimizer_ms']:.2f} "
              f"| {row['updates']:,.0f} | {row['received']:,} | {row['end_to_end']:.1f} "
              f"| {row['consumed_after']:.1f} | {row['rss_mb']:.0f} | {row['scrape_ms']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
