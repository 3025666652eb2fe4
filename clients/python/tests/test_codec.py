"""The decoder on hand-built messages, in both encodings."""
import json
import math

import pytest
from google.protobuf import json_format

from fulcrum_client import (AssetStatus, CoverageZone, DecodeError, Heartbeat, PortfolioUpdate, Reason,
                            RiskParameters, SnapshotEnd, decode, read_sequence, snapshot_request)
from fulcrum_client.codec import sequence_frame
from fulcrum_client.proto import risk_pb2

EPOCH = 1796622852392719613  # above 2**53: a double would lose it


def risk_message():
    return risk_pb2.RiskParameters(
        symbol="BTC-USD", publisher_epoch=EPOCH, as_of_ns=1796622854000000000, grid_step=7,
        status=risk_pb2.ASSET_STATUS_STRESSED, price=65001.5,
        inputs=risk_pb2.ModelInputs(sigma_step=1.25e-05, sigma_annual=0.07, sigma_horizon=0.0105, ess=12.5,
                                    residual_count=9, staleness_ns=24484314, stressed_sigma_step=2e-05),
        imf=0.1, mmf=0.06, max_leverage=10, imf_target=0.12, mmf_target=0.07, max_leverage_target=8,
        mmf_long=0.065, mmf_short=0.07, reasons=[risk_pb2.REASON_CIRCUIT_BREAKER, risk_pb2.REASON_STEP_LIMIT],
        eta_steps=3, eta_ns=3_000_000_000,
        tiers=[risk_pb2.MarginTier(notional_floor=0, notional_cap=50_000, imf=0.1, mmf=0.04, max_leverage=10),
               risk_pb2.MarginTier(notional_floor=50_000, notional_cap=math.inf, imf=0.12, mmf=0.05, max_leverage=8,
                                   maintenance_deduction=500)],
        config_hash=2**64 - 5,
        coverage=risk_pb2.Coverage(observations=250, exceptions=9, exception_rate=0.036, target_rate=0.02,
                                   kupiec_lr=2.646, kupiec_p_value=0.104, zone=risk_pb2.COVERAGE_ZONE_YELLOW),
        horizon_ns=3_600_000_000_000)


def as_json(message):
    """The JSON encoding as the publisher writes it: .proto field names, 64-bit integers as JSON numbers."""
    document = json_format.MessageToDict(message, preserving_proto_field_name=True)

    def numbers(value, field=None):
        if isinstance(value, dict):
            return {key: numbers(item, key) for key, item in value.items()}
        if isinstance(value, list):
            return [numbers(item, field) for item in value]
        if isinstance(value, str) and value.isdigit():
            return int(value)
        return value
    return json.dumps(numbers(document)).encode()


def test_risk_parameters_from_protobuf():
    update = decode(b"risk.BTC-USD", risk_message().SerializeToString())
    assert isinstance(update, RiskParameters)
    assert update.symbol == "BTC-USD" and update.topic == "risk.BTC-USD"
    assert update.publisher_epoch == EPOCH and update.grid_step == 7 and update.config_hash == 2**64 - 5
    assert update.status is AssetStatus.STRESSED
    assert update.reasons == (Reason.CIRCUIT_BREAKER, Reason.STEP_LIMIT)
    assert update.reasons[0].wire_name == "REASON_CIRCUIT_BREAKER"
    assert update.inputs.sigma_step == 1.25e-05 and update.inputs.residual_count == 9
    assert len(update.tiers) == 2 and math.isinf(update.tiers[1].notional_cap)
    assert update.tiers[1].maintenance_deduction == 500
    assert update.coverage.zone is CoverageZone.YELLOW and update.coverage.observations == 250
    assert update.as_of.year == 2026 and update.as_of.tzinfo is not None
    assert update.proto == risk_message()


def test_risk_parameters_from_json_equal_protobuf():
    binary = decode(b"risk.BTC-USD", risk_message().SerializeToString())
    text = decode(b"json.risk.BTC-USD", as_json(risk_message()))
    assert text == binary
    assert text.publisher_epoch == EPOCH  # exact, though a JSON number above 2**53
    # The proto3 JSON mapping's strings for 64-bit integers read the same.
    assert decode("json.risk.BTC-USD", json_format.MessageToJson(risk_message()).encode()) == binary


def test_json_last_tier_cap_as_null_or_infinity_is_infinite():
    document = json.loads(as_json(risk_message()))
    assert document["tiers"][1]["notional_cap"] == "Infinity"
    document["tiers"][1]["notional_cap"] = None  # what risk.proto documents for the last tier
    update = decode(b"json.risk.BTC-USD", json.dumps(document).encode())
    assert math.isinf(update.tiers[1].notional_cap) and update.tiers[0].notional_cap == 50_000


def test_absent_fields_read_as_defaults_and_absent_messages_as_none():
    update = decode(b"json.risk.ETH-USD", b'{"symbol": "ETH-USD", "publisher_epoch": 5}')
    assert update.symbol == "ETH-USD" and update.publisher_epoch == 5 and update.imf == 0
    assert update.inputs is None and update.coverage is None and update.tiers == () and update.reasons == ()
    assert update.status is AssetStatus.UNSPECIFIED


def test_unknown_fields_and_enum_values_are_ignored():
    # A newer publisher: an unknown field, an unknown status number and an unknown reason name.
    document = {"symbol": "SOL-USD", "status": "ASSET_STATUS_FROZEN", "reasons": ["REASON_NEW_THING", "REASON_CAP"],
                "new_field": {"x": 1}, "imf": 0.2}
    update = decode(b"json.risk.SOL-USD", json.dumps(document).encode())
    assert update.imf == 0.2 and update.status is AssetStatus.UNSPECIFIED
    assert Reason.CAP in update.reasons and set(update.reasons) <= {Reason.CAP, Reason.UNSPECIFIED}
    # Protobuf: field 99 unknown; status 42 unknown.
    payload = risk_pb2.RiskParameters(symbol="SOL-USD", status=42).SerializeToString() + bytes([0x98, 0x06, 0x01])
    update = decode(b"risk.SOL-USD", payload)
    assert update.symbol == "SOL-USD" and update.status is AssetStatus.UNSPECIFIED


def test_portfolio_heartbeat_and_snapshot_end():
    portfolio = risk_pb2.PortfolioUpdate(publisher_epoch=EPOCH, symbols=["BTC", "ETH", "SOL"],
                                         sigma_horizon=[0.02, 0.03, 0.05], correlation=[1, 0.8, 0.5, 1, 0.6, 1],
                                         pair_ready=[True, True, False, True, False, True], max_offset_fraction=0.5)
    for topic, payload in ((b"portfolio", portfolio.SerializeToString()), (b"json.portfolio", as_json(portfolio))):
        update = decode(topic, payload)
        assert isinstance(update, PortfolioUpdate) and update.topic == "portfolio"
        assert update.symbols == ("BTC", "ETH", "SOL") and update.publisher_epoch == EPOCH
        assert update.correlation_between("ETH", "SOL") == 0.6 and update.correlation_between("SOL", "BTC") == 0.5
        assert update.pair_ready == (True, True, False, True, False, True)
    heartbeat = risk_pb2.Heartbeat(publisher_epoch=EPOCH, sequence=41, wall_time_ns=1, interval_ms=500, symbols=5)
    for topic, payload in ((b"hb", heartbeat.SerializeToString()), (b"json.hb", as_json(heartbeat))):
        assert decode(topic, payload) == Heartbeat(EPOCH, 41, 1, 0, 500, 5)
    end = risk_pb2.SnapshotEnd(publisher_epoch=EPOCH, sequence=41, count=6)
    for topic, payload in ((b"snapshot.end", end.SerializeToString()), (b"json.snapshot.end", as_json(end))):
        assert decode(topic, payload) == SnapshotEnd(EPOCH, 41, 6)


def test_other_topics_and_bad_payloads():
    assert decode(b"tick.X.Y", b"\x00") is None
    with pytest.raises(DecodeError):
        decode(b"risk.BTC-USD", b"\xff\xff\xff")
    with pytest.raises(DecodeError):
        decode(b"json.risk.BTC-USD", b"{not json")
    with pytest.raises(DecodeError):
        decode(b"json.hb", b'{"sequence": "many"}')


def test_sequence_frames_and_snapshot_requests():
    assert read_sequence(b"\x00\x00\x00\x00\x00\x00\x01\x02") == 258
    assert read_sequence(sequence_frame(2**64 - 1)) == 2**64 - 1
    with pytest.raises(DecodeError):
        read_sequence(b"\x01")
    request = risk_pb2.SnapshotRequest.FromString(snapshot_request("json", "risk."))
    assert request.encoding == risk_pb2.ENCODING_JSON and request.topic_prefix == "risk."
    assert snapshot_request() == b""  # protobuf, all topics: every field at its default
