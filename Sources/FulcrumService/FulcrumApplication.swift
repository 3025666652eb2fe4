import DedicatedThreads
import Foundation
import FulcrumBuildInfo
import FulcrumCheckpoint
import FulcrumEngine
import FulcrumOperations
import FulcrumProtocol
import FulcrumRecording
import Logging
import Prometheus
import RiskFeed
import ServiceLifecycle
import ZeroMQ

/// Wires the services of one Fulcrum process and runs them until SIGTERM or SIGINT.
public struct FulcrumApplication: Sendable {
    /// The validated configuration.
    public let configuration: FulcrumConfiguration
    /// The root logger.
    public let logger: Logger
    /// Engine state for observers.
    public let status: EngineStatus
    /// Metrics derived from the engine and publisher, scraped at `/metrics`.
    public let metrics: MetricsCollector
    /// The application's Prometheus registry, scraped at `/metrics`.
    public let registry: PrometheusCollectorRegistry
    /// CURVE handshake counters (zero while CURVE is off).
    public let security = SecurityStatus()
    /// The latest protocol-health message (none while health is off or not yet computed).
    public let health = HealthLatest()
    /// Start without the stored checkpoint: set it aside and begin a new one (`fulcrum run --fresh`).
    public var startFresh = false

    /// Validates `configuration`, creates its metrics registry and prepares the application.
    public init(configuration: FulcrumConfiguration, logger: Logger) throws {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        registry = PrometheusCollectorRegistry()
        let metrics = MetricsCollector(
            feedNames: configuration.ingest.feeds.map(\.name), factory: PrometheusFactory(registry: registry),
            problemLogger: RateLimitedLogger(logger: logger,
                                             interval: configuration.logging.rateLimitInterval),
            symbolLimit: configuration.http.symbolMetricsLimit)
        self.metrics = metrics
        status = EngineStatus(stepObserver: { metrics.recordGridSteps($0, nanoseconds: $1) },
                              phaseObserver: { metrics.recordStepPhases($0) },
                              correlationLimit: configuration.http.correlationLimit,
                              // Protocol health walks them; `/parameters` shows them.
                              keepsImpactCurves: configuration.health.enabled || configuration.http.enabled)
    }

    /// Runs every service; returns after a graceful shutdown, or throws ``NoTickAccepted`` after it when messages
    /// were received and not one tick was accepted.
    ///
    /// Shutdown runs in reverse start order: the simulated market stops, the engine publishes its
    /// final update and ends the stream, then the publisher flushes and closes.
    public func run() async throws {
        // First, so that every log says which build wrote it.
        logger.info("fulcrum \(BuildInfo.version)", metadata: ["fulcrum.commit": "\(BuildInfo.commit)"])
        let deadline = ShutdownDeadline(timeout: configuration.shutdownTimeout, logger: logger)
        // The services and the ZeroMQ context live in `runServices`: the context's termination, where libzmq waits
        // out the publisher's linger, happens before it returns, so the deadline bounds that wait too.
        try await runServices(deadline: deadline)
        deadline.disarm()
        logger.info("fulcrum stopped")
        if let shortfall = NoTickAccepted(totals: status.snapshot.totals) {
            logger.error("no tick accepted", metadata: ["fulcrum.reason": "\(shortfall)"])
            throw shortfall
        }
    }

    private func runServices(deadline: ShutdownDeadline) async throws {
        let context = try ZMQContext(ioThreads: 1)
        let epoch = UInt64(WallClock.now)
        // Before anything binds: a bad checkpoint or key file stops the process here, and the ZAP handler exists
        // before the first CURVE socket.
        let checkpointing = try CheckpointResume.prepare(settings: configuration.checkpoint,
                                                         engine: configuration.engine, epoch: epoch,
                                                         fresh: startFresh, logger: logger)
        let curve = try SecurityContext.make(settings: configuration.security.curve,
                                             feeds: configuration.ingest.feeds, context: context)
        var publisherConfiguration = configuration.publisher.configuration
        publisherConfiguration.epoch = epoch
        publisherConfiguration.curve = curve?.serverOptions
        let publisher = RiskPublisher(context: context, configuration: publisherConfiguration,
                                      logger: logger, inboxEndpoint: "inproc://fulcrum-updates")
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        // First, so it stops last: no CURVE socket outlives its handler.
        if let curve {
            services.append(Self.stopsAllOnFailure(SecurityService(security: curve, status: security, logger: logger)))
        }
        // Before the engine, so it outlives the engine's final checkpoint.
        if let checkpointing {
            services.append(Self.stopsAllOnFailure(CheckpointService(writer: checkpointing.writer)))
        }
        if configuration.http.enabled {
            let endpoints = HTTPEndpoints(settings: configuration.http, status: status, collector: metrics,
                                          registry: registry, sources: Self.metricSources(publisher: publisher, checkpointing: checkpointing,
                                                                      security: curve,
                                                                      health: configuration.health.enabled ? health : nil),
                                          shutdown: deadline)
            services.append(Self.stopsAllOnFailure(HTTPService(endpoints: endpoints, logger: logger)))
        }
        var engine = EngineService(configuration: configuration, context: context,
                                   outboxEndpoint: publisher.inboxEndpoint, epoch: epoch, status: status, logger: logger)
        engine.checkpointing = checkpointing
        engine.security = curve
        let healthConstraint = configuration.health.marginConstraint.enabled ? HealthConstraint() : nil
        engine.healthConstraint = healthConstraint
        services += [
            Self.stopsAllOnFailure(PublisherService(publisher: publisher)),
            Self.stopsAllOnFailure(engine),
        ]
        if configuration.simulator.enabled {
            services.append(Self.stopsAllOnFailure(SimulatedFeed(configuration: configuration.simulator,
                                                                 context: context, logger: logger)))
        }
        if let source = try configuration.healthPositionSource() {
            services.append(Self.stopsAllOnFailure(HealthService(
                settings: configuration.health, source: source, status: status, context: context,
                curve: curve?.serverOptions, logger: logger, latest: health, model: configuration.model,
                constraint: healthConstraint)))
        }
        // Last, so it hears of a shutdown first and bounds it.
        services.append(Self.stopsAllOnFailure(deadline))
        logger.info("fulcrum starting", metadata: [
            "fulcrum.epoch": "\(epoch)", "fulcrum.feeds": "\(configuration.ingest.feeds.count)",
            "fulcrum.simulator": "\(configuration.simulator.enabled)",
        ])
        var groupConfiguration = ServiceGroupConfiguration(services: services, logger: logger)
        groupConfiguration.gracefulShutdownSignals = [.sigterm, .sigint]
        // Services still running at three quarters of the deadline are cancelled; the deadline ends the rest.
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownTimeout / 4 * 3
        let group = ServiceGroup(configuration: groupConfiguration)
        try await group.run()
    }
}

extension FulcrumApplication {
    /// `service` in the group: when it fails, the others stop as on SIGTERM (the engine publishes its final update
    /// and writes its final checkpoint, HTTP closes its connections), not by cancellation, and the group then
    /// throws the failure.
    static func stopsAllOnFailure(_ service: any Service) -> ServiceGroupConfiguration.ServiceConfiguration {
        .init(service: service, failureTerminationBehavior: .gracefullyShutdownGroup)
    }

    /// What the metrics endpoint reads besides the engine status: publisher and checkpoint counters, and protocol
    /// health's latest message and position-feed counters when health is on.
    static func metricSources(publisher: RiskPublisher, checkpointing: CheckpointResume?,
                              security: SecurityContext?, health: HealthLatest? = nil) -> MetricsCollector.Sources {
        var sources = publisherMetricSources(publisher: publisher, checkpointing: checkpointing, security: security)
        if let health {
            sources.health = {
                HealthObservation(message: health.message, positionFeed: health.positionCounters.map { counters in
                    HealthObservation.PositionFeed(
                        updatesApplied: counters.updatesApplied, updatesIgnored: counters.updatesIgnored,
                        snapshotsApplied: counters.snapshotsApplied, changesRefused: counters.changesRefused,
                        resyncs: counters.resyncs, malformedFrames: health.malformedPositionFrames)
                })
            }
        }
        return sources
    }

    private static func publisherMetricSources(publisher: RiskPublisher, checkpointing: CheckpointResume?,
                                               security: SecurityContext?) -> MetricsCollector.Sources {
        let statistics = publisher.statistics
        let subscribers: @Sendable () -> Int = { statistics.subscribers.load(ordering: .relaxed) }
        var zap: (@Sendable () -> (accepted: UInt64, denied: UInt64))?
        if let handler = security?.handler {
            zap = { (handler.accepted.load(ordering: .relaxed), handler.denied.load(ordering: .relaxed)) }
        }
        guard let writer = checkpointing?.writer else {
            return MetricsCollector.Sources(publisher: statistics, subscribers: subscribers, security: zap)
        }
        let boundary: @Sendable () -> Int64? = {
            let value = writer.lastBoundary.load(ordering: .relaxed)
            return value == .min ? nil : value
        }
        let results: @Sendable () -> (written: UInt64, failed: UInt64, skipped: UInt64) = {
            (writer.written.load(ordering: .relaxed), writer.failed.load(ordering: .relaxed),
             writer.skipped.load(ordering: .relaxed))
        }
        return MetricsCollector.Sources(publisher: statistics, subscribers: subscribers,
                                        lastCheckpointBoundary: boundary, checkpointResults: results, security: zap)
    }
}

/// The publisher thread as a lifecycle service.
struct PublisherService: Service {
    let publisher: RiskPublisher

    func run() async throws {
        try await DedicatedService.run(name: "fulcrum-publisher") { stop in try publisher.run(stop: stop) }
    }
}
