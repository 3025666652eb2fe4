"""protoc's classes for protocols/fulcrum/v1 (`health_pb2`, `market_pb2`, `positions_pb2`, `risk_pb2`, `tick_pb2`), generated once and committed.

Regenerate with `python3 clients/python/generate_protos.py` after changing a .proto file."""
from . import health_pb2, market_pb2, positions_pb2, risk_pb2, tick_pb2

__all__ = ["health_pb2", "market_pb2", "positions_pb2", "risk_pb2", "tick_pb2"]
