#!/usr/bin/env python3
"""A complete Fulcrum risk-feed consumer in Python (pyzmq + protobuf), per protocols/README.md.

It subscribes first, asks for a snapshot, applies queued updates newer than the snapshot,
follows updates in sequence, resyncs on gaps and publisher restarts, and reports the publisher
dead when heartbeats stop.

    python3 protocols/examples/fulcrum_client.py tcp://127.0.0.1:7601 [--snapshot tcp://127.0.0.1:7602]
        [--encoding protobuf|json] [--count N] [--seconds S] [--curve-server-key Z85 --curve-key-file FILE]

With --count/--seconds it exits after that many updates or seconds and prints a JSON summary
(last parameters per symbol, sequence, epoch, snapshots); otherwise it prints each update.
"""
import argparse
import json
import os
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
    """The Clone-pattern state machine plus its sockets."""

    def __init__(self, publish, snapshot, encoding="protobuf", dead_after=3.0, curve=None):
        self.ctx = zmq.Context.instance()
        self.publish, self.snapshot_ep, self.encoding = publish, snapshot, encoding
        self.prefix = "json." if encoding == "json" else ""
        self.dead_after = dead_after
        self.curve = curve
        self.parameters, self.portfolio = {}, None
        self.epoch, self.sequence = None, 0
        self.live, self.queue = False, []
        self.snapshots, self.resyncs, self.alive = 0, [], False
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
        self.request_snapshot()

    def apply(self, name, message):
        if name == "portfolio":
            self.portfolio = message
        else:
            self.parameters[message.symbol] = message

    def on_update(self, name, message, seq):
        """Returns the list of (name, message) applied."""
        if not self.live:
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

    def on_snapshot(self, frames):
        topic, payload, seq_frame = frames
        name, message = self.decode(topic.decode(), payload)
        if name != "snapshot.end":
            self.items.append((name, message))
            return []
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
        return applied

    def poll(self, timeout_ms=100):
        """Processes what arrived within timeout_ms; returns applied updates."""
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
                self.last_heard, self.alive = time.monotonic(), True
                name, message = self.decode(frames[0].decode(), frames[1])
                if name == "hb":
                    if self.live and (message.publisher_epoch != self.epoch or message.sequence > self.sequence):
                        self.resync("new_epoch" if message.publisher_epoch != self.epoch else "heartbeat_ahead")
                elif message is not None:
                    applied += self.on_update(name, message, seq)
        if self.dealer in events:
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
        if not self.live and now - self.requested_at > 2.0:
            self.resync("snapshot_timeout")
        return applied


def to_dict(message):
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("endpoint")
    parser.add_argument("--snapshot")
    parser.add_argument("--encoding", choices=["protobuf", "json"], default="protobuf")
    parser.add_argument("--count", type=int, default=0, help="exit after this many applied updates")
    parser.add_argument("--seconds", type=float, default=0, help="exit after this many seconds")
    parser.add_argument("--curve-server-key")
    parser.add_argument("--curve-key-file", help="file with the client's public and secret Z85 keys, one per line")
    args = parser.parse_args()
    curve = None
    if args.curve_server_key:
        with open(args.curve_key_file) as handle:
            public, secret = [line.split()[-1] for line in handle.read().split("\n") if line.strip()][:2]
        curve = (args.curve_server_key.encode(), public.encode(), secret.encode())
    client = FeedClient(args.endpoint, args.snapshot or snapshot_endpoint_for(args.endpoint), args.encoding,
                        curve=curve)
    start, count = time.monotonic(), 0
    while True:
        for name, message in client.poll():
            count += 1
            if not (args.count or args.seconds):
                print(json.dumps({"topic": name, "sequence": client.sequence, **to_dict(message)}), flush=True)
        if (args.count and count >= args.count) or (args.seconds and time.monotonic() - start > args.seconds):
            break
    print(json.dumps({
        "epoch": client.epoch, "sequence": client.sequence, "snapshots": client.snapshots,
        "resyncs": client.resyncs, "alive": client.alive, "applied": count,
        "parameters": {symbol: to_dict(p) for symbol, p in client.parameters.items()},
        "portfolio": to_dict(client.portfolio) if client.portfolio else None,
    }))


if __name__ == "__main__":
    main()
