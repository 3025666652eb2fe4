// swift-tools-version:6.1
import PackageDescription

// Performance harness of Fulcrum, kept out of the main package so that its dependencies never reach the
// product. `scripts/bench.sh` builds and drives it; Benchmarks/README.md explains what it measures.
let strictSwift: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "FulcrumBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Fulcrum", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", exact: "0.2.0"),
    ],
    targets: [
        // End-to-end driver: load generator, update sink and report (see Sources/fulcrum-bench/main.swift).
        .executableTarget(
            name: "fulcrum-bench",
            dependencies: [
                .product(name: "ZeroMQ", package: "Fulcrum"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: strictSwift
        ),
        // The physical-limit baseline: SUB → PUB of the same frames in plain C on libzmq, no decoding.
        .executableTarget(
            name: "fulcrum-bench-relay",
            linkerSettings: [.linkedLibrary("zmq")]
        ),
        // Micro-benchmarks (ordo-one/benchmark): `swift package benchmark` in this folder.
        .executableTarget(
            name: "FulcrumBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "MarketData", package: "Fulcrum"),
                .product(name: "RiskEstimation", package: "Fulcrum"),
                .product(name: "MarginModel", package: "Fulcrum"),
                .product(name: "RiskFeed", package: "Fulcrum"),
                .product(name: "ProtocolHealth", package: "Fulcrum"),
            ],
            path: "Benchmarks/FulcrumBenchmarks",
            swiftSettings: strictSwift,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
