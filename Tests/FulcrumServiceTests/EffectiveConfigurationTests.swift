import ConfigurationLoading
import Foundation
import FulcrumService
import Testing

/// The effective configuration of every YAML file that ships in `deploy/` or that the integration tests start the
/// binary with, compared with the one recorded in `Fixtures/Configurations/Effective/`, as `fulcrum config check`
/// prints it (sorted JSON). The recorded files pin what these files mean: a change of the loader must not move a
/// single value. The YAML files are copies (with fixed ports and paths), so that editing a deployment file does
/// not touch this record.
@Suite("Effective configurations of the shipped and tested YAML files")
struct EffectiveConfigurationTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/Configurations")

    /// One file loaded with one environment; `file` nil loads the embedded default, as `fulcrum run` without
    /// `--config` does.
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var file: String?
        var environment: [String: String] = [:]
        var testDescription: String { name }
    }

    /// What deploy/Dockerfile sets.
    static let image = [
        "FULCRUM__PUBLISHER__PUBLISH_ENDPOINT": "tcp://*:7601", "FULCRUM__PUBLISHER__SNAPSHOT_ENDPOINT": "tcp://*:7602",
        "FULCRUM__HTTP__ADDRESS": "0.0.0.0:7680",
    ]

    /// What the integration tests' `FulcrumProcess` sets, with `address` for a test that names its HTTP port.
    static func process(address: String = "127.0.0.1:0", _ more: [String: String] = [:]) -> [String: String] {
        [
            "FULCRUM__PUBLISHER__PUBLISH_ENDPOINT": "tcp://127.0.0.1:41901",
            "FULCRUM__PUBLISHER__SNAPSHOT_ENDPOINT": "tcp://127.0.0.1:41902", "FULCRUM__HTTP__ADDRESS": address,
        ].merging(more) { $1 }
    }

    static let cases: [Case] = [
        Case(name: "embedded-default", file: nil, environment: process()),
        Case(name: "deploy-fulcrum", file: "deploy-fulcrum.yaml"),
        Case(name: "deploy-fulcrum-image", file: "deploy-fulcrum.yaml", environment: image),
        Case(name: "deploy-fulcrum-overridden", file: "deploy-fulcrum.yaml",
             environment: ["FULCRUM__HTTP__ADDRESS": "0.0.0.0:9999", "FULCRUM__SHUTDOWN_TIMEOUT": "3s"]),
        Case(name: "compose-fulcrum", file: "compose-fulcrum.yaml", environment: image),
        Case(name: "compose-market", file: "compose-market.yaml", environment: image),
        Case(name: "kubernetes-fulcrum", file: "kubernetes-fulcrum.yaml",
             environment: image.merging(["FULCRUM__LOGGING__LEVEL": "info"]) { $1 }),
        Case(name: "kubernetes-fulcrum-shard-a", file: "kubernetes-fulcrum-shard-a.yaml", environment: image),
        Case(name: "kubernetes-fulcrum-shard-b", file: "kubernetes-fulcrum-shard-b.yaml", environment: image),
        Case(name: "operations", file: "operations.yaml", environment: process(address: "127.0.0.1:41002")),
        Case(name: "operations-dashboard", file: "operations-dashboard.yaml",
             environment: process(address: "127.0.0.1:41002")),
        Case(name: "operations-stale-feed", file: "operations-stale-feed.yaml",
             environment: process(address: "127.0.0.1:41002", ["FULCRUM__INGEST__FEED_SILENCE_STALE_AFTER": "4s"])),
        Case(name: "operations-checkpoint", file: "operations-checkpoint.yaml",
             environment: process(address: "127.0.0.1:41002")),
        Case(name: "operations-graceful-stop", file: "operations-graceful-stop.yaml",
             environment: process(address: "127.0.0.1:41002")),
        Case(name: "operations-stalled-subscriber", file: "operations-stalled-subscriber.yaml",
             environment: process(address: "127.0.0.1:41002")),
        Case(name: "hostile-feed", file: "hostile-feed.yaml", environment: process(address: "127.0.0.1:41013")),
        Case(name: "hostile-feed-silence", file: "hostile-feed-silence.yaml",
             environment: process(address: "127.0.0.1:41013")),
        Case(name: "end-to-end", file: "end-to-end.yaml", environment: process()),
        Case(name: "end-to-end-cryptofeed", file: "end-to-end-cryptofeed.yaml", environment: process()),
        Case(name: "backtest-determinism", file: "backtest-determinism.yaml"),
        Case(name: "backtest-real-data", file: "backtest-real-data.yaml"),
        Case(name: "backtest-replay", file: "backtest-replay.yaml", environment: process(address: "127.0.0.1:41032")),
        Case(name: "client-recovery", file: "client-recovery.yaml", environment: process([
            "FULCRUM__PUBLISHER__PUBLISH_ENDPOINT": "tcp://127.0.0.1:41042",
            "FULCRUM__PUBLISHER__SNAPSHOT_ENDPOINT": "tcp://127.0.0.1:41043",
        ])),
        Case(name: "curve", file: "curve.yaml", environment: process(address: "127.0.0.1:41053")),
        Case(name: "curve-missing-key", file: "curve-missing-key.yaml", environment: process()),
        Case(name: "netns", file: "netns.yaml"),
        Case(name: "proxy-shard", file: "proxy-shard.yaml", environment: process()),
        Case(name: "regime-switch", file: "regime-switch.yaml", environment: process()),
        Case(name: "restart", file: "restart.yaml", environment: process()),
        Case(name: "restart-checkpoint", file: "restart-checkpoint.yaml", environment: process()),
        Case(name: "slow-consumer", file: "slow-consumer.yaml", environment: process()),
    ]

    /// The configuration as `fulcrum config check` prints it.
    static func effective(_ item: Case) throws -> String {
        // Backtest files are read as `fulcrum backtest` reads them; the others as `fulcrum run` does.
        let path = item.file.map { fixtures.appendingPathComponent($0).path }
        let configuration = item.name.hasPrefix("backtest-") && item.name != "backtest-replay"
            ? try FulcrumConfiguration.loadForReplay(path: path, environment: item.environment)
            : try FulcrumConfiguration.load(path: path, environment: item.environment)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(configuration), as: UTF8.self) + "\n"
    }

    @Test("Each file gives the recorded configuration, value for value", arguments: cases)
    func matchesTheRecord(_ item: Case) throws {
        let record = Self.fixtures.appendingPathComponent("Effective/\(item.name).json")
        let actual = try Self.effective(item)
        // Set to record the expectations of new cases; a recorded file changes only with its YAML.
        if ProcessInfo.processInfo.environment["FULCRUM_RECORD_EFFECTIVE_CONFIGURATIONS"] == "1" {
            try actual.write(to: record, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: record, encoding: .utf8)
        #expect(actual == expected, "\(item.name) differs from its record:\n\(actual)")
    }
}
