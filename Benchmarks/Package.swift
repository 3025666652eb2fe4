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
        // The grid step through the engine (estimator, optimizer, coverage, encoding), one tick per symbol per
        // step, timed per step on the thread's CPU clock: `fulcrum-step-bench --assets N` (scripts/bench/step.sh).
        .executableTarget(
            name: "fulcrum-step-bench",
            dependencies: [
                .product(name: "FulcrumEngine", package: "Fulcrum"),
                .product(name: "MarketData", package: "Fulcrum"),
                .product(name: "MarginModel", package: "Fulcrum"),
                .product(name: "RiskEstimation", package: "Fulcrum"),
            ],
            swiftSettings: strictSwift
        ),
        // The statistical factor model's update at N = 1,000 / 10,000 and k = 10 / 32 beside the full matrix's step at
        // N = 1,000, thread CPU time, with its correlation error: `fulcrum-factor-bench` (scripts/bench/factor.sh).
        .executableTarget(
            name: "fulcrum-factor-bench",
            dependencies: [.product(name: "RiskEstimation", package: "Fulcrum")],
            swiftSettings: strictSwift
        ),
        // Protocol health at scale, shared by the micro-benchmarks and `fulcrum-health-bench`: a seeded book of
        // positions, its markets and residual rows.
        .target(
            name: "HealthWorkload",
            dependencies: [
                .product(name: "ProtocolHealth", package: "Fulcrum"),
                .product(name: "MarginModel", package: "Fulcrum"),
            ],
            swiftSettings: strictSwift
        ),
        // Health aggregates and stress cascades at 1,000,000 positions beside the code before them and a streaming
        // floor, thread CPU time, bit-for-bit checks: `fulcrum-health-bench` (scripts/bench/health.sh).
        .executableTarget(
            name: "fulcrum-health-bench",
            dependencies: [
                "HealthWorkload",
                .product(name: "ProtocolHealth", package: "Fulcrum"),
                .product(name: "MarginModel", package: "Fulcrum"),
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
                "HealthWorkload",
            ],
            path: "Benchmarks/FulcrumBenchmarks",
            swiftSettings: strictSwift,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
