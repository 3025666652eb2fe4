import Backtesting
import MarginModel
import MarketData
import MarketSimulator
import RiskEstimation

/// Everything that configures one Fulcrum process. Loaded from YAML by ``ConfigurationLoader``
/// over these defaults; see `deploy/fulcrum.yaml` for an annotated example.
public struct FulcrumConfiguration: Sendable, Codable {
    /// Feeds, symbols, validation and cross-venue filtering of inbound ticks.
    public var ingest: IngestConfiguration = IngestConfiguration(feeds: [])
    /// Grid, volatility and correlation estimation.
    public var estimation: EstimatorConfiguration = EstimatorConfiguration()
    /// Coverage target, tiers, governance and circuit breaker of the margin model.
    public var model: MarginModelConfiguration = MarginModelConfiguration()
    /// Outbound risk feed.
    public var publisher: PublisherSettings = PublisherSettings()
    /// The built-in simulated market.
    public var simulator: SimulatorSettings = SimulatorSettings()
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
    /// Longest a graceful shutdown (SIGTERM/SIGINT) may take before the process exits with status 1, ns.
    /// Default: 10 s. Allowed: 100 ms … 1 h, and more than `publisher.lingerMilliseconds`.
    public var shutdownTimeout: Int64 = 10_000_000_000

    /// Defaults with no feed: a configuration file names its feeds.
    public init() {}

    /// The embedded default: the simulated market feeding the pipeline, so `fulcrum run` works
    /// out of the box.
    public static var embeddedDefault: FulcrumConfiguration {
        var configuration = FulcrumConfiguration()
        configuration.simulator.enabled = true
        configuration.ingest.feeds = [FeedConfiguration(name: "simulated", endpoint: configuration.simulator.endpoint)]
        return configuration
    }

    /// Defaults of each item of the configuration's lists, for ``ConfigurationLoader``.
    public static var listItemDefaults: [String: any Encodable] {
        ["ingest.feeds": FeedConfiguration()]
    }

    /// Checks every section; errors name the key, the bad value and what is allowed.
    public func validate() throws {
        try ingest.validate(context: "ingest")
        try estimation.validate()
        try model.validate()
        try publisher.validate()
        try recording.validate(context: "recording")
        try coverage.validate(context: "coverage")
        try http.validate()
        try checkpoint.validate()
        try security.validate()
        if !(100_000_000...3_600_000_000_000).contains(shutdownTimeout)
            || shutdownTimeout <= Int64(publisher.lingerMilliseconds) * 1_000_000 {
            throw ConfigurationError(key: "shutdownTimeout", value: "\(shutdownTimeout)ns",
                                     allowed: "100ms … 1h and more than publisher.lingerMilliseconds",
                                     message: "invalid shutdown deadline")
        }
        if !(1_000_000...86_400_000_000_000).contains(logging.rateLimitInterval) {
            throw ConfigurationError(key: "logging.rateLimitInterval", value: "\(logging.rateLimitInterval)ns",
                                     allowed: "1ms … 1d", message: "out of range")
        }
        if simulator.enabled, simulator.ticksPerSecond <= 0 || !simulator.ticksPerSecond.isFinite {
            throw ConfigurationError(key: "simulator.ticksPerSecond", value: "\(simulator.ticksPerSecond)",
                                     allowed: "a positive number", message: "invalid rate")
        }
        if ingest.feeds.isEmpty {
            throw ConfigurationError(key: "ingest.feeds", value: "[]", allowed: "at least one feed",
                                     message: "no market data source")
        }
    }
}

/// Outbound risk-feed settings.
public struct PublisherSettings: Sendable, Codable {
    /// Endpoint of the PUB socket (bound).
    public var publishEndpoint: String = "tcp://127.0.0.1:7601"
    /// Endpoint of the snapshot ROUTER socket (bound).
    public var snapshotEndpoint: String = "tcp://127.0.0.1:7602"
    /// Heartbeat period, ns (at most 1 s).
    public var heartbeatInterval: Int64 = 500_000_000
    /// Per-subscriber queue in messages before PUB drops for that subscriber.
    public var sendHighWaterMark: Int = 10_000
    /// Also publish JSON renditions under `json.`.
    public var publishJSON: Bool = true
    /// Publish the portfolio (correlation) update every this many grid steps.
    public var portfolioEverySteps: Int = 1
    /// Bound on how long unsent messages delay shutdown, ms. Allowed: 0 and more, less than `shutdownTimeout`
    /// (libzmq reads a negative linger as "forever", which would let a stalled subscriber hold up the exit).
    public var lingerMilliseconds: Int = 1_000

    /// The defaults.
    public init() {}

    func validate() throws {
        guard (1_000_000...1_000_000_000).contains(heartbeatInterval) else {
            throw ConfigurationError(key: "publisher.heartbeatInterval", value: "\(heartbeatInterval)",
                                     allowed: "1ms ... 1s", message: "heartbeats must come at least once a second")
        }
        guard portfolioEverySteps >= 1 else {
            throw ConfigurationError(key: "publisher.portfolioEverySteps", value: "\(portfolioEverySteps)",
                                     allowed: "an integer ≥ 1", message: "invalid interval")
        }
        guard lingerMilliseconds >= 0 else {
            throw ConfigurationError(key: "publisher.lingerMilliseconds", value: "\(lingerMilliseconds)",
                                     allowed: "an integer ≥ 0 and below shutdownTimeout", message: "unbounded linger")
        }
        guard sendHighWaterMark >= 0 else {
            throw ConfigurationError(key: "publisher.sendHighWaterMark", value: "\(sendHighWaterMark)",
                                     allowed: "an integer ≥ 0 (0: unlimited)", message: "invalid queue size")
        }
    }
}

/// The built-in simulated market.
public struct SimulatorSettings: Sendable, Codable {
    /// Run the simulated market inside the process.
    public var enabled: Bool = false
    /// Endpoint its PUB binds.
    public var endpoint: String = "inproc://fulcrum-simulator"
    /// Ticks per asset per second.
    public var ticksPerSecond: Double = 20
    /// The market model.
    public var market: SimulationConfiguration = SimulationConfiguration()

    /// The defaults.
    public init() {}
}

/// Logging settings.
public struct LoggingSettings: Sendable, Codable {
    /// Minimum level: trace, debug, info, notice, warning, error, critical.
    public var level: String = "info"
    /// Problems that can repeat once per message (rejected ticks) are logged at most once per this interval per
    /// feed and reason, with the number of events folded in, ns. Default: 10 s. Allowed: 1 ms … 1 d.
    public var rateLimitInterval: Int64 = 10_000_000_000

    /// The defaults.
    public init() {}
}
