import ConfigurationLoading
import FulcrumCheckpoint
import FulcrumEngine
import FulcrumOperations
import FulcrumRecording
import FulcrumSettings
import Logging
import MarginModel
import MarketData
import MarketSimulator
import RiskEstimation

/// Everything that configures one Fulcrum process. Loaded from YAML by ``ConfigurationLoader``
/// over these defaults; see `deploy/fulcrum.yaml` for an annotated example.
public struct FulcrumConfiguration: Sendable, Codable, RuledConfiguration {
    /// Feeds, symbols, validation and cross-venue filtering of inbound ticks.
    public var ingest: IngestConfiguration = IngestConfiguration(feeds: [])
    /// Grid, volatility and correlation estimation.
    public var estimation: EstimatorConfiguration = EstimatorConfiguration()
    /// Coverage target, tiers, governance and circuit breaker of the margin model.
    public var model: MarginModelConfiguration = MarginModelConfiguration()
    /// Outbound risk feed: the publisher's settings, and how often the engine publishes the portfolio.
    public var publisher: PublisherSection = PublisherSection()
    /// The built-in simulated market (off unless `simulator.enabled`).
    public var simulator: SimulatedFeed.Configuration = SimulatedFeed.Configuration()
    /// Logging.
    public var logging: LoggingSettings = LoggingSettings()
    /// Recording of every ingested message for replay (off unless `recording.path` is set).
    public var recording: RecordingConfiguration = RecordingConfiguration()
    /// Live coverage of the published margins, the optional widening rule, and scored portfolios.
    public var coverage: CoverageConfiguration = CoverageConfiguration()
    /// The operations HTTP endpoint: metrics, health, readiness, parameters, dashboard.
    public var http: HTTPSettings = HTTPSettings()
    /// Checkpoints of the engine's state for restarts without a new warm-up (off by default).
    public var checkpoint: CheckpointSettings = CheckpointSettings()
    /// CURVE authentication and encryption of every socket (off by default).
    public var security: SecuritySettings = SecuritySettings()
    /// Protocol health: positions valued at the published parameters and stressed (with the simulated market).
    public var health: HealthSettings = HealthSettings()
    /// Runs the grid steps (every asset's optimizer update, coverage and encoding) on a thread of their own, the
    /// second core, while the ingest thread goes on receiving; the same steps run in the same order on the same
    /// inputs, so the updates are those of the steps run on the ingest thread, byte for byte. The ingest thread
    /// waits only when it is about to close the next interval while the step thread still runs the previous step
    /// (counted: `fulcrum_step_waits_total`). `false` runs the steps on the ingest thread. Default: `true`.
    public var stepThread: Bool = true
    /// Longest a graceful shutdown (SIGTERM/SIGINT) may take before the process exits with status 1.
    /// Default: 10 s. Allowed: 100 ms … 1 h, and more than `publisher.lingerMilliseconds`.
    @NanosecondDuration public var shutdownTimeout: Duration = .seconds(10)

    /// Defaults with no feed: a configuration file names its feeds.
    public init() {}

    /// The sections the engine reads, as the engine takes them.
    public var engine: EngineConfiguration {
        EngineConfiguration(ingest: ingest, estimation: estimation, model: model, coverage: coverage,
                            portfolioEverySteps: publisher.portfolioEverySteps)
    }

    /// The embedded default: the simulated market feeding the pipeline, so `fulcrum run` works
    /// out of the box.
    public static var embeddedDefault: FulcrumConfiguration {
        var configuration = FulcrumConfiguration()
        configuration.simulator.enabled = true
        configuration.ingest.feeds = [FeedConfiguration(name: simulatedFeedName,
                                                        endpoint: configuration.simulator.endpoint)]
        return configuration
    }

    /// The name of the simulated market's feed.
    public static let simulatedFeedName = "simulated"

    /// What the loader needs beyond the defaults: list-item defaults, the keys of an asset override, the
    /// alternatives of `estimation.shrinkage` and `estimation.correlationModel`, the words of every enumeration, and the integer keys that are
    /// durations in nanoseconds.
    public static var configurationRules: ConfigurationRules {
        let governance = AssetGovernanceOverrides(maximumRelativeStep: 0, cooldownNs: 0, hysteresisBasisPoints: 0,
                                                  refreshIntervalNs: 0)
        // Every key set: the loader accepts exactly the keys this sample encodes.
        let override = AssetOverrides(
            tailProbability: 0, liquidationHorizonNs: 0, minimumInitialMarginFraction: 0,
            minimumMaintenanceMarginFraction: 0, maximumInitialMarginFraction: 0, maximumLeverage: 0,
            averageDailyVolumeNotional: 0, tierLowerBounds: [0], maximumNotional: 0, openInterestLowerCap: 0,
            openInterestUpperCap: 0, governance: governance)
        let targets = ShrinkageTarget.allCases.map(\.rawValue)
        let measures = RiskMeasure.allCases.map(\.rawValue)
        return ConfigurationRules(
            listItems: ["ingest.feeds": FeedConfiguration()],
            mapEntries: ["model.assetOverrides": override],
            alternatives: [
                "estimation.shrinkage": [
                    Shrinkage.none, Shrinkage.fixed(intensity: 0, target: .identity),
                    Shrinkage.ledoitWolf(target: .identity),
                ],
                "estimation.correlationModel": [CorrelationModel.full, CorrelationModel.factors(FactorConfiguration())],
            ],
            choices: [
                "ingest.feeds.encoding": FeedEncoding.allCases.map(\.rawValue),
                "ingest.gridPrice": GridPriceSource.allCases.map(\.rawValue),
                "estimation.method": VolatilityMethod.allCases.map(\.rawValue),
                // A section naming exactly one of these.
                "estimation.shrinkage": ["none", "fixed", "ledoitWolf"],
                "estimation.shrinkage.fixed.target": targets,
                "estimation.shrinkage.ledoitWolf.target": targets,
                "estimation.correlationModel": ["full", "factors"],
                "model.coverage.riskMeasure": measures,
                "model.coverage.horizonAggregation": HorizonAggregation.allCases.map(\.rawValue),
                "model.portfolio.riskMeasure": measures,
                "model.antiProcyclicality.mode": AntiProcyclicalityMode.allCases.map(\.rawValue),
                "recording.fsync": RecordingSyncPolicy.allCases.map(\.rawValue),
                "logging.level": Logger.Level.allCases.map(\.rawValue),
            ],
            // The event-time settings, Int64 nanoseconds; `NanosecondDuration`s and `…Ns` keys need no entry.
            durations: [
                "ingest.validation.maximumFutureSkew", "ingest.validation.maximumAge",
                "ingest.validation.sequenceRestartGap", "ingest.filter.staleAfter", "ingest.filter.confirmationWindow",
                "estimation.gridInterval", "estimation.lateness", "estimation.halfLife", "estimation.stressedHalfLife",
                "checkpoint.interval",
            ])
    }
}

/// Logging settings.
public struct LoggingSettings: Sendable, Codable {
    /// Minimum level: trace, debug, info, notice, warning, error, critical.
    public var level: String = "info"
    /// Problems that can repeat once per message (rejected ticks) are logged at most once per this interval per
    /// feed and reason, with the number of events folded in. Default: 10 s. Allowed: 1 ms … 1 d.
    @NanosecondDuration public var rateLimitInterval: Duration = .seconds(10)

    /// The defaults.
    public init() {}
}
