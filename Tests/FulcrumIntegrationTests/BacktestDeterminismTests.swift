import Foundation
import FulcrumService
import FulcrumTestSupport
import MarginModel
import Testing

/// Backtests are reproducible: the same input and configuration give the same report bytes, and a CSV replayed
/// directly or through a recording publishes the same updates. A recording cut short by a crash still replays.
@Suite("Backtest determinism and recordings", .serialized, .timeLimit(.minutes(5)))
struct BacktestDeterminismTests {
    static let symbols = ["AAA", "BBB", "CCC"]
    static let seconds = 3 * 3_600

    static var configuration: FulcrumConfiguration {
        let second = FulcrumConfiguration.second
        var configuration = FulcrumConfiguration()
        configuration.ingest.symbols.allowList = symbols
        configuration.ingest.filter.deviationThreshold = 1_000
        configuration.estimation.gridInterval = second
        configuration.estimation.halfLife = 60 * second
        configuration.estimation.residualCapacity = 2_000
        configuration.model.coverage.liquidationHorizonNs = 60 * second
        configuration.model.coverage.minimumResidualCount = 300
        configuration.coverage.window = 50
        configuration.coverage.portfolios = [
            PortfolioDefinition(name: "hedged", positions: ["AAA": 1_000_000, "BBB": -500_000]),
        ]
        return configuration
    }

    /// Three correlated random walks, one tick per asset per second, with rare jumps; seeded, so every run
    /// writes the same file.
    static func csv() -> String {
        var random = SplitMix64(seed: 0x5EED)
        func uniform() -> Double { random.nextHalfOpenUnit() }
        var prices = [100.0, 20.0, 3.0]
        var lines = ["timestamp,symbol,price,venue,size"]
        let start = 1_700_000_000
        for second in 0..<seconds {
            let common = uniform() - 0.5
            for (index, symbol) in symbols.enumerated() {
                let jump = uniform() < 0.002 ? (uniform() < 0.5 ? -0.015 : 0.015) : 0
                prices[index] *= exp(0.001 * (0.7 * common + 0.3 * (uniform() - 0.5)) + jump)
                let time = "\(start + second).\(100 + 250 * index)"
                lines.append("\(time),\(symbol),\(prices[index]),SIM,\(1 + index)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func files(in directory: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let root = URL(fileURLWithPath: directory)
        for case let url as URL in FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) ?? .init()
            where !url.hasDirectoryPath {
            result[url.path.replacingOccurrences(of: root.path, with: "")] = try Data(contentsOf: url)
        }
        return result
    }

    @Test("Twice the same backtest, the same bytes (steps on the step thread, then inline); a recording publishes the same updates")
    func reproducible() async throws {
        let directory = try TemporaryDirectory(prefix: "fulcrum-backtest")
        defer { directory.remove() }
        let ticks = try directory.write(Self.csv(), to: "ticks.csv")
        let config = try directory.write(Self.configuration, to: "config.yaml")
        var inline = Self.configuration
        inline.stepThread = false
        let inlineConfig = try directory.write(inline, to: "inline.yaml")
        for (run, file) in [("first", config), ("second", inlineConfig)] {
            let result = try await FulcrumCommandLine.run([
                "backtest", ticks, "--config", file, "--out", directory.path(run),
                "--updates-out", directory.path("\(run).jsonl"),
            ])
            try #require(result.status == 0, "backtest failed: \(result.error)")
        }
        let first = try Self.files(in: directory.path("first"))
        let second = try Self.files(in: directory.path("second"))
        #expect(Set(first.keys) == ["/report.json", "/report.md", "/plots/AAA.svg", "/plots/BBB.svg",
                                    "/plots/CCC.svg", "/plots/portfolio-hedged.svg"])
        for (name, bytes) in first { #expect(second[name] == bytes, "\(name) differs between runs") }
        #expect(try directory.data("first.jsonl") == directory.data("second.jsonl"))

        let report = try directory.json("first/report.json")
        let assets = try #require(report["assets"] as? [[String: Any]])
        for asset in assets {
            let coverage = try #require(asset["coverage"] as? [String: Any])
            #expect((coverage["observations"] as? Int ?? 0) > 100, "\(asset["symbol"] ?? "?") was barely scored")
        }
        let portfolios = try #require(report["portfolios"] as? [[String: Any]])
        let portfolio = try #require(portfolios.first?["coverage"] as? [String: Any])
        #expect((portfolio["observations"] as? Int ?? 0) > 100)

        // The same rows as a recording: same engine input, so the same updates, byte for byte.
        let convert = try await FulcrumCommandLine.run(["record", "--from", ticks, "--out", directory.path("t.frec")])
        try #require(convert.status == 0, "record --from failed: \(convert.error)")
        let replay = try await FulcrumCommandLine.run([
            "backtest", directory.path("t.frec"), "--config", config, "--out", directory.path("recorded"),
            "--updates-out", directory.path("recorded.jsonl"),
        ])
        try #require(replay.status == 0, "backtest of the recording failed: \(replay.error)")
        let direct = try BacktestUpdates.read(directory.path("first.jsonl"))
        let recorded = try BacktestUpdates.read(directory.path("recorded.jsonl"))
        #expect(direct.count > 1_000)
        #expect(recorded.count == direct.count)
        #expect(zip(recorded, direct).allSatisfy { $0.topic == $1.topic && $0.payload == $1.payload })
        let recordedAssets = try #require(try directory.json("recorded/report.json")["assets"] as? NSArray)
        #expect(recordedAssets.isEqual(to: assets))
    }

    @Test("A recording whose last record was torn replays without it; damage in the middle is refused")
    func tornRecording() async throws {
        let directory = try TemporaryDirectory(prefix: "fulcrum-backtest")
        defer { directory.remove() }
        let ticks = try directory.write(Self.csv(), to: "ticks.csv")
        let config = try directory.write(Self.configuration, to: "config.yaml")
        let path = directory.path("t.frec")
        let convert = try await FulcrumCommandLine.run(["record", "--from", ticks, "--out", path])
        try #require(convert.status == 0, "record --from failed: \(convert.error)")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))

        let torn = directory.path("torn.frec")
        try bytes.prefix(bytes.count - 5).write(to: URL(fileURLWithPath: torn))
        let replay = try await FulcrumCommandLine.run(["backtest", torn, "--config", config,
                                                       "--out", directory.path("torn")])
        try #require(replay.status == 0, "backtest of a torn recording failed: \(replay.error)")
        let input = try #require(try directory.json("torn/report.json")["input"] as? [String: Any])
        #expect(input["messages"] as? Int == Self.symbols.count * Self.seconds - 1)
        let tail = try #require(input["recordingTail"] as? [String: Any])
        #expect(tail["tornTail"] as? Bool == true && tail["problem"] as? String == "truncated")

        bytes[bytes.count / 2] ^= 0x20
        let damaged = directory.path("damaged.frec")
        try bytes.write(to: URL(fileURLWithPath: damaged))
        let refused = try await FulcrumCommandLine.run(["backtest", damaged, "--config", config])
        #expect(refused.status != 0)
        #expect(refused.error.contains("corruptRecording"), "unexpected error: \(refused.error)")
    }
}
