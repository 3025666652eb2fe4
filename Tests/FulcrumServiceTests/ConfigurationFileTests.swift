import Foundation
import FulcrumOperations
import FulcrumService
import FulcrumSettings
import FulcrumTestSupport
import MarginModel
import MarketData
import RiskEstimation
import Testing
@testable import ConfigurationLoading

/// A configuration written as a file from its typed value (``FulcrumConfiguration/configurationFileText()``)
/// loads back as exactly that value, field for field, as the tests that spawn `fulcrum` rely on.
@Suite("Configuration files written from typed values")
struct ConfigurationFileTests {
    static let second = FulcrumConfiguration.second

    /// Every section away from its defaults: two feeds (one cryptofeed, with a topic ending in a space), symbols
    /// and keys YAML would read as booleans, numbers, dates or null unless quoted, Z85 keys full of YAML
    /// punctuation, asset overrides with only some keys, a shrinkage alternative, CURVE, checkpoint, HTTP,
    /// recording, coverage portfolios, and numbers that need all 17 significant digits of a `Double`.
    static var everySection: FulcrumConfiguration {
        var configuration = FulcrumConfiguration.checkpointedEngine()
        configuration.ingest.feeds.append(FeedConfiguration(
            name: "cryptofeed", endpoint: "tcp://127.0.0.1:6001", bind: true,
            topicPrefixes: ["COINBASE-trades-", "BINANCE-ticker-ETH-USDT ", "#: {x}"], encoding: .cryptofeed,
            maxMessageSize: 1_024))
        configuration.ingest.symbols.allowList = ["AAA", "BBB", "off", "yes", "NO", "null", "~", "1e3", "0x1F",
                                                  "2024-01-01", "12:30", ".inf", "- x"]
        configuration.ingest.symbols.maximumDiscovered = 4
        configuration.ingest.validation.maximumAge = 30 * 86_400 * second
        configuration.ingest.filter.deviationThreshold = 1_000
        configuration.ingest.filter.scaleCeiling = 0.1 + 0.2
        configuration.ingest.feedSilenceStaleAfter = .zero
        configuration.estimation.halfLife = 20 * 86_400 * second
        configuration.estimation.method = .window
        configuration.estimation.shrinkage = .fixed(intensity: 1.0 / 3.0, target: .constantCorrelation)
        configuration.model.coverage.riskMeasure = .valueAtRisk
        configuration.model.coverage.tailProbability = 0.012_345_678_901_234_567
        configuration.model.liquidation.fixedCostFraction = 0
        configuration.model.circuitBreaker.staleAfterNs = 4 * 86_400 * second
        configuration.model.circuitBreaker.shockThresholdSigmas = 1e-7
        configuration.model.antiProcyclicality.mode = .off
        configuration.model.portfolio.degreesOfFreedom = 6.5
        configuration.model.assetOverrides = [
            "AAA": AssetOverrides(tailProbability: 0.005, liquidationHorizonNs: 2 * second,
                                  tierLowerBounds: [0, 1e6, 2.5e7],
                                  governance: AssetGovernanceOverrides(cooldownNs: 5 * second)),
            "yes": AssetOverrides(maximumLeverage: 20),
        ]
        configuration.coverage.portfolios.append(
            PortfolioDefinition(name: "off", positions: ["AAA": 1e16, "BBB": -1.0 / 7.0]))
        configuration.publisher.heartbeatInterval = .milliseconds(200)
        configuration.publisher.sendHighWaterMark = 20
        configuration.publisher.lingerMilliseconds = 2_500
        configuration.simulator.enabled = true
        configuration.simulator.market.seed = UInt64(Int64.max)
        configuration.logging.level = "debug"
        configuration.logging.rateLimitInterval = .seconds(1)
        configuration.recording.path = "/tmp/fulcrum session/recording.frec"
        configuration.recording.fsync = .always
        configuration.http.address = "0.0.0.0:9999"
        configuration.http.feedFreshness = .seconds(1)
        configuration.http.sampleInterval = .milliseconds(100)
        configuration.http.dashboardRefreshMilliseconds = 250
        configuration.checkpoint.enabled = true
        configuration.checkpoint.path = "/var/lib/fulcrum/checkpoint.sqlite"
        configuration.checkpoint.interval = 4 * second
        configuration.security.curve.enabled = true
        configuration.security.curve.secretKeyFile = "/etc/fulcrum/fulcrum.key"
        configuration.security.curve.allowedClientKeys = ["rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7",
                                                          "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"]
        configuration.security.curve.allowedClientsFile = "/etc/fulcrum/allowed.txt"
        configuration.security.curve.feedServerKeys = ["cryptofeed": "&*!^#:'\"[]{}|>-?,"]
        configuration.shutdownTimeout = .seconds(5)
        return configuration
    }

    static let cases: [(String, FulcrumConfiguration)] = [
        ("embedded default", .embeddedDefault),
        ("defaults", FulcrumConfiguration()),
        ("smallEngine", .smallEngine()),
        ("checkpointedEngine", .checkpointedEngine()),
        ("checkpointedEngine with discovery", .checkpointedEngine(gridInterval: 2 * second, coverageWindow: 60,
                                                                  discovery: true)),
        ("every section", everySection),
    ]

    static func encoded(_ configuration: FulcrumConfiguration) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(configuration), as: UTF8.self)
    }

    @Test("The file loads as the value it was written from", arguments: cases.indices)
    func roundTrip(index: Int) throws {
        let (name, configuration) = Self.cases[index]
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write(try configuration.configurationFileText(), to: "\(index).yaml")
        let loaded = try ConfigurationLoader.load(FulcrumConfiguration.self, defaults: FulcrumConfiguration(),
                                                  path: path)
        #expect(try Self.encoded(loaded) == Self.encoded(configuration), "\(name)")
        // Over the embedded default too, as `fulcrum run` without --config would not, but a file must not care.
        let overEmbedded = try ConfigurationLoader.load(FulcrumConfiguration.self, defaults: .embeddedDefault,
                                                        path: path)
        #expect(try Self.encoded(overEmbedded) == Self.encoded(configuration), "\(name) over the embedded default")
        // The checked writer agrees.
        #expect(throws: Never.self) { try directory.write(configuration, to: "\(index)-checked.yaml") }
    }

    @Test("The writer refuses values no file can express, naming the key")
    func unwritableValues() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var normal = FulcrumConfiguration.smallEngine()
        // nil: the normal distribution. The file has no key to write and the loader refuses `null` for a number.
        normal.model.portfolio.degreesOfFreedom = nil
        let mismatch = try #require(throws: ConfigurationFileMismatch.self) {
            try directory.write(normal, to: "normal.yaml")
        }
        #expect(mismatch.differences == ["model.portfolio.degreesOfFreedom: written nothing, loads 4"])

        // A seed beyond Int64.max is written as a number the loader does not read back into a UInt64: it refuses
        // the file, naming the key, rather than loading another seed.
        var seeded = FulcrumConfiguration.embeddedDefault
        seeded.simulator.market.seed = UInt64(Int64.max) + 1
        let beyond = try #require(throws: ConfigurationError.self) { try directory.write(seeded, to: "seed.yaml") }
        #expect(beyond.key == "simulator.market.seed")
        seeded.simulator.market.seed = UInt64.max
        let refused = try #require(throws: ConfigurationError.self) { try directory.write(seeded, to: "max.yaml") }
        #expect(refused.key == "simulator.market.seed")
    }
}
