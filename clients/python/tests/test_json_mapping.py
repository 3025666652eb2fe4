"""Fulcrum's JSON encoding is the proto3 JSON mapping (protocols/README.md): google.protobuf's own parser,
json_format, reads every JSON message Fulcrum publishes into the generated classes, strictly (no unknown field
ignored), and gets the message of the protobuf rendition with the same sequence number; 64-bit integers arrive as
strings and infinities and NaN as "Infinity", "-Infinity", "NaN"."""
import json
import math
import os
import subprocess
import time

import pytest
import zmq
from google.protobuf import json_format

from conftest import fulcrum_binary
from fulcrum_client.codec import read_sequence
from fulcrum_client.proto import risk_pb2
from test_state_machine import publisher  # noqa: F401  (the scripted publisher's fixture)

KINDS = {b"portfolio": risk_pb2.PortfolioUpdate, b"hb": risk_pb2.Heartbeat}
INT64_FIELDS = {
    risk_pb2.RiskParameters: ("publisher_epoch", "as_of_ns", "grid_step"),
    risk_pb2.PortfolioUpdate: ("publisher_epoch", "as_of_ns"),
    risk_pb2.Heartbeat: ("publisher_epoch", "sequence", "wall_time_ns"),
}


def kind_of(topic):
    return risk_pb2.RiskParameters if topic.startswith(b"risk.") else KINDS[topic]


def test_live_json_parses_into_the_generated_classes(fulcrum):
    context = zmq.Context()
    sub = context.socket(zmq.SUB)
    sub.setsockopt(zmq.LINGER, 0)
    for prefix in (b"risk.", b"portfolio", b"hb", b"json."):
        sub.setsockopt(zmq.SUBSCRIBE, prefix)
    sub.connect(fulcrum.publish)
    protobuf, json_messages = {}, []
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline and (len(json_messages) < 40 or not any(
                topic.startswith(b"json.risk.") for topic, _, _ in json_messages)):
            if not sub.poll(200):
                continue
            topic, payload, sequence = sub.recv_multipart()
            if topic.startswith(b"json."):
                json_messages.append((topic[len(b"json."):], payload, read_sequence(sequence)))
            else:
                protobuf[(topic, read_sequence(sequence))] = payload
    finally:
        sub.close()
        context.term()
    assert len(json_messages) >= 40, f"{len(json_messages)} JSON messages in 30 s\n{fulcrum.log()}"
    compared = set()
    for topic, payload, sequence in json_messages:
        kind = kind_of(topic)
        message = json_format.Parse(payload.decode("utf-8"), kind())  # strict: an unknown field is an error
        document = json.loads(payload)
        for field in INT64_FIELDS[kind]:
            if field in document:
                assert isinstance(document[field], str), f"{topic} {field} = {document[field]!r}: not a string"
                assert int(document[field]) == getattr(message, field)
        assert document.get("publisher_epoch"), f"{topic}: no epoch"
        twin = protobuf.get((topic, sequence))
        if twin is not None and topic != b"hb":  # a heartbeat's wall time is stamped per rendition
            assert message.SerializeToString(deterministic=True) == \
                kind.FromString(twin).SerializeToString(deterministic=True), f"{topic} #{sequence}"
            compared.add(kind)
    assert {risk_pb2.RiskParameters, risk_pb2.PortfolioUpdate} <= compared


def test_watch_json_maps_non_finite_numbers_and_large_integers(publisher):  # noqa: F811
    """`fulcrum watch --format json` prints what the JSON encoding publishes; a scripted publisher sends values
    the simulated market does not produce: infinities, NaN, integers above 2^53."""
    if not fulcrum_binary().exists():
        (pytest.fail if os.environ.get("CI") else pytest.skip)(f"no fulcrum binary at {fulcrum_binary()}")
    epoch = 1796622852392719613
    watch = subprocess.Popen([str(fulcrum_binary()), "watch", publisher.publish, "--snapshot", publisher.snapshot,
                              "--format", "json", "--count", "1", "--dead-after", "30"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while not publisher.router.poll(100):
            assert time.monotonic() < deadline and watch.poll() is None, "watch never asked for a snapshot"
        identity, _ = publisher.router.recv_multipart()
        end = risk_pb2.SnapshotEnd(publisher_epoch=epoch, sequence=10, count=0)
        publisher.router.send_multipart([identity, b"snapshot.end", end.SerializeToString(),
                                         (10).to_bytes(8, "big")])
        message = risk_pb2.RiskParameters(symbol="BTC-USD", publisher_epoch=epoch, as_of_ns=(1 << 62) + 1,
                                          grid_step=(1 << 53) + 1, imf=0.05, mmf=0.03)
        message.tiers.add(notional_floor=0, notional_cap=1e6, imf=0.05, mmf=0.03)
        message.tiers.add(notional_floor=1e6, notional_cap=math.inf, imf=0.1, mmf=0.06,
                          maintenance_deduction=-math.inf)
        message.coverage.kupiec_lr = math.nan
        for _ in range(20):  # until watch has its snapshot and takes the update (it counts one and exits)
            publisher.pub.send_multipart([b"risk.BTC-USD", message.SerializeToString(), (11).to_bytes(8, "big")])
            if watch.poll() is not None:
                break
            time.sleep(0.2)
        output, errors = watch.communicate(timeout=15)
    finally:
        if watch.poll() is None:
            watch.kill()
            watch.wait()
    assert watch.returncode == 0, errors.decode()
    line = output.decode().strip().splitlines()[-1]
    document = json.loads(line)
    assert document["publisher_epoch"] == str(epoch)
    assert document["as_of_ns"] == str((1 << 62) + 1) and document["grid_step"] == str((1 << 53) + 1)
    assert document["tiers"][1]["notional_cap"] == "Infinity"
    assert document["tiers"][1]["maintenance_deduction"] == "-Infinity"
    assert document["coverage"]["kupiec_lr"] == "NaN"
    parsed = json_format.Parse(line, risk_pb2.RiskParameters())
    assert parsed.publisher_epoch == epoch and parsed.grid_step == (1 << 53) + 1
    assert math.isinf(parsed.tiers[1].notional_cap) and parsed.tiers[1].notional_cap > 0
    assert parsed.tiers[1].maintenance_deduction == -math.inf and math.isnan(parsed.coverage.kupiec_lr)
