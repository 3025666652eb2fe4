#!/usr/bin/env python3
"""Feed and consumer peers for the network-namespace test (NetnsTests.swift).

    netns_peer.py feed ENDPOINT --seconds S [--rate HZ]
        Connects a PUB to Fulcrum's feed socket and sends fulcrum-protobuf ticks for symbols N0, N1, ... with the
        wall clock as exchange time, HZ rounds per second, for S seconds.

    netns_peer.py consume PUB_ENDPOINT SNAPSHOT_ENDPOINT --seconds S --out FILE
        Runs the Clone-pattern client of the fulcrum_client package (clients/python) for S seconds and writes one JSON
        line per event to FILE: every update it applies (epoch, sequence, symbol, as_of_ns, imf, mmf, sigma_step,
        and whether it came from a snapshot), every resync with its reason, and liveness changes. Its sockets use
        ZMTP heartbeats (what a robust consumer does), so a dead link is dropped and re-dialled rather than left
        to TCP's retransmission timers.
"""
import argparse
import json
import math
import os
import sys
import time

import zmq

from fulcrum_tools.wire import tick, tick_topic

# The client package of this checkout (clients/python), whether or not it is installed.
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "clients", "python", "src"))
import fulcrum_client  # noqa: E402


def feed(args):
    context = zmq.Context.instance()
    socket = context.socket(zmq.PUB)
    socket.setsockopt(zmq.LINGER, 0)
    socket.connect(args.endpoint)
    prices = {f"N{index}": 10.0 + index for index in range(args.symbols)}
    sequence = 0
    deadline = time.monotonic() + args.seconds
    step = 0
    while time.monotonic() < deadline:
        now = time.time_ns()
        for index, symbol in enumerate(sorted(prices)):
            prices[symbol] *= math.exp(0.001 * math.sin(step * 0.7 + index))
            sequence += 1
            socket.send_multipart([tick_topic("NS", symbol), tick("NS", symbol, prices[symbol],
                                                                  exchange_time_ns=now + index,
                                                                  feed_sequence=sequence)])
        step += 1
        time.sleep(1.0 / args.rate)
    socket.close()


class HeartbeatingClient(fulcrum_client.FeedClient):
    """The example client with ZMTP heartbeats and quick reconnects on its sockets, recording how each update it
    applies arrived: live (with its own sequence number) or through a snapshot."""

    def __init__(self, *args, **kwargs):
        self.journal = []
        super().__init__(*args, **kwargs)

    def on_update(self, update, seq):
        applied = super().on_update(update, seq)
        self.journal += [(False, seq, item.topic, item) for item in applied]
        return applied

    def on_snapshot(self, frames):
        applied = super().on_snapshot(frames)
        self.journal += [(True, self.sequence, item.topic, item) for item in applied]
        return applied

    def _socket(self, kind):
        sock = super()._socket(kind)
        sock.setsockopt(zmq.HEARTBEAT_IVL, 300)
        sock.setsockopt(zmq.HEARTBEAT_TIMEOUT, 1000)
        sock.setsockopt(zmq.RECONNECT_IVL, 200)
        sock.setsockopt(zmq.RECONNECT_IVL_MAX, 1000)
        return sock


def consume(args):
    client = HeartbeatingClient(args.publish, args.snapshot, dead_after=args.dead_after)
    out = open(args.out, "w", buffering=1)

    def write(event):
        event["t"] = time.monotonic()
        out.write(json.dumps(event) + "\n")

    seen_resyncs, alive = 0, False
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        client.poll(0.05)
        for from_snapshot, sequence, name, message in client.journal:
            if name != "portfolio":
                write({"kind": "applied", "epoch": client.epoch, "sequence": sequence,
                       "symbol": message.symbol, "as_of_ns": message.as_of_ns, "imf": message.imf,
                       "mmf": message.mmf, "sigma_step": message.inputs.sigma_step, "snapshot": from_snapshot})
        client.journal = []
        while seen_resyncs < len(client.resyncs):
            write({"kind": "resync", "reason": client.resyncs[seen_resyncs]})
            seen_resyncs += 1
        if client.alive != alive:
            alive = client.alive
            write({"kind": "alive" if alive else "dead"})
    write({"kind": "end", "snapshots": client.snapshots, "epoch": client.epoch, "sequence": client.sequence,
           "state": {symbol: {"as_of_ns": m.as_of_ns, "imf": m.imf, "mmf": m.mmf}
                     for symbol, m in client.parameters.items()}})
    out.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    feed_parser = commands.add_parser("feed")
    feed_parser.add_argument("endpoint")
    feed_parser.add_argument("--seconds", type=float, required=True)
    feed_parser.add_argument("--rate", type=float, default=20)
    feed_parser.add_argument("--symbols", type=int, default=5)
    consume_parser = commands.add_parser("consume")
    consume_parser.add_argument("publish")
    consume_parser.add_argument("snapshot")
    consume_parser.add_argument("--seconds", type=float, required=True)
    consume_parser.add_argument("--out", required=True)
    consume_parser.add_argument("--dead-after", type=float, default=1.5)
    args = parser.parse_args()
    feed(args) if args.command == "feed" else consume(args)


if __name__ == "__main__":
    main()
