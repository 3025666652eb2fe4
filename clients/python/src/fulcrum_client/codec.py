"""Decoding the risk feed's messages, `[topic, payload, sequence]`, in either encoding.

The topic names the message and the encoding (protocols/README.md, "Topics and encodings"): `risk.<SYMBOL>`,
`portfolio`, `hb` and `snapshot.end` carry protobuf; the same topics prefixed with `json.` carry the proto3 JSON
mapping. Unknown fields and unknown enum values are ignored (read as unspecified), as the versioning rules ask.
"""
from __future__ import annotations

import json
import struct
from typing import Optional, Union

from google.protobuf import json_format

from .proto import risk_pb2
from .types import Heartbeat, PortfolioUpdate, RiskParameters, SnapshotEnd

JSON_PREFIX = "json."
_SEQUENCE = struct.Struct(">Q")

Decoded = Union[RiskParameters, PortfolioUpdate, Heartbeat, SnapshotEnd]


class DecodeError(ValueError):
    """A payload that is not a valid message of its topic."""


def split_topic(topic: Union[bytes, str]) -> tuple[str, str]:
    """(name without the encoding prefix, "json" or "protobuf")."""
    if isinstance(topic, bytes):
        topic = topic.decode("utf-8", errors="replace")
    if topic.startswith(JSON_PREFIX):
        return topic[len(JSON_PREFIX):], "json"
    return topic, "protobuf"


def message_class(name: str):
    """The `fulcrum.v1` class a topic name (without `json.`) carries, or None for a topic this client ignores."""
    if name.startswith("risk."):
        return risk_pb2.RiskParameters
    return {"portfolio": risk_pb2.PortfolioUpdate, "hb": risk_pb2.Heartbeat,
            "snapshot.end": risk_pb2.SnapshotEnd}.get(name)


_TYPED = {risk_pb2.RiskParameters: RiskParameters, risk_pb2.PortfolioUpdate: PortfolioUpdate,
          risk_pb2.Heartbeat: Heartbeat, risk_pb2.SnapshotEnd: SnapshotEnd}


def _json_fixups(kind, document):
    """A last tier's cap written as JSON null (what risk.proto documents for +Inf) reads as +inf, not 0."""
    if kind is risk_pb2.RiskParameters and isinstance(document, dict):
        for tier in document.get("tiers") or ():
            if isinstance(tier, dict) and "notional_cap" in tier and tier["notional_cap"] is None:
                tier["notional_cap"] = "Infinity"
    return document


def parse_proto(kind, payload: bytes, encoding: str):
    """The protobuf message `kind` from a payload in `encoding` ("protobuf" or "json")."""
    message = kind()
    try:
        if encoding == "json":
            document = json.loads(payload.decode("utf-8") if isinstance(payload, (bytes, bytearray)) else payload)
            json_format.ParseDict(_json_fixups(kind, document), message, ignore_unknown_fields=True)
        else:
            message.ParseFromString(bytes(payload))
    except Exception as error:  # protobuf's DecodeError, json_format.ParseError, JSON and UTF-8 errors
        raise DecodeError(f"invalid {encoding} {kind.DESCRIPTOR.name}: {error}") from error
    return message


def decode(topic: Union[bytes, str], payload: bytes) -> Optional[Decoded]:
    """The typed message of one `[topic, payload]`; None for a topic that is not part of the risk feed.
    Raises DecodeError for a payload that does not parse."""
    name, encoding = split_topic(topic)
    kind = message_class(name)
    if kind is None:
        return None
    return _TYPED[kind].from_proto(parse_proto(kind, payload, encoding))


def read_sequence(frame: bytes) -> int:
    """The third frame of every message: 8 bytes, unsigned, big-endian."""
    if len(frame) != 8:
        raise DecodeError(f"a sequence frame has 8 bytes, not {len(frame)}")
    return _SEQUENCE.unpack(frame)[0]


def sequence_frame(sequence: int) -> bytes:
    return _SEQUENCE.pack(sequence)


def snapshot_request(encoding: str = "protobuf", topic_prefix: str = "") -> bytes:
    """A serialized `SnapshotRequest`: the one frame a DEALER sends to the snapshot ROUTER."""
    return risk_pb2.SnapshotRequest(
        topic_prefix=topic_prefix,
        encoding=risk_pb2.ENCODING_JSON if encoding == "json" else risk_pb2.ENCODING_PROTOBUF).SerializeToString()


def to_dict(message) -> dict:
    """A protobuf message (or a typed object's `proto`) as proto3 JSON with the .proto field names."""
    message = getattr(message, "proto", message)
    return json_format.MessageToDict(message, preserving_proto_field_name=True)
