"""The Python classes protoc generates from protocols/fulcrum/v1 (generated afresh into a temporary folder)."""
import subprocess
import sys
import tempfile

from .paths import repository_root


def generated():
    """Runs protoc on tick.proto and risk.proto and imports the result; returns (tick_pb2, risk_pb2).

    market.proto is generated too; ``market()`` returns its module."""
    protocols = repository_root() / "protocols"
    out = tempfile.mkdtemp(prefix="fulcrum-tools-pb-")
    protos = [str(protocols / "fulcrum" / "v1" / name) for name in ("tick.proto", "risk.proto", "market.proto")]
    subprocess.run(["protoc", f"--proto_path={protocols}", f"--python_out={out}", *protos], check=True)
    # protoc's modules import each other as `fulcrum.v1.…`: their folder has to be on the import path.
    sys.path.insert(0, out)
    from fulcrum.v1 import risk_pb2, tick_pb2
    return tick_pb2, risk_pb2


def market():
    """The protoc module of market.proto (MarketUpdate and its messages), generated as ``generated()`` does."""
    generated()
    from fulcrum.v1 import market_pb2
    return market_pb2
