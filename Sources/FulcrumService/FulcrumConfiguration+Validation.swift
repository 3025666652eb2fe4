import ConfigurationLoading
import FulcrumCheckpoint
import FulcrumOperations
import FulcrumRecording
import FulcrumSettings
import Logging
import MarginModel
import MarketData
import RiskEstimation
import RiskFeed
import ZeroMQ

extension FulcrumConfiguration {
    /// Checks every section; errors are ``ConfigurationError``s naming the key as the file spells it (each
    /// section's checks write their keys under its path), the bad value and what is allowed.
    public func validate() throws {
        try ingest.validate(keyPrefix: "ingest")
        try estimation.validate(keyPrefix: "estimation")
        try model.validate(keyPrefix: "model")
        try publisher.validate()
        try recording.validate(keyPrefix: "recording")
        try coverage.validate(keyPrefix: "coverage")
        try http.validate()
        try checkpoint.validate()
        try security.validate()
        if !(.milliseconds(100) ... .seconds(3_600)).contains(shutdownTimeout)
            || shutdownTimeout <= .milliseconds(publisher.lingerMilliseconds) {
            throw ConfigurationError(key: "shutdownTimeout", value: "\($shutdownTimeout)ns",
                                     allowed: "100ms … 1h and more than publisher.lingerMilliseconds",
                                     message: "invalid shutdown deadline")
        }
        try logging.validate()
        try health.validate()
        if health.enabled, health.positions.isConfigured, ingest.symbols.allowList.isEmpty {
            throw ConfigurationError(key: "ingest.symbols.allowList", value: "[]",
                                     allowed: "the markets positions refer to (health.positions is set)",
                                     message: "a position feed needs the symbols listed")
        }
        if simulator.enabled {
            if simulator.ticksPerSecond <= 0 || !simulator.ticksPerSecond.isFinite {
                throw ConfigurationError(key: "simulator.ticksPerSecond", value: "\(simulator.ticksPerSecond)",
                                         allowed: "a positive number", message: "invalid rate")
            }
            try PublisherSection.validateEndpoint(simulator.endpoint, key: "simulator.endpoint")
        }
        if ingest.feeds.isEmpty {
            throw ConfigurationError(key: "ingest.feeds", value: "[]", allowed: "at least one feed",
                                     message: "no market data source")
        }
        for (index, feed) in ingest.feeds.enumerated() {
            try PublisherSection.validateEndpoint(feed.endpoint, key: "ingest.feeds[\(index)].endpoint",
                                                  binding: feed.bind)
        }
        // The key files too, as `fulcrum run` reads them: what `config check` accepts, `run` accepts.
        _ = try CurveMaterial.load(settings: security.curve, feeds: ingest.feeds)
    }
}

extension PublisherSection {
    func validate() throws {
        let publisher = configuration
        try Self.validateEndpoint(publisher.publishEndpoint, key: "publisher.publishEndpoint")
        try Self.validateEndpoint(publisher.snapshotEndpoint, key: "publisher.snapshotEndpoint")
        let heartbeatNanoseconds = publisher.$heartbeatInterval
        guard (1_000_000...1_000_000_000).contains(heartbeatNanoseconds) else {
            throw ConfigurationError(key: "publisher.heartbeatInterval", value: "\(heartbeatNanoseconds)",
                                     allowed: "1ms ... 1s", message: "heartbeats must come at least once a second")
        }
        guard portfolioEverySteps >= 1 else {
            throw ConfigurationError(key: "publisher.portfolioEverySteps", value: "\(portfolioEverySteps)",
                                     allowed: "an integer ≥ 1", message: "invalid interval")
        }
        guard publisher.sendHighWaterMark >= 0 else {
            throw ConfigurationError(key: "publisher.sendHighWaterMark", value: "\(publisher.sendHighWaterMark)",
                                     allowed: "an integer ≥ 0 (0: unlimited)", message: "invalid queue size")
        }
        // ZeroMQ reads a negative linger as "wait forever", which would leave shutdown unbounded.
        guard publisher.lingerMilliseconds >= 0 else {
            throw ConfigurationError(key: "publisher.lingerMilliseconds", value: "\(publisher.lingerMilliseconds)",
                                     allowed: "an integer ≥ 0 (an infinite linger would leave shutdown unbounded)",
                                     message: "invalid linger")
        }
    }

    /// The rule of endpoints (``EndpointRule``, ports included) for a socket that binds (`binding`) or connects.
    static func validateEndpoint(_ endpoint: String, key: String, binding: Bool = true) throws {
        if let problem = EndpointRule.problem(in: endpoint, binding: binding) {
            throw ConfigurationError(key: key, value: endpoint, allowed: EndpointRule.description,
                                     message: "invalid endpoint: \(problem)")
        }
    }
}

extension LoggingSettings {
    /// The minimum level as swift-log's, `nil` for a word that is not one of its levels.
    public var minimumLevel: Logger.Level? { Logger.Level(rawValue: level) }

    func validate() throws {
        guard minimumLevel != nil else {
            throw ConfigurationError(key: "logging.level", value: level,
                                     allowed: Logger.Level.allCases.map(\.rawValue).joined(separator: " | "),
                                     message: "unknown log level")
        }
        guard (.milliseconds(1) ... .seconds(86_400)).contains(rateLimitInterval) else {
            throw ConfigurationError(key: "logging.rateLimitInterval", value: "\($rateLimitInterval)ns",
                                     allowed: "1ms … 1d", message: "out of range")
        }
    }
}
