import FulcrumBuildInfo
import FulcrumEngine
import MarginModel
import MarketData
import Metrics
import RiskFeed
import Synchronization

/// Turns the counters the engine and publisher keep for themselves into swift-metrics counters, gauges and
/// histograms, off the hot path.
///
/// The ingest thread keeps plain per-feed ``IngestCounters`` and the publisher thread plain atomics; nothing per
/// tick touches a metric. ``refresh(snapshot:sources:now:)`` — called on every scrape and by
/// ``MetricsSampler`` once per sample interval — compares them with what it saw last and increments the metric
/// counters by the difference, sets the per-asset gauges from the latest ``EngineSnapshot``, and notes when each
/// feed last moved (for `/ready`) and when the publisher last sent a heartbeat (for `/health`). The only metric the
/// ingest thread records itself is the grid-step latency, once per tick that closed a grid interval.
public final class MetricsCollector: Sendable {
    /// Optional sources other services provide; each absent one leaves its metrics out.
    public struct Sources: Sendable {
        /// The publisher's counters: updates published, heartbeats, snapshot requests, sequence.
        public var publisher: PublisherStatistics?
        /// Current number of subscribers connected to the PUB socket.
        public var subscribers: (@Sendable () -> Int)?
        /// The grid boundary (event time, ns) of the last checkpoint written (`nil`: none yet).
        public var lastCheckpointBoundary: (@Sendable () -> Int64?)?
        /// Checkpoints written and failed so far.
        public var checkpointResults: (@Sendable () -> (written: UInt64, failed: UInt64, skipped: UInt64))?
        /// The ZAP handler's decisions so far, when CURVE is on.
        public var security: (@Sendable () -> (accepted: UInt64, denied: UInt64))?
        /// Protocol health, when on: the latest message and the position feed's counters (`fulcrum.health.*`,
        /// `fulcrum.positions.*`, and the `health` section of `/parameters`).
        public var health: (@Sendable () -> HealthObservation)?

        /// Creates sources; every one is optional.
        public init(publisher: PublisherStatistics? = nil, subscribers: (@Sendable () -> Int)? = nil,
                    lastCheckpointBoundary: (@Sendable () -> Int64?)? = nil,
                    checkpointResults: (@Sendable () -> (written: UInt64, failed: UInt64, skipped: UInt64))? = nil,
                    security: (@Sendable () -> (accepted: UInt64, denied: UInt64))? = nil,
                    health: (@Sendable () -> HealthObservation)? = nil) {
            self.security = security
            self.health = health
            self.publisher = publisher
            self.subscribers = subscribers
            self.lastCheckpointBoundary = lastCheckpointBoundary
            self.checkpointResults = checkpointResults
        }
    }

    /// Names of the feeds in configuration order, the `feed` dimension.
    public let feedNames: [String]
    /// Per-symbol series (`fulcrum_asset_*`, `fulcrum_coverage_*`) exist for the first this many assets in engine
    /// order; the rest are counted in `fulcrum_asset_series_omitted` (``HTTPSettings/symbolMetricsLimit``).
    public let symbolLimit: Int
    /// The rate-limited logger per-message problems (invalid snapshot requests) are reported to, if any.
    public let problemLogger: RateLimitedLogger?
    let factory: any MetricsFactory
    let started: ContinuousClock.Instant
    let stepLatency: Timer
    let estimatorLatency: Timer
    let optimizerLatency: Timer
    let ready: Gauge
    private let state: Mutex<State>

    /// Creates the collector and registers the metrics that exist from the start (per-feed tick counters with
    /// every rejection reason at zero, so dashboards see a series before its first increment).
    ///
    /// - Parameters:
    ///   - feedNames: the configured feeds, in order.
    ///   - factory: where metrics are created; the application passes the Prometheus factory, tests their own.
    ///   - problemLogger: receives at most one line per interval while invalid snapshot requests arrive (a
    ///     flood of malformed requests must not flood the log; rejected ticks are reported by the ingest thread).
    ///   - symbolLimit: how many assets get per-symbol series (0: none).
    ///   - now: the start time feed and heartbeat ages are measured from until they first move.
    public init(feedNames: [String], factory: any MetricsFactory, problemLogger: RateLimitedLogger? = nil,
                symbolLimit: Int = HTTPSettings().symbolMetricsLimit, now: ContinuousClock.Instant = .now) {
        self.feedNames = feedNames
        self.symbolLimit = symbolLimit
        self.factory = factory
        self.problemLogger = problemLogger
        started = now
        stepLatency = Timer(label: MetricsName.gridStepLatency, factory: factory)
        estimatorLatency = Timer(label: MetricsName.estimatorStepLatency, factory: factory)
        optimizerLatency = Timer(label: MetricsName.optimizerStepLatency, factory: factory)
        ready = Gauge(label: MetricsName.ready, factory: factory)
        Gauge(label: MetricsName.buildInfo, dimensions: [("version", BuildInfo.version), ("commit", BuildInfo.commit)],
              factory: factory).record(1)
        state = Mutex(State(feeds: feedNames.map { FeedMetrics(feed: $0, factory: factory) }, factory: factory,
                            symbolLimit: symbolLimit))
    }

    /// Records whether the process is ready (`/ready` would answer 200), as the `fulcrum_ready` gauge (1 or 0).
    public func recordReadiness(_ isReady: Bool) {
        ready.record(isReady ? 1 : 0)
    }

    /// Records the latency of one tick that closed `steps` grid intervals: from its receipt to the last resulting
    /// update handed to the publisher (estimator, optimizer and encoding). Called on the ingest thread, once per
    /// such tick — never per ordinary tick.
    public func recordGridSteps(_ steps: UInt64, nanoseconds: Int64) {
        guard steps > 0 else { return }
        stepLatency.recordNanoseconds(max(nanoseconds, 0))
    }

    /// Records the estimator and optimizer time of the grid steps one tick closed, per step. Called on the ingest
    /// thread right after ``recordGridSteps(_:nanoseconds:)``.
    public func recordStepPhases(_ phases: StepPhases) {
        guard phases.steps > 0 else { return }
        let steps = Int64(clamping: phases.steps)
        estimatorLatency.recordNanoseconds(max(phases.estimatorNanoseconds / steps, 0))
        optimizerLatency.recordNanoseconds(max(phases.optimizerNanoseconds / steps, 0))
    }

    /// Brings every metric up to date with `snapshot` and `sources` and returns what health and readiness need.
    ///
    /// - Parameter now: the current monotonic time, for feed and heartbeat ages.
    @discardableResult
    public func refresh(snapshot: EngineSnapshot, sources: Sources,
                        now: ContinuousClock.Instant = .now) -> MetricsObservation {
        let subscribers = sources.subscribers?()
        let checkpoint = Checkpoints(boundary: sources.lastCheckpointBoundary?(),
                                     results: sources.checkpointResults?())
        let health = sources.health?()
        var (observation, problems) = state.withLock { state in
            state.connections.update(publisher: sources.publisher, security: sources.security?())
            state.process.refresh()
            if let message = health?.message {
                var metrics = state.health ?? HealthMetrics(factory: factory, symbolLimit: symbolLimit)
                metrics.update(message, lastBoundary: snapshot.lastBoundary)
                state.health = metrics
            }
            if let counts = health?.positionFeed {
                var metrics = state.positionFeed ?? PositionFeedMetrics(factory: factory)
                metrics.update(counts)
                state.positionFeed = metrics
            }
            return state.update(snapshot: snapshot, publisher: sources.publisher, subscribers: subscribers,
                                checkpoints: checkpoint, now: now, started: started)
        }
        observation.health = health
        if let problemLogger {
            problemLogger.log(.warning, key: "snapshot.invalid", "invalid snapshot requests",
                              count: problems.invalidSnapshotRequests, now: now)
            problemLogger.log(.warning, key: "snapshot.dropped", "snapshot replies dropped: a client backlog was full",
                              count: problems.droppedSnapshotReplies, now: now)
            problemLogger.flush(now: now)
        }
        return observation
    }
}

extension MetricsCollector {
    /// The counters of one feed.
    struct FeedMetrics {
        let received: Counter
        let accepted: Counter
        let ignored: Counter
        let rejected: [Counter]
        let age: Gauge

        init(feed: String, factory: any MetricsFactory) {
            let dimensions = [("feed", feed)]
            received = Counter(label: MetricsName.ticksReceived, dimensions: dimensions, factory: factory)
            accepted = Counter(label: MetricsName.ticksAccepted, dimensions: dimensions, factory: factory)
            ignored = Counter(label: MetricsName.ticksIgnored, dimensions: dimensions, factory: factory)
            rejected = RejectionReason.allCases.map { reason in
                Counter(label: MetricsName.ticksRejected, dimensions: dimensions + [("reason", reason.metricName)],
                        factory: factory)
            }
            age = Gauge(label: MetricsName.feedAge, dimensions: dimensions, factory: factory)
        }
    }

    /// The gauges of one asset.
    struct AssetMetrics {
        let price: Gauge
        let sigma: Gauge
        let imf: Gauge
        let imfTarget: Gauge
        let mmf: Gauge
        let mmfTarget: Gauge
        let maxLeverage: Gauge
        let maxLeverageTarget: Gauge
        let status: [Gauge]
        let coverage: CoverageGauges

        init(symbol: String, factory: any MetricsFactory) {
            let dimensions = [("symbol", symbol)]
            func gauge(_ label: String) -> Gauge { Gauge(label: label, dimensions: dimensions, factory: factory) }
            price = gauge(MetricsName.assetPrice)
            sigma = gauge(MetricsName.assetSigma)
            imf = gauge(MetricsName.assetIMF)
            imfTarget = gauge(MetricsName.assetIMFTarget)
            mmf = gauge(MetricsName.assetMMF)
            mmfTarget = gauge(MetricsName.assetMMFTarget)
            maxLeverage = gauge(MetricsName.assetMaxLeverage)
            maxLeverageTarget = gauge(MetricsName.assetMaxLeverageTarget)
            status = MarginStatus.allCases.map { status in
                Gauge(label: MetricsName.assetStatus, dimensions: dimensions + [("status", status.rawValue)],
                      factory: factory)
            }
            coverage = CoverageGauges(symbol: symbol, factory: factory)
        }

        func record(price value: Double, sigma sigmaValue: Double, parameters: AssetParameters?,
                    coverage window: EngineSnapshot.AssetCoverage?) {
            if let window { coverage.record(window) }
            if value.isFinite { price.record(value) }
            if sigmaValue.isFinite { sigma.record(sigmaValue) }
            guard let parameters else { return }
            imf.record(parameters.published.initialMarginFraction)
            imfTarget.record(parameters.target.initialMarginFraction)
            mmf.record(parameters.published.maintenanceMarginFraction)
            mmfTarget.record(parameters.target.maintenanceMarginFraction)
            maxLeverage.record(parameters.published.maxLeverage)
            maxLeverageTarget.record(parameters.target.maxLeverage)
            for (index, status) in MarginStatus.allCases.enumerated() {
                self.status[index].record(status == parameters.status ? 1 : 0)
            }
        }
    }

    /// The rolling coverage of one asset: `fulcrum.coverage.observations`, `.exceptions`, `.exception.rate`,
    /// `.kupiec.statistic`, `.kupiec.p.value` and `.zone` (0 green, 1 yellow, 2 red), each with the `symbol`
    /// dimension. Created with the asset's other gauges, recorded once coverage tracking has a window for it.
    struct CoverageGauges {
        let observations: Gauge
        let exceptions: Gauge
        let rate: Gauge
        let kupiec: Gauge
        let pValue: Gauge
        let zone: Gauge

        init(symbol: String, factory: any MetricsFactory) {
            let dimensions = [("symbol", symbol)]
            func gauge(_ label: String) -> Gauge { Gauge(label: label, dimensions: dimensions, factory: factory) }
            observations = gauge(MetricsName.coverageObservations)
            exceptions = gauge(MetricsName.coverageExceptions)
            rate = gauge(MetricsName.coverageExceptionRate)
            kupiec = gauge(MetricsName.coverageKupiecStatistic)
            pValue = gauge(MetricsName.coverageKupiecPValue)
            zone = gauge(MetricsName.coverageZone)
        }

        func record(_ window: EngineSnapshot.AssetCoverage) {
            guard window.observations > 0 else { return }
            observations.record(window.observations)
            exceptions.record(window.exceptions)
            rate.record(window.exceptionRate)
            kupiec.record(window.kupiecStatistic)
            pValue.record(window.kupiecPValue)
            zone.record(window.zone == .green ? 0 : window.zone == .yellow ? 1 : 2)
        }
    }

    /// What the checkpoint sources reported.
    struct Checkpoints {
        var boundary: Int64?
        var results: (written: UInt64, failed: UInt64, skipped: UInt64)?
    }

    /// Per-message problems seen since the previous refresh.
    struct Problems {
        var invalidSnapshotRequests: UInt64 = 0
        var droppedSnapshotReplies: UInt64 = 0
    }

    /// The collector's mutable state: what it saw last, and the metrics it created.
    struct State {
        let factory: any MetricsFactory
        var feeds: [FeedMetrics]
        var seenFeeds: [IngestCounters]
        var feedMoved: [ContinuousClock.Instant?]
        var assets: [String: AssetMetrics] = [:]
        let symbolLimit: Int
        let omittedSymbols: Gauge
        var seenSteps: UInt64 = 0
        var seenUpdates: UInt64 = 0
        var seenHeartbeats: UInt64 = 0
        var heartbeatMoved: ContinuousClock.Instant?
        var seenSnapshots: UInt64 = 0
        var seenInvalidSnapshots: UInt64 = 0
        var seenDroppedSnapshots: UInt64 = 0
        let gridSteps: Counter
        var seenGridPriceFallbacks: UInt64 = 0
        let gridPriceFallbacks: Counter
        var seenStepWaits: UInt64 = 0
        let stepWaits: Counter
        let updatesPublished: Counter
        let heartbeatsSent: Counter
        let snapshotsAnswered: Counter
        let snapshotsInvalid: Counter
        let snapshotsDropped: Counter
        let sequence: Gauge
        let boundary: Gauge
        var subscribers: Gauge?
        var checkpointAge: Gauge?
        var checkpointsWritten: Counter?
        var checkpointsFailed: Counter?
        var checkpointsSkipped: Counter?
        var seenCheckpointsSkipped: UInt64 = 0
        var seenCheckpointsWritten: UInt64 = 0
        var seenCheckpointsFailed: UInt64 = 0
        var connections: ConnectionMetrics
        var process: ProcessMetrics
        var health: HealthMetrics?
        var positionFeed: PositionFeedMetrics?

        init(feeds: [FeedMetrics], factory: any MetricsFactory, symbolLimit: Int) {
            self.factory = factory
            self.feeds = feeds
            self.symbolLimit = max(symbolLimit, 0)
            omittedSymbols = Gauge(label: MetricsName.assetSeriesOmitted, factory: factory)
            connections = ConnectionMetrics(factory: factory)
            process = ProcessMetrics(factory: factory)
            seenFeeds = Array(repeating: IngestCounters(), count: feeds.count)
            feedMoved = Array(repeating: nil, count: feeds.count)
            gridSteps = Counter(label: MetricsName.gridSteps, factory: factory)
            gridPriceFallbacks = Counter(label: MetricsName.gridPriceFallbacks, factory: factory)
            stepWaits = Counter(label: MetricsName.stepWaits, factory: factory)
            updatesPublished = Counter(label: MetricsName.updatesPublished, factory: factory)
            heartbeatsSent = Counter(label: MetricsName.heartbeatsSent, factory: factory)
            snapshotsAnswered = Counter(label: MetricsName.snapshotRequests, dimensions: [("result", "answered")],
                                        factory: factory)
            snapshotsInvalid = Counter(label: MetricsName.snapshotRequests, dimensions: [("result", "invalid")],
                                       factory: factory)
            snapshotsDropped = Counter(label: MetricsName.snapshotRequests, dimensions: [("result", "dropped")],
                                       factory: factory)
            sequence = Gauge(label: MetricsName.publisherSequence, factory: factory)
            boundary = Gauge(label: MetricsName.gridBoundary, factory: factory)
        }

        /// Increments `counter` by how far `current` moved past `seen`, and remembers `current`.
        static func advance(_ counter: Counter, from seen: inout UInt64, to current: UInt64) -> UInt64 {
            guard current > seen else { return 0 }
            let delta = current - seen
            counter.increment(by: Int64(clamping: delta))
            seen = current
            return delta
        }

        mutating func update(
            snapshot: EngineSnapshot, publisher: PublisherStatistics?, subscribers subscriberCount: Int?,
            checkpoints: Checkpoints, now: ContinuousClock.Instant, started: ContinuousClock.Instant
        ) -> (MetricsObservation, Problems) {
            var problems = Problems()
            for index in feeds.indices where index < snapshot.feeds.count {
                let current = snapshot.feeds[index]
                var seen = seenFeeds[index]
                let metrics = feeds[index]
                var received = seen.received, accepted = seen.accepted, ignored = seen.ignored
                _ = Self.advance(metrics.received, from: &received, to: current.received)
                // Freshness counts accepted ticks: a feed that only delivers rejected messages is as good as silent.
                if Self.advance(metrics.accepted, from: &accepted, to: current.accepted) > 0 { feedMoved[index] = now }
                _ = Self.advance(metrics.ignored, from: &ignored, to: current.ignored)
                for reason in RejectionReason.allCases {
                    var count = seen[reason]
                    _ = Self.advance(metrics.rejected[reason.index], from: &count, to: current[reason])
                }
                seen = current
                seenFeeds[index] = seen
            }
            let feedAges = feedMoved.map { now - ($0 ?? started) }
            for (index, age) in feedAges.enumerated() { feeds[index].age.record(age.seconds) }

            _ = Self.advance(gridSteps, from: &seenSteps, to: snapshot.stepsRun)
            _ = Self.advance(gridPriceFallbacks, from: &seenGridPriceFallbacks, to: snapshot.gridPriceFallbacks)
            _ = Self.advance(stepWaits, from: &seenStepWaits, to: snapshot.stepThread.waits)
            if let lastBoundary = snapshot.lastBoundary { boundary.record(Double(lastBoundary) / 1e9) }
            var heartbeatAge: Duration?
            var lastSequence: UInt64 = 0
            if let publisher {
                _ = Self.advance(updatesPublished, from: &seenUpdates,
                                 to: publisher.updatesPublished.load(ordering: .relaxed))
                if Self.advance(heartbeatsSent, from: &seenHeartbeats,
                                to: publisher.heartbeatsSent.load(ordering: .relaxed)) > 0 {
                    heartbeatMoved = now
                }
                _ = Self.advance(snapshotsAnswered, from: &seenSnapshots,
                                 to: publisher.snapshotRequests.load(ordering: .relaxed))
                problems.invalidSnapshotRequests = Self.advance(
                    snapshotsInvalid, from: &seenInvalidSnapshots,
                    to: publisher.invalidSnapshotRequests.load(ordering: .relaxed))
                problems.droppedSnapshotReplies = Self.advance(
                    snapshotsDropped, from: &seenDroppedSnapshots,
                    to: publisher.snapshotRepliesDropped.load(ordering: .relaxed))
                lastSequence = publisher.lastSequence.load(ordering: .relaxed)
                sequence.record(lastSequence)
                heartbeatAge = now - (heartbeatMoved ?? started)
            }
            if let subscriberCount {
                if subscribers == nil { subscribers = Gauge(label: MetricsName.subscribers, factory: factory) }
                subscribers?.record(subscriberCount)
            }
            if let checkpointed = checkpoints.boundary, let boundary = snapshot.lastBoundary {
                if checkpointAge == nil { checkpointAge = Gauge(label: MetricsName.checkpointAge, factory: factory) }
                checkpointAge?.record(Double(max(boundary - checkpointed, 0)) / 1e9)
            }
            if let results = checkpoints.results {
                if checkpointsWritten == nil {
                    checkpointsWritten = Counter(label: MetricsName.checkpoints, dimensions: [("result", "written")],
                                                 factory: factory)
                    checkpointsFailed = Counter(label: MetricsName.checkpoints, dimensions: [("result", "failed")],
                                                factory: factory)
                    checkpointsSkipped = Counter(label: MetricsName.checkpoints, dimensions: [("result", "skipped")],
                                                 factory: factory)
                }
                if let checkpointsSkipped {
                    _ = Self.advance(checkpointsSkipped, from: &seenCheckpointsSkipped, to: results.skipped)
                }
                if let checkpointsWritten, let checkpointsFailed {
                    _ = Self.advance(checkpointsWritten, from: &seenCheckpointsWritten, to: results.written)
                    _ = Self.advance(checkpointsFailed, from: &seenCheckpointsFailed, to: results.failed)
                }
            }
            omittedSymbols.record(max(snapshot.symbols.count - symbolLimit, 0))
            for (asset, symbol) in snapshot.symbols.prefix(symbolLimit).enumerated() {
                let metrics = assets[symbol] ?? AssetMetrics(symbol: symbol, factory: factory)
                assets[symbol] = metrics
                metrics.record(price: snapshot.prices.element(asset) ?? .nan,
                               sigma: snapshot.annualVolatility.element(asset) ?? .nan,
                               parameters: snapshot.announcedParameters(asset),
                               coverage: snapshot.coverage.element(asset) ?? nil)
            }
            let observation = MetricsObservation(
                snapshot: snapshot, feedAges: feedAges, feedsHeard: feedMoved.map { $0 != nil },
                heartbeatAge: heartbeatAge, lastSequence: lastSequence, uptime: now - started)
            return (observation, problems)
        }
    }

}

extension Array {
    /// The element at `index`, or `nil` when out of range.
    fileprivate func element(_ index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    fileprivate var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
