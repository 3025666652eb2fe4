#!/usr/bin/env bash
# Regenerates Sources/FulcrumProtocol/*.pb.swift from protocols/fulcrum/v1/*.proto.
#
# Needs protoc (Debian: protobuf-compiler) and protoc-gen-swift built once from the same
# swift-protobuf version the package depends on. The generated files are committed so that
# builds and CI never build the plugin. Pass the plugin path as $PROTOC_GEN_SWIFT or put it on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
plugin="${PROTOC_GEN_SWIFT:-$(command -v protoc-gen-swift || true)}"
if [ -z "$plugin" ]; then
    echo "protoc-gen-swift not found; build it once with:" >&2
    echo "  git clone --branch 1.39.0 https://github.com/apple/swift-protobuf /tmp/swift-protobuf" >&2
    echo "  swift build -c release --package-path /tmp/swift-protobuf --product protoc-gen-swift" >&2
    echo "and set PROTOC_GEN_SWIFT=/tmp/swift-protobuf/.build/release/protoc-gen-swift" >&2
    exit 1
fi
protoc --plugin=protoc-gen-swift="$plugin" \
    --proto_path=protocols \
    --swift_opt=Visibility=Public \
    --swift_opt=FileNaming=DropPath \
    --swift_out=Sources/FulcrumProtocol \
    protocols/fulcrum/v1/*.proto
echo "generated: $(ls Sources/FulcrumProtocol/*.pb.swift | tr '\n' ' ')"
