// swift-tools-version:6.1
import PackageDescription

let strictSwift: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Fulcrum",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "fulcrum", targets: ["fulcrum"]),
        .library(name: "FulcrumEngine", targets: ["FulcrumEngine"]),
        .library(name: "ZeroMQ", targets: ["ZeroMQ"]),
        .library(name: "RiskFeed", targets: ["RiskFeed"]),
        .library(name: "MarketData", targets: ["MarketData"]),
        .library(name: "RiskEstimation", targets: ["RiskEstimation"]),
        .library(name: "MarginModel", targets: ["MarginModel"]),
        .library(name: "ProtocolHealth", targets: ["ProtocolHealth"]),
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
        // Blocking loops on threads of their own, stopped by a signal they poll: never on the cooperative pool.
        .target(
            name: "DedicatedThreads",
            dependencies: [.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
            swiftSettings: strictSwift
        ),
        // Typed Swift sockets over libzmq.
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ", "DedicatedThreads"], swiftSettings: strictSwift),
        // The wire contract: types generated from protocols/fulcrum/v1 (scripts/generate-protocols.sh), the topic
        // names, and the allocation-free protobuf writer of the outbound messages.
        .target(
            name: "FulcrumProtocol",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: strictSwift
        ),
        // Pure: tick decoding, validation, cross-venue robust prices. FulcrumSettings, which imports nothing, gives
        // the pure modules the one error of an invalid setting.
        .target(name: "MarketData", dependencies: ["FulcrumSettings"], swiftSettings: strictSwift),
        // Pure: event-time grid, EWMA and windowed volatility, correlation, residuals.
        .target(name: "RiskEstimation",
                dependencies: ["FulcrumSettings", .product(name: "RealModule", package: "swift-numerics")],
                swiftSettings: strictSwift),
        // Pure: coverage-targeted margins, tiers, governance, portfolio margin, coverage statistics and tracking.
        .target(name: "MarginModel",
                dependencies: ["FulcrumSettings", .product(name: "RealModule", package: "swift-numerics")],
                swiftSettings: strictSwift),
        // Pure: protocol health — positions by margin unit, account health, liquidation cascades under stress.
        .target(name: "ProtocolHealth",
                dependencies: ["FulcrumSettings", "MarginModel", .product(name: "RealModule", package: "swift-numerics")],
                swiftSettings: strictSwift),
        // Pure: order-book walks, the smoothed impact curve, open interest and liquidation flow per symbol.
        .target(name: "MarketLiquidity",
                dependencies: ["MarketData", "MarginModel", .product(name: "RealModule", package: "swift-numerics")],
                swiftSettings: strictSwift),
        // Pure: the deterministic pipeline from a raw message to encoded parameter updates.
        .target(
            name: "FulcrumEngine",
            dependencies: ["FulcrumProtocol", "MarketData", "RiskEstimation", "MarginModel", "MarketLiquidity"],
            swiftSettings: strictSwift
        ),
        // Publisher (PUB + snapshot ROUTER + heartbeats) and the client library consumers embed.
        .target(
            name: "RiskFeed",
            dependencies: [
                "DedicatedThreads", "ZeroMQ", "FulcrumProtocol", "FulcrumSettings", "MarginModel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSwift
        ),
        // CRC-32C of recordings: the processor's CRC-32C instruction when present, slicing by 8 otherwise.
        .target(name: "CCRC32C"),
        // The recording format: every ingested message with its receipt time, written live and read for replay.
        // CRC-32C as a Swift API, for recordings and checkpoints.
        .target(name: "Checksum", dependencies: ["CCRC32C"], swiftSettings: strictSwift),
        .target(name: "FulcrumRecording", dependencies: ["Checksum", "FulcrumSettings", "MarketData"],
                swiftSettings: strictSwift),
        // Replay inputs (CSV, OHLC bars) and backtest reports (Markdown, JSON, SVG).
        .target(
            name: "Backtesting",
            dependencies: ["FulcrumProtocol", "FulcrumRecording", "FulcrumSettings", "MarketData", "MarginModel"],
            swiftSettings: strictSwift
        ),
        // Engine state in SQLite: the only GRDB importer.
        .target(
            name: "FulcrumCheckpoint",
            dependencies: [
                "Checksum", "DedicatedThreads", "FulcrumEngine", "FulcrumProtocol", "FulcrumSettings", "MarginModel",
                "RiskEstimation",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSwift
        ),
        // Operations: HTTP endpoints, the dashboard, metrics and rate-limited logging.
        .target(
            name: "FulcrumOperations",
            dependencies: [
                "DedicatedThreads", "FulcrumBuildInfo", "FulcrumEngine", "FulcrumSettings", "MarketData", "MarginModel",
                "RiskFeed", "FulcrumProtocol",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.embedInCode("Resources/dashboard.html")],
            swiftSettings: strictSwift
        ),
        // The one error of an invalid setting: key, value, what is allowed.
        .target(name: "FulcrumSettings", swiftSettings: strictSwift),
        // The version, the commit and the resolved dependency versions, generated at build time.
        .plugin(name: "BuildInfoPlugin", capability: .buildTool()),
        .target(name: "FulcrumBuildInfo", swiftSettings: strictSwift, plugins: ["BuildInfoPlugin"]),
        // Configuration files: YAML layered over typed defaults, every error naming key, value and what is allowed.
        .target(
            name: "ConfigurationLoading",
            dependencies: ["FulcrumSettings", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSwift
        ),
        // Pure: the built-in simulated market, and its simulated position book.
        .target(name: "MarketSimulator", dependencies: ["ProtocolHealth"], swiftSettings: strictSwift),
        // Wiring: the configuration of a process, its services and their lifecycle.
        .target(
            name: "FulcrumService",
            dependencies: [
                "DedicatedThreads", "ZeroMQ", "FulcrumProtocol", "MarketData", "RiskEstimation", "MarginModel",
                "FulcrumEngine",
                "RiskFeed", "FulcrumRecording", "Backtesting", "FulcrumCheckpoint", "FulcrumOperations",
                "ConfigurationLoading", "FulcrumBuildInfo", "FulcrumSettings", "MarketSimulator", "ProtocolHealth",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "fulcrum",
            dependencies: [
                "FulcrumService", "ConfigurationLoading", "FulcrumBuildInfo", "FulcrumSettings", "FulcrumRecording",
                "DedicatedThreads", "RiskFeed", "ZeroMQ", "Backtesting", "FulcrumProtocol", "MarketData",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSwift
        ),
        // What the test targets share (a target, not a product): the seeded generator, tolerances, Prometheus text,
        // log capture, temporary directories, the repository root, typed configurations and their files.
        .target(
            name: "FulcrumTestSupport",
            dependencies: [
                "MarketSimulator", "FulcrumService", "ConfigurationLoading", "FulcrumEngine", "FulcrumProtocol",
                "MarketData", "MarginModel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
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
                    dependencies: ["MarketData", "FulcrumProtocol", "FulcrumSettings", "FulcrumTestSupport",
                                   "FuzzSupport"],
                    swiftSettings: strictSwift),
        .testTarget(name: "RiskEstimationTests",
                    dependencies: ["RiskEstimation", "FulcrumSettings", "FulcrumTestSupport"],
                    exclude: ["Fixtures"], swiftSettings: strictSwift),
        .testTarget(name: "ProtocolHealthTests", dependencies: ["ProtocolHealth", "MarginModel"],
                    swiftSettings: strictSwift),
        .testTarget(name: "MarketLiquidityTests",
                    dependencies: ["MarketLiquidity", "MarketData", "MarginModel", "FulcrumTestSupport"],
                    swiftSettings: strictSwift),
        .testTarget(name: "MarginModelTests", dependencies: ["MarginModel", "FulcrumSettings", "FulcrumTestSupport"],
                    swiftSettings: strictSwift),
        .testTarget(
            name: "FulcrumEngineTests",
            dependencies: ["FulcrumEngine", "FulcrumService", "FulcrumProtocol", "MarketData", "MarginModel",
                           "MarketSimulator", "RiskEstimation", "RiskFeed", "FulcrumTestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "FulcrumCheckpointTests",
            dependencies: ["FulcrumCheckpoint", "FulcrumEngine", "FulcrumService", "FulcrumProtocol", "MarketData",
                           "MarginModel", "RiskEstimation", "FulcrumTestSupport",
                           .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "FulcrumOperationsTests",
            dependencies: [
                "FulcrumOperations", "FulcrumEngine", "FulcrumService", "FulcrumProtocol", "FulcrumSettings",
                "MarketData", "MarginModel", "RiskFeed", "FulcrumTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "FulcrumServiceTests",
            dependencies: [
                "FulcrumService", "ConfigurationLoading", "FulcrumOperations", "FulcrumSettings", "MarginModel",
                "MarketData", "RiskEstimation", "RiskFeed", "FulcrumProtocol", "ZeroMQ", "DedicatedThreads",
                "FulcrumTestSupport", .product(name: "Yams", package: "Yams"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strictSwift
        ),
        .testTarget(name: "FulcrumRecordingTests",
                    dependencies: ["FulcrumRecording", "MarketData", "FulcrumTestSupport"],
                    swiftSettings: strictSwift),
        .testTarget(name: "ChecksumTests", dependencies: ["Checksum", "FulcrumTestSupport"],
                    swiftSettings: strictSwift),
        .testTarget(name: "BacktestingTests",
                    dependencies: ["Backtesting", "FulcrumRecording", "MarginModel", "MarketData",
                                   "FulcrumTestSupport"],
                    swiftSettings: strictSwift),
        .testTarget(
            name: "FulcrumIntegrationTests",
            dependencies: ["ZeroMQ", "DedicatedThreads", "FulcrumProtocol", "RiskFeed", "FulcrumService", "MarketData",
                           "MarginModel", "RiskEstimation", "FulcrumTestSupport"],
            exclude: ["Scripts"],
            swiftSettings: strictSwift
        ),
        .testTarget(name: "FulcrumSettingsTests", dependencies: ["FulcrumSettings"], swiftSettings: strictSwift),
        .testTarget(name: "RiskFeedTests",
                    dependencies: ["RiskFeed", "DedicatedThreads", "FulcrumProtocol", "MarginModel", "ZeroMQ",
                                   "FulcrumTestSupport", .product(name: "Logging", package: "swift-log")],
                    swiftSettings: strictSwift),
        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ", "CZeroMQ", "DedicatedThreads"],
                    swiftSettings: strictSwift),
    ]
)
