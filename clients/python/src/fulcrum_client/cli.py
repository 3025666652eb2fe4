"""A complete Fulcrum risk-feed consumer on the command line (`fulcrum-client`, `python3 -m fulcrum_client`, and
protocols/examples/fulcrum_client.py), per protocols/README.md.

It subscribes first, asks for a snapshot, applies queued updates newer than the snapshot, follows updates in
sequence, resyncs on gaps, publisher restarts (new epoch), heartbeats ahead of its state, queue overflow and
snapshot timeouts, and reports the publisher dead when it hears nothing for --dead-after seconds.

    fulcrum-client tcp://127.0.0.1:7601 [--snapshot tcp://127.0.0.1:7602]
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
import signal
import time

from .client import FeedClient
from .codec import to_dict
from .machine import snapshot_endpoint_for
from .margin import portfolio_margin


def serialized_state(client):
    """The state as the snapshot topics it came from, each message as base64 protobuf."""
    messages = {f"risk.{symbol}": p.proto for symbol, p in client.parameters.items()}
    if client.portfolio is not None:
        messages["portfolio"] = client.portfolio.proto
    return {topic: base64.b64encode(message.SerializeToString()).decode() for topic, message in messages.items()}


def parse_position(text):
    symbol, _, notional = text.partition("=")
    if not symbol or not notional:
        raise argparse.ArgumentTypeError(f"expected SYMBOL=NOTIONAL, got {text!r}")
    return symbol, float(notional)


def read_curve_keys(server_key, key_file):
    """(server public, client public, client secret) as bytes, from the server's Z85 key and a key file whose first
    two non-empty lines end with the client's public and secret Z85 keys (`fulcrum keygen` writes them so)."""
    with open(key_file) as handle:
        public, secret = [line.split()[-1] for line in handle.read().split("\n") if line.strip()][:2]
    return server_key.encode(), public.encode(), secret.encode()


def summary(client, applied, positions):
    return {
        "epoch": client.epoch, "sequence": client.sequence, "snapshots": client.snapshots,
        "resyncs": client.resyncs, "alive": client.alive, "applied": applied,
        "parameters": {symbol: to_dict(p) for symbol, p in client.parameters.items()},
        "serialized": serialized_state(client),
        "portfolio": to_dict(client.portfolio) if client.portfolio else None,
        "portfolio_margin": portfolio_margin(client.parameters, client.portfolio, dict(positions))
        if positions else None,
    }


def main(argv=None, prog=None):
    parser = argparse.ArgumentParser(prog=prog, description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
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
    args = parser.parse_args(argv)
    if not (args.dead_after > 0 and args.snapshot_timeout > 0):
        parser.error("--dead-after and --snapshot-timeout must be positive")
    curve = read_curve_keys(args.curve_server_key, args.curve_key_file) if args.curve_server_key else None
    stopping = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.append(True))
    # A launcher's worker thread may hand its blocked signal mask down to us: take the two back.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    client = FeedClient(args.endpoint, args.snapshot or snapshot_endpoint_for(args.endpoint), encoding=args.encoding,
                        dead_after=args.dead_after, curve=curve, snapshot_timeout=args.snapshot_timeout)
    start, count = time.monotonic(), 0
    while not stopping:
        applied = client.poll()
        for event in client.take_events():
            print(json.dumps(event.as_dict()), flush=True)
        for update in applied:
            count += 1
            if not (args.count or args.seconds):
                print(json.dumps({"topic": update.topic, "sequence": client.sequence, **to_dict(update)}), flush=True)
        if (args.count and count >= args.count) or (args.seconds and time.monotonic() - start > args.seconds):
            break
    print(json.dumps(summary(client, count, args.position)), flush=True)
    client.close()
