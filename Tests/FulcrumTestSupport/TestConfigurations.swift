import FulcrumService
import MarginModel
import MarketData

/// Configurations the tests build from typed values, not YAML text: a test states the settings it depends on
/// and gets exactly the value the loader would produce from the equivalent file (the configuration loader's
/// tests hold ``smallEngine()`` and ``checkpointedEngine(gridInterval:coverageWindow:discovery:)`` to their YAML
/// twins), and a process started on it reads that value from the file
/// ``writeConfigurationFile(to:)`` writes.
extension FulcrumConfiguration {
    /// Nanoseconds per millisecond.
    public static let millisecond: Int64 = 1_000_000
    /// Nanoseconds per second.
    public static let second: Int64 = 1_000_000_000
    /// Nanoseconds per hour.
    public static let hour: Int64 = 3_600 * second
    /// Nanoseconds per day.
    public static let day: Int64 = 86_400 * second

    /// A small engine: one protobuf feed named `test`, symbols AAA and BBB, a 1 s grid, a 10 s half-life, a
    /// warm-up of 5 effective samples, and ticks accepted up to an hour old.
    public static func smallEngine() -> FulcrumConfiguration {
        smallEngine(feeds: [FeedConfiguration(name: "test", endpoint: "tcp://127.0.0.1:5999")], symbols: ["AAA", "BBB"])
    }

    /// ``smallEngine()`` fed by `feeds`, with `symbols` as the allow-list (none: symbols are registered as they
    /// first arrive) and a warm-up of `warmupESS` effective samples.
    public static func smallEngine(feeds: [FeedConfiguration], symbols: [String],
                                   warmupESS: Double = 5) -> FulcrumConfiguration {
        var configuration = FulcrumConfiguration()
        configuration.ingest.feeds = feeds
        configuration.ingest.symbols.allowList = symbols
        configuration.ingest.validation.maximumAge = hour
        configuration.estimation.gridInterval = second
        configuration.estimation.halfLife = 10 * second
        configuration.estimation.warmupESS = warmupESS
        return configuration
    }

    /// An engine for tests of the transport rather than of the margins: fed by `feeds`, a grid step and a margin
    /// refresh every `gridInterval`, a 5 s half-life, a warm-up of `warmupESS` effective samples, no coverage
    /// and no HTTP endpoint.
    public static func fastEngine(feeds: [FeedConfiguration], gridInterval: Int64,
                                  warmupESS: Double) -> FulcrumConfiguration {
        var configuration = FulcrumConfiguration()
        configuration.ingest.feeds = feeds
        configuration.estimation.gridInterval = gridInterval
        configuration.estimation.halfLife = 5 * second
        configuration.estimation.warmupESS = warmupESS
        configuration.model.governance.refreshIntervalNs = gridInterval
        configuration.coverage.enabled = false
        configuration.http.enabled = false
        return configuration
    }

    /// ``smallEngine()`` with everything a checkpoint must carry: FHS margins from 50 residuals (capacity 200),
    /// coverage over 3 s horizons in a window of `coverageWindow` (warm-up included, widening on, one portfolio
    /// long AAA and short BBB) and a 1 s refresh. With `discovery`, no allow-list: symbols are registered as
    /// they first arrive.
    public static func checkpointedEngine(gridInterval: Int64 = second, coverageWindow: Int = 30,
                                          discovery: Bool = false) -> FulcrumConfiguration {
        var configuration = smallEngine()
        if discovery { configuration.ingest.symbols.allowList = [] }
        configuration.estimation.gridInterval = gridInterval
        configuration.estimation.residualCapacity = 200
        configuration.model.coverage.minimumResidualCount = 50
        configuration.model.coverage.liquidationHorizonNs = 3 * second
        configuration.model.governance.refreshIntervalNs = second
        configuration.coverage.enabled = true
        configuration.coverage.window = coverageWindow
        configuration.coverage.includeWarming = true
        configuration.coverage.widening.enabled = true
        configuration.coverage.portfolios = [PortfolioDefinition(name: "pair", positions: ["AAA": 100, "BBB": -50])]
        return configuration
    }

    /// Turns checkpointing on: the database at `path`, a checkpoint after the first grid step whose boundary
    /// reaches each multiple of `interval` of event time (ns), and one at graceful shutdown.
    public mutating func writeCheckpoints(to path: String, every interval: Int64) {
        checkpoint.enabled = true
        checkpoint.path = path
        checkpoint.interval = interval
    }
}
