import MarginModel
import MarketData
import Synchronization

/// A consistent copy of the engine's observable state, taken on the ingest thread after each
/// grid step and read by health, metrics and the parameters endpoint.
public struct EngineSnapshot: Sendable {
    /// Asset names in engine order.
    public var symbols: [String] = []
    /// Latest optimizer output per asset.
    public var parameters: [AssetParameters?] = []
    /// Latest price per asset.
    public var prices: [Double] = []
    /// Annualized volatility per asset.
    public var annualVolatility: [Double] = []
    /// Estimator status per asset (`noData`, `warming`, `ready`).
    public var estimateStatus: [String] = []
    /// Correlation matrix, row-major, `symbols.count`².
    public var correlation: [Double] = []
    /// Ingest counters over all feeds.
    public var totals = IngestCounters()
    /// Ingest counters per configured feed.
    public var feeds: [IngestCounters] = []
    /// Grid steps run.
    public var stepsRun: UInt64 = 0
    /// Last closed grid boundary, ns.
    public var lastBoundary: Int64?
    /// Publisher epoch.
    public var epoch: UInt64 = 0

    /// An empty snapshot.
    public init() {}
}

/// The shared, lock-protected holder of the latest ``EngineSnapshot``.
public final class EngineStatus: Sendable {
    private let box = Mutex(EngineSnapshot())
    private let lastStep = Atomic<UInt64>(.max)
    private let stepObserver: (@Sendable (_ steps: UInt64, _ nanoseconds: Int64) -> Void)?

    /// Creates an empty status.
    ///
    /// - Parameter stepObserver: called on the ingest thread once per tick that closed grid intervals, with the
    ///   number of steps and the time from the tick's receipt to the last resulting update queued (for the
    ///   latency histogram; never called for ordinary ticks).
    public init(stepObserver: (@Sendable (_ steps: UInt64, _ nanoseconds: Int64) -> Void)? = nil) {
        self.stepObserver = stepObserver
    }

    /// Reports a tick that closed `steps` grid intervals in `nanoseconds`.
    func recordSteps(_ steps: UInt64, nanoseconds: Int64) {
        stepObserver?(steps, nanoseconds)
    }

    /// The latest snapshot.
    public var snapshot: EngineSnapshot { box.withLock { $0 } }

    /// Refreshes the snapshot if the engine ran a step since the last refresh, or counters moved.
    func publish(_ engine: RiskEngine) {
        let counts = engine.ingestor.totals
        let stepChanged = lastStep.exchange(engine.stepsRun, ordering: .relaxed) != engine.stepsRun
        var snapshot = stepChanged ? EngineSnapshot() : nil
        if var fresh = snapshot {
            let count = engine.symbols.count
            fresh.symbols = engine.symbols
            fresh.parameters = engine.latest
            fresh.prices = engine.prices
            fresh.annualVolatility = (0..<count).map { engine.estimator.annualizedVolatility($0) }
            fresh.estimateStatus = (0..<count).map { engine.estimator.status($0).rawValue }
            fresh.correlation = (0..<count * count).map { engine.estimator.correlation($0 / count, $0 % count) }
            fresh.stepsRun = engine.stepsRun
            fresh.lastBoundary = engine.estimator.lastBoundary
            fresh.epoch = engine.epoch
            snapshot = fresh
        }
        let feeds = engine.configuration.ingest.feeds.indices.map { engine.ingestor.counters(feed: $0) }
        box.withLock { current in
            if let snapshot { current = snapshot }
            current.totals = counts
            current.feeds = feeds
        }
    }
}
