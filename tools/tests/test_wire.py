"""The hand-written encoders against protoc's classes and the formats' fixed points."""
import json
import math
import random

import pytest

from fulcrum_tools import wire
from fulcrum_tools.protos import generated


@pytest.fixture(scope="module")
def tick_pb2():
    return generated()[0]


def test_varint_fixed_points():
    assert wire.varint(0) == b"\x00"
    assert wire.varint(1) == b"\x01"
    assert wire.varint(127) == b"\x7f"
    assert wire.varint(300) == b"\xac\x02"
    assert wire.varint(2**64 - 1) == b"\xff" * 9 + b"\x01"
    assert wire.varint(-1) == wire.varint(2**64 - 1)  # int64 −1 as protobuf writes it


def test_tick_matches_protoc(tick_pb2):
    rng = random.Random(5)
    for _ in range(2000):
        fields = {
            "venue": rng.choice([None, "BINANCE", "", "VENUE-\u00e9"]),
            "symbol": rng.choice([None, "BTC-USD", "S%05d" % rng.randrange(10**5)]),
            "price": rng.choice([None, rng.uniform(-1e6, 1e6), 1e300, -math.inf]),
            "bid": rng.choice([None, rng.uniform(0, 1e5)]),
            "ask": rng.choice([None, rng.uniform(0, 1e5)]),
            "size": rng.choice([None, rng.random(), 0.0]),
            "side": rng.choice([0, 1, 2]),
            "exchange_time_ns": rng.choice([None, rng.randrange(1, 2**63)]),
            "receipt_time_ns": rng.choice([None, rng.randrange(1, 2**63)]),
            "feed_sequence": rng.choice([None, rng.randrange(1, 2**64)]),
        }
        # protoc's classes leave out a plain proto3 field at its default (an `optional` one only when unset); the
        # hand encoder leaves out what it is given as None.
        plain = {"venue", "symbol", "price", "side", "exchange_time_ns"}
        present = {k: v for k, v in fields.items() if v is not None and not (k in plain and not v)}
        expected = tick_pb2.Tick(**present).SerializeToString()
        given = {k: (v if k in present else (0 if k == "side" else None)) for k, v in fields.items()}
        assert wire.tick(**given) == expected
        assert tick_pb2.Tick.FromString(wire.tick(**given)) == tick_pb2.Tick(**present)


def test_tick_topic_and_sequence():
    assert wire.tick_topic("NS", "N0") == b"tick.NS.N0"
    assert wire.tick_topic(b"V", b"S") == b"tick.V.S"
    assert wire.sequence_frame(1) == b"\x00" * 7 + b"\x01"
    assert wire.read_sequence(wire.sequence_frame(2**64 - 2)) == 2**64 - 2


def test_cryptofeed_frames():
    topic, body = wire.cryptofeed_trade("COINBASE", "BTC-USD", "43000.12", "0.5", "1700000000.25",
                                        "1700000000.3").split(b" ", 1)
    assert topic == b"COINBASE-trades-BTC-USD"
    assert json.loads(body) == {"exchange": "COINBASE", "symbol": "BTC-USD", "side": "buy", "amount": 0.5,
                                "price": 43000.12, "id": "1", "type": None, "timestamp": 1700000000.25,
                                "receipt_timestamp": 1700000000.3}
    topic, body = wire.cryptofeed_ticker("BINANCE", "ETH-USDT", "2000.1", "2000.2", "1700000000.5",
                                         "1700000000.6").split(b" ", 1)
    assert topic == b"BINANCE-ticker-ETH-USDT"
    assert json.loads(body)["bid"] == 2000.1
