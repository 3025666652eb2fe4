// swift-tools-version:6.1
import PackageDescription

let strictSwift: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Fulcrum",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "fulcrum", targets: ["fulcrum"]),
        .library(name: "ZeroMQ", targets: ["ZeroMQ"]),
        .library(name: "RiskFeed", targets: ["RiskFeed"]),
        .library(name: "MarketData", targets: ["MarketData"]),
        .library(name: "RiskEstimation", targets: ["RiskEstimation"]),
        .library(name: "MarginModel", targets: ["MarginModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        // A thin system-library target exposing libzmq's C header (Debian: libzmq3-dev).
        .systemLibrary(
            name: "CZeroMQ",
            pkgConfig: "libzmq",
            providers: [.apt(["libzmq3-dev"])]
        ),
        // Typed Swift sockets over libzmq.
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"], swiftSettings: strictSwift),
        // Generated from protocols/fulcrum/v1 by scripts/generate-protocols.sh.
        .target(
            name: "FulcrumProtocol",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: strictSwift
        ),
        // Publisher (PUB + snapshot ROUTER + heartbeats) and the client library consumers embed.
        .target(
            name: "RiskFeed",
            dependencies: [
                "ZeroMQ", "FulcrumProtocol", "MarginModel", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        // Pure: tick decoding, validation, cross-venue robust prices.
        .target(name: "MarketData", dependencies: ["FulcrumProtocol"], swiftSettings: strictSwift),
        // Pure: event-time grid, EWMA and windowed volatility, correlation, residuals.
        .target(name: "RiskEstimation", swiftSettings: strictSwift),
        // Pure: coverage-targeted margins, tiers, governance, portfolio margin, coverage statistics.
        .target(name: "MarginModel", swiftSettings: strictSwift),
        // CRC-32C of recordings: the processor's CRC-32C instruction when present, slicing by 8 otherwise.
        .target(name: "CCRC32C"),
        // Recording format, replay inputs, coverage statistics over published margins, backtest reports.
        .target(
            name: "Backtesting",
            dependencies: ["CCRC32C", "MarketData", "RiskEstimation", "MarginModel", "FulcrumProtocol"],
            swiftSettings: strictSwift
        ),
        // Pure: the built-in simulated market.
        .target(name: "MarketSimulator", swiftSettings: strictSwift),
        // Wiring: configuration, engine, services, lifecycle.
        .target(
            name: "FulcrumService",
            dependencies: [
                "ZeroMQ", "FulcrumProtocol", "MarketData", "RiskEstimation", "MarginModel", "RiskFeed",
                "MarketSimulator", "Backtesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "fulcrum",
            dependencies: [
                "FulcrumService", "RiskFeed", "ZeroMQ", "Backtesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift
        ),
        // What the test targets share (a target, not a product): the seeded generator, tolerances, Prometheus text,
        // log capture, temporary directories, the repository root.
        .target(
            name: "FulcrumTestSupport",
            dependencies: [
                "MarketSimulator",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "RealModule", package: "swift-numerics"),
            ],
            path: "Tests/FulcrumTestSupport",
            swiftSettings: strictSwift
        ),
        // The fuzzers' harness (the Fuzz package's own FuzzSupport folder), built here too so that MarketDataTests
        // replays every corpus and crash input through the same `IngestScript` the fuzzers run.
        .target(name: "FuzzSupport", dependencies: ["MarketData"], path: "Fuzz/Sources/FuzzSupport",
                swiftSettings: strictSwift),
        .testTarget(name: "MarketDataTests",
                    dependencies: ["MarketData", "FulcrumProtocol", "FulcrumTestSupport", "FuzzSupport"],
                    swiftSettings: strictSwift),
        .testTarget(name: "RiskEstimationTests", dependencies: ["RiskEstimation", "FulcrumTestSupport"],
                    exclude: ["Fixtures"], swiftSettings: strictSwift),
        .testTarget(name: "MarginModelTests", dependencies: ["MarginModel", "FulcrumTestSupport"],
                    swiftSettings: strictSwift),
        .testTarget(
            name: "FulcrumServiceTests",
            dependencies: [
                "FulcrumService", "FulcrumProtocol", "MarketData", "RiskFeed", "ZeroMQ", "FulcrumTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(name: "BacktestingTests",
                    dependencies: ["Backtesting", "MarginModel", "MarketData", "FulcrumTestSupport"],
                    swiftSettings: strictSwift),
        .testTarget(
            name: "FulcrumIntegrationTests",
            dependencies: ["ZeroMQ", "FulcrumProtocol", "RiskFeed", "FulcrumTestSupport"],
            exclude: ["Scripts"],
            swiftSettings: strictSwift
        ),
        .testTarget(name: "RiskFeedTests", dependencies: ["RiskFeed", "FulcrumTestSupport"],
                    swiftSettings: strictSwift),
        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ", "FulcrumTestSupport"], swiftSettings: strictSwift),
    ]
)
