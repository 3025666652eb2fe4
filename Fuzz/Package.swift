// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for the inbound-message path. Built only by `scripts/fuzz.sh`, which passes
// `--sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library` (libFuzzer supplies `main`).
//
// `Sources/MarketData` and `Sources/FulcrumSettings` are symbolic links to the main package's modules: MarketData
// imports only FulcrumSettings (the error of an invalid setting), which imports nothing but the standard library,
// so the fuzz build needs neither the main package's dependency graph nor swift-protobuf, and builds in well under
// a minute.
let strictSwift: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "FulcrumFuzz",
    targets: [
        .target(name: "FulcrumSettings", swiftSettings: strictSwift),
        .target(name: "MarketData", dependencies: ["FulcrumSettings"], swiftSettings: strictSwift),
        // The harness the fuzzers share. The main package builds this folder too, as its own FuzzSupport target
        // for MarketDataTests, so that every corpus and crash input is replayed by the unit tests.
        .target(name: "FuzzSupport", dependencies: ["MarketData"], swiftSettings: strictSwift),
        .executableTarget(name: "ProtobufDecoderFuzzer", dependencies: ["FuzzSupport", "MarketData"],
                          swiftSettings: strictSwift),
        .executableTarget(name: "CryptofeedDecoderFuzzer", dependencies: ["FuzzSupport", "MarketData"],
                          swiftSettings: strictSwift),
        .executableTarget(name: "IngestFuzzer", dependencies: ["FuzzSupport", "MarketData"],
                          swiftSettings: strictSwift),
        .executableTarget(name: "ProtobufMarketDecoderFuzzer", dependencies: ["FuzzSupport", "MarketData"],
                          swiftSettings: strictSwift),
    ]
)
