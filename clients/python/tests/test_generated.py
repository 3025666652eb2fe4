"""The committed protobuf classes match protocols/fulcrum/v1/*.proto (compiled afresh with grpc_tools' protoc)."""
import importlib
import pathlib
import subprocess
import sys
import tempfile

import pytest
from google.protobuf import descriptor_pb2

from conftest import REPOSITORY

import fulcrum_client
from fulcrum_client import AssetStatus, CoverageZone, Reason
from fulcrum_client.proto import risk_pb2

PROTOCOLS = REPOSITORY / "protocols"
PACKAGE_PROTO = pathlib.Path(fulcrum_client.__file__).parent / "proto"


def proto_names():
    return sorted(path.stem for path in (PROTOCOLS / "fulcrum" / "v1").glob("*.proto"))


def compiled_descriptors():
    """{file name: FileDescriptorProto} of the .proto files, as protoc compiles them now."""
    pytest.importorskip("grpc_tools", reason="grpcio-tools (the test extra) compiles the .proto files")
    with tempfile.TemporaryDirectory() as out:
        descriptor_set = pathlib.Path(out) / "set.pb"
        files = [f"fulcrum/v1/{name}.proto" for name in proto_names()]
        subprocess.run([sys.executable, "-m", "grpc_tools.protoc", f"--proto_path={PROTOCOLS}",
                        f"--descriptor_set_out={descriptor_set}", *files], check=True)
        parsed = descriptor_pb2.FileDescriptorSet.FromString(descriptor_set.read_bytes())
    return {file.name: file for file in parsed.file}


def default_json_name(name):
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def without_default_json_names(file):
    """protoc writes every field's json_name into a descriptor set but leaves the default ones out of generated
    code: only a json_name the .proto sets itself is compared."""
    file = type(file).FromString(file.SerializeToString())

    def clean(messages):
        for message in messages:
            for field in message.field:
                if field.json_name == default_json_name(field.name):
                    field.ClearField("json_name")
            clean(message.nested_type)
    clean(file.message_type)
    return file


def test_every_proto_file_has_committed_classes():
    committed = sorted(path.name[:-len("_pb2.py")] for path in PACKAGE_PROTO.glob("*_pb2.py"))
    assert committed == proto_names(), "run clients/python/generate_protos.py"
    for name in proto_names():
        assert (PACKAGE_PROTO / f"{name}_pb2.pyi").exists(), "run clients/python/generate_protos.py"


def test_committed_classes_match_the_proto_files():
    """The descriptor each committed module registers equals the one protoc compiles from the .proto file now: any
    change of a message, field, number, type, enum or option shows here (whatever protoc version runs the test)."""
    compiled = compiled_descriptors()
    for name in proto_names():
        module = importlib.import_module(f"fulcrum_client.proto.{name}_pb2")
        committed = descriptor_pb2.FileDescriptorProto.FromString(module.DESCRIPTOR.serialized_pb)
        assert without_default_json_names(committed) == without_default_json_names(
            compiled[f"fulcrum/v1/{name}.proto"]), \
            f"{name}_pb2.py does not match fulcrum/v1/{name}.proto: run clients/python/generate_protos.py"


@pytest.mark.parametrize("python_enum, proto_enum, prefix", [
    (AssetStatus, risk_pb2.AssetStatus, "ASSET_STATUS_"),
    (Reason, risk_pb2.Reason, "REASON_"),
    (CoverageZone, risk_pb2.CoverageZone, "COVERAGE_ZONE_"),
])
def test_typed_enums_match_the_proto_enums(python_enum, proto_enum, prefix):
    proto_values = {name: number for name, number in proto_enum.items()}
    assert {member.wire_name: member.value for member in python_enum} == proto_values
    for name, number in proto_values.items():
        assert python_enum(number).wire_name == name and python_enum.from_wire(name).value == number
