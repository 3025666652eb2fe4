#!/usr/bin/env python3
"""Regenerates the protobuf classes committed in src/fulcrum_client/proto from protocols/fulcrum/v1/*.proto.

    python3 -m pip install 'grpcio-tools==1.71.2'     # protoc 29: code for protobuf >= 5.29 (see pyproject.toml)
    python3 clients/python/generate_protos.py

The generated code is committed so that nothing runs protoc when the package is installed or imported;
tests/test_generated.py fails when it no longer matches the .proto files.
"""
import pathlib
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
PROTOCOLS = HERE.parent.parent / "protocols"
TARGET = HERE / "src" / "fulcrum_client" / "proto"


def proto_files():
    """The .proto files of the wire contract, as protoc names them (relative to protocols/)."""
    return sorted(str(path.relative_to(PROTOCOLS)) for path in (PROTOCOLS / "fulcrum" / "v1").glob("*.proto"))


def protoc(*arguments):
    from grpc_tools import protoc as grpc_protoc
    import importlib.resources

    include = str(importlib.resources.files("grpc_tools") / "_proto")
    status = grpc_protoc.main(["protoc", f"--proto_path={PROTOCOLS}", f"--proto_path={include}", *arguments,
                               *proto_files()])
    if status != 0:
        raise SystemExit(f"protoc failed with status {status}")


def main():
    with tempfile.TemporaryDirectory() as out:
        protoc(f"--python_out={out}", f"--pyi_out={out}")
        generated = pathlib.Path(out) / "fulcrum" / "v1"
        for stale in list(TARGET.glob("*_pb2.py")) + list(TARGET.glob("*_pb2.pyi")):
            stale.unlink()
        for path in sorted(generated.iterdir()):
            # protoc names an imported .proto by its package path (`from fulcrum.v1 import tick_pb2`); inside
            # this package the modules sit side by side.
            text = path.read_text().replace("from fulcrum.v1 import ", "from . import ")
            (TARGET / path.name).write_text(text)
            print(f"generated: {(TARGET / path.name).relative_to(HERE)}")


if __name__ == "__main__":
    sys.exit(main())
