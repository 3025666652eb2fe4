"""Soak test (not part of CI): runs the fulcrum binary under a sustained mixed load for a set time and reports
throughput, RSS over time and rejection counts. Memory must stay flat.

    python3 -m fulcrum_tools.soak [--minutes 10] [--rate 4000] [--symbols 20] [--hostile 0.2] [--binary PATH]

The load, on two feeds bound by fulcrum: protobuf ticks of N symbols on two venues at exchange time = now (so
grid steps close every second and parameters are published), cryptofeed trades, and a fraction of hostile
messages: undecodable bytes, NaN/negative/absurd prices, stale and future timestamps, duplicates, invalid JSON,
and a never-ending stream of fresh random symbol names (the memory attack the symbol cap defends against).
A subscriber drains the risk feed. Every --sample seconds one line: elapsed, messages sent and processed per
second, RSS, updates received, rejections. At the end a JSON summary (also written to --output if given), with
the RSS growth from the end of warm-up (the first --warmup seconds) to the end, and exit status 1 if RSS grew by
more than --max-growth-mb.

Protobuf is encoded by hand (fulcrum_tools.wire).
"""
import argparse
import json
import os
import random
import re
import sys
import threading
import time

import zmq

from fulcrum_tools import metrics
from fulcrum_tools.paths import repository_root
from fulcrum_tools.ports import free_ports
from fulcrum_tools.process import Fulcrum, rss_kib
from fulcrum_tools.sockets import publisher
from fulcrum_tools.wire import cryptofeed_trade, tick, tick_topic

def scrape(url):
    try:
        return metrics.scrape(url, timeout=2)
    except OSError:
        return {}


def total(samples, name, **labels):
    wanted = ['%s="%s"' % item for item in labels.items()]
    result = 0.0
    for series, value in samples.items():
        if series.split("{", 1)[0] == name and all(w in series for w in wanted):
            result += value
    return result


def rejected_by_reason(samples):
    reasons = {}
    for series, value in samples.items():
        if series.startswith("fulcrum_ticks_rejected_total{") and value > 0:
            match = re.search(r'reason="([^"]+)"', series)
            if match:
                reasons[match.group(1)] = reasons.get(match.group(1), 0) + int(value)
    return dict(sorted(reasons.items()))


def stray(symbol, price, time_ns):
    """A tick of a hostile message: venue A, feed sequence 1 (what is wrong is the price, time, name or repeat)."""
    return tick(b"VENUE-A", symbol, price, exchange_time_ns=time_ns, feed_sequence=1)


class Load:
    """Sends the mixed load from its own thread at a steady rate."""

    def __init__(self, context, protobuf_endpoint, cryptofeed_endpoint, rate, symbols, hostile, seed):
        self.protobuf = publisher(context, protobuf_endpoint)
        self.cryptofeed = publisher(context, cryptofeed_endpoint)
        self.rate = rate
        self.symbols = [("S%02d-USD" % i).encode() for i in range(symbols)]
        self.prices = [100.0 * (1 + i) for i in range(symbols)]
        self.hostile = hostile
        self.random = random.Random(seed)
        self.sequence = {}
        self.sent = 0
        self.sent_hostile = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def next_sequence(self, key):
        self.sequence[key] = self.sequence.get(key, 0) + 1
        return self.sequence[key]

    def valid(self, now_ns):
        i = self.random.randrange(len(self.symbols))
        self.prices[i] *= 1 + self.random.gauss(0, 0.0003)
        if self.random.random() < 0.8:
            venue = b"VENUE-A" if self.random.random() < 0.5 else b"VENUE-B"
            payload = tick(venue, self.symbols[i], self.prices[i], size=self.random.random(), exchange_time_ns=now_ns,
                           feed_sequence=self.next_sequence((venue, i)))
            self.protobuf.send_multipart([tick_topic(venue, self.symbols[i]), payload])
        else:
            now = "%.6f" % (now_ns / 1e9)
            self.cryptofeed.send(cryptofeed_trade("CF", self.symbols[i].decode(), "%.8f" % self.prices[i], "0.5", now,
                                                  now))

    def bad(self, now_ns):
        i = self.random.randrange(len(self.symbols))
        kind = self.random.randrange(9)
        if kind == 3 and self.sent < self.rate * 10:
            kind = 0  # random names only once the real symbols have taken their slots
        symbol = self.symbols[i]
        if kind == 0:
            self.protobuf.send_multipart([b"tick.X", os.urandom(self.random.randrange(1, 64))])
        elif kind == 1:
            price = self.random.choice([float("nan"), float("inf"), -1.0, 0.0, 1e300])
            self.protobuf.send_multipart([b"tick.X", stray(symbol, price, now_ns)])
        elif kind == 2:
            offset = self.random.choice([-7200, 3600]) * 1_000_000_000
            self.protobuf.send_multipart([b"tick.X", stray(symbol, 100.0, now_ns + offset)])
        elif kind == 3:
            # A fresh random name each time: refused once the symbol slots are full.
            name = ("R%016x" % self.random.getrandbits(64)).encode()
            self.protobuf.send_multipart([b"tick.X", stray(name, 100.0, now_ns)])
        elif kind == 4:
            self.protobuf.send_multipart([b"tick.X", stray(symbol, self.prices[i], now_ns)])
        elif kind == 5:
            self.cryptofeed.send(b'CF-trades-X {"exchange":"CF","symbol":' + os.urandom(8))
        elif kind == 6:
            self.cryptofeed.send(b"CF-trades-X [1,2,3]")
        elif kind == 7:
            self.protobuf.send_multipart([b"tick.X"])
        else:
            self.protobuf.send_multipart([b"t" * 600, b"\x08" * 600])
        self.sent_hostile += 1

    def run(self):
        interval = 1.0 / self.rate
        next_send = time.monotonic()
        while not self.stop.is_set():
            now = time.monotonic()
            if now < next_send:
                time.sleep(min(next_send - now, 0.01))
                continue
            # Catch up in bursts after a sleep, but never more than 0.1 s worth at once.
            burst = min(int((now - next_send) / interval) + 1, max(int(self.rate / 10), 1))
            now_ns = time.time_ns()
            for _ in range(burst):
                if self.random.random() < self.hostile:
                    self.bad(now_ns)
                else:
                    self.valid(now_ns)
                self.sent += 1
            next_send += burst * interval


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rate", type=float, default=4000, help="messages per second, all feeds together")
    parser.add_argument("--symbols", type=int, default=20)
    parser.add_argument("--hostile", type=float, default=0.2, help="fraction of bad messages")
    parser.add_argument("--sample", type=float, default=10, help="seconds between report lines")
    parser.add_argument("--warmup", type=float, default=60, help="seconds excluded from the RSS growth")
    parser.add_argument("--max-growth-mb", type=float, default=16)
    parser.add_argument("--binary", default=os.environ.get("FULCRUM_BINARY"),
                        help="the fulcrum binary (default: $FULCRUM_BINARY, else .build/debug/fulcrum of the checkout)")
    parser.add_argument("--output", help="also write the JSON summary here")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    binary = args.binary or str(repository_root() / ".build" / "debug" / "fulcrum")

    ports = free_ports(5)
    config = """ingest:
  feeds:
    - name: protobuf
      endpoint: tcp://127.0.0.1:%d
      bind: true
      maxMessageSize: 1024
    - name: cryptofeed
      endpoint: tcp://127.0.0.1:%d
      bind: true
      encoding: cryptofeed
      maxMessageSize: 1024
  symbols:
    maximumDiscovered: %d
  venues:
    maximumDiscovered: 8
publisher:
  publishEndpoint: tcp://127.0.0.1:%d
  snapshotEndpoint: tcp://127.0.0.1:%d
http:
  address: 127.0.0.1:%d
""" % (ports[0], ports[1], args.symbols, ports[2], ports[3], ports[4])
    fulcrum = Fulcrum(binary, config, prefix="fulcrum-soak-")
    process, log_path = fulcrum.process, fulcrum.log_path
    metrics_url = "http://127.0.0.1:%d/metrics" % ports[4]

    context = zmq.Context()
    context.setsockopt(zmq.LINGER, 0)  # nothing queued for a stopped fulcrum may block the exit
    updates = {"count": 0}
    stop_reading = threading.Event()

    def read_feed():
        sub = context.socket(zmq.SUB)
        sub.setsockopt(zmq.SUBSCRIBE, b"")
        sub.setsockopt(zmq.RCVTIMEO, 200)
        sub.connect("tcp://127.0.0.1:%d" % ports[2])
        while not stop_reading.is_set():
            try:
                frames = sub.recv_multipart()
            except zmq.Again:
                continue
            if frames[0].startswith(b"risk.") or frames[0] == b"portfolio":
                updates["count"] += 1
        sub.close(0)

    reader = threading.Thread(target=read_feed, daemon=True)
    reader.start()
    if not metrics.wait_until_up(metrics_url, seconds=30, interval=0.2):
        process.kill()
        sys.exit("fulcrum did not come up; log in %s" % log_path)

    load = Load(context, "tcp://127.0.0.1:%d" % ports[0], "tcp://127.0.0.1:%d" % ports[1], args.rate, args.symbols,
                args.hostile, args.seed)
    started = time.monotonic()
    load.thread.start()
    rows = []
    previous = (started, 0, 0.0)
    print("%7s %9s %9s %9s %9s %8s %12s" % ("t (s)", "sent/s", "proc/s", "rss MiB", "updates", "steps", "rejected"),
          flush=True)
    try:
        while time.monotonic() - started < args.minutes * 60:
            time.sleep(args.sample)
            now = time.monotonic()
            samples = scrape(metrics_url)
            processed = total(samples, "fulcrum_ticks_received_total")
            rss = (rss_kib(process.pid) or 0) / 1024
            row = {
                "t": round(now - started, 1),
                "sent": load.sent,
                "processed": int(processed),
                "sent_per_s": round((load.sent - previous[1]) / (now - previous[0])),
                "processed_per_s": round((processed - previous[2]) / (now - previous[0])),
                "rss_mib": round(rss, 1),
                "updates": updates["count"],
                "steps": int(total(samples, "fulcrum_grid_steps_total")),
                "rejected": int(total(samples, "fulcrum_ticks_rejected_total")),
            }
            rows.append(row)
            previous = (now, load.sent, processed)
            print("%7.1f %9d %9d %9.1f %9d %8d %12d" % (row["t"], row["sent_per_s"], row["processed_per_s"],
                                                       row["rss_mib"], row["updates"], row["steps"],
                                                       row["rejected"]), flush=True)
            if process.poll() is not None:
                print("fulcrum exited with status %s" % process.returncode, file=sys.stderr)
                break
    finally:
        load.stop.set()
        load.thread.join()
        time.sleep(2)
        final = scrape(metrics_url)
        status = fulcrum.stop()
        stop_reading.set()
        reader.join()
        load.protobuf.close(0)
        load.cryptofeed.close(0)
        context.term()

    after_warmup = [row for row in rows if row["t"] >= args.warmup] or rows
    growth = after_warmup[-1]["rss_mib"] - after_warmup[0]["rss_mib"] if after_warmup else 0.0
    elapsed = rows[-1]["t"] if rows else 0
    received = total(final, "fulcrum_ticks_received_total")
    summary = {
        "minutes": args.minutes, "rate": args.rate, "symbols": args.symbols, "hostile_fraction": args.hostile,
        "sent": load.sent, "sent_hostile": load.sent_hostile,
        "received": int(received), "accepted": int(total(final, "fulcrum_ticks_accepted_total")),
        "ignored": int(total(final, "fulcrum_ticks_ignored_total")),
        "rejected_by_reason": rejected_by_reason(final),
        "throughput_per_s": round(received / elapsed) if elapsed else 0,
        "grid_steps": int(total(final, "fulcrum_grid_steps_total")),
        "updates_received": updates["count"],
        "rss_mib": {"first": rows[0]["rss_mib"] if rows else None, "after_warmup": after_warmup[0]["rss_mib"]
                    if after_warmup else None, "last": rows[-1]["rss_mib"] if rows else None,
                    "max": max((row["rss_mib"] for row in rows), default=None),
                    "growth_after_warmup": round(growth, 1)},
        "exit_status": status,
        "log": log_path,
        "samples": rows,
    }
    text = json.dumps(summary, indent=2)
    print(text)
    if args.output:
        with open(args.output, "w") as handle:
            handle.write(text + "\n")
    flat = growth <= args.max_growth_mb
    if not flat:
        print("RSS grew by %.1f MiB after warm-up (limit %.1f)" % (growth, args.max_growth_mb), file=sys.stderr)
    sys.exit(0 if flat and status == 0 else 1)


if __name__ == "__main__":
    main()
