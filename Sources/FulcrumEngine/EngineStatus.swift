import MarginModel
import MarketData
import Synchronization

/// A consistent copy of the engine's observable state, taken on the ingest thread after each
/// grid step and read by health, metrics and the parameters endpoint.
public struct EngineSnapshot: Sendable {
    /// The live coverage of one asset's published maintenance margin over the last `coverage.window` horizons,
    /// as published in `RiskParameters.coverage` (see `protocols/README.md`, "Coverage").
    public struct AssetCoverage: Sendable, Hashable {
        /// Completed horizons in the window (≤ ``window``).
        public var observations: Int
        /// Horizons in the window whose move exceeded the maintenance margin, long or short side.
        public var exceptions: Int
        /// exceptions / observations (0 while there are none).
        public var exceptionRate: Double
        /// The two-sided target rate 2ε the window is tested against.
        public var targetRate: Double
        /// Kupiec's proportion-of-failures statistic (χ²₁).
        public var kupiecStatistic: Double
        /// P(χ²₁ > ``kupiecStatistic``).
        public var kupiecPValue: Double
        /// The traffic-light zone of the window's exception count.
        public var zone: TrafficLightZone
        /// Window length, horizons.
        public var window: Int
        /// Liquidation horizon H the asset is scored over, ns.
        public var horizonNs: Int64
        /// Whether the asset's last update was computed with a σ widened because of its zone.
        public var widened: Bool

        /// Creates a coverage summary.
        public init(observations: Int, exceptions: Int, exceptionRate: Double, targetRate: Double,
                    kupiecStatistic: Double, kupiecPValue: Double, zone: TrafficLightZone, window: Int,
                    horizonNs: Int64, widened: Bool) {
            self.observations = observations
            self.exceptions = exceptions
            self.exceptionRate = exceptionRate
            self.targetRate = targetRate
            self.kupiecStatistic = kupiecStatistic
            self.kupiecPValue = kupiecPValue
            self.zone = zone
            self.window = window
            self.horizonNs = horizonNs
            self.widened = widened
        }
    }

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
    /// Live coverage per asset; `nil` entries when coverage tracking is off (`coverage.enabled: false`).
    public var coverage: [AssetCoverage?] = []
    /// Correlation matrix of the first ``correlationDimension`` assets, row-major, `correlationDimension`².
    public var correlation: [Double] = []
    /// Assets covered by ``correlation``; `nil` means all of them (`symbols.count`). The engine's status keeps at
    /// most its `correlationLimit` (what `/parameters` shows), so that a refresh costs O(limit²), not O(N²).
    public var correlationDimension: Int?
    /// Each asset's smoothed impact curve at the last step (the cost of walking its live books), `nil` for an
    /// asset without a fresh book.
    public var impact: [ImpactCurve?] = []
    /// Joint rows of the assets' standardized residuals (``RiskEstimator/withResiduals(asset:_:)``), oldest
    /// first, one column per asset, aligned on the newest (row r of k holds each asset's residual k − r steps
    /// back; NaN where an asset has fewer). Filled at the step after ``EngineStatus/requestResidualRows()``, kept
    /// until the next request is served; `nil` before the first.
    public var residualRows: [[Double]]?
    /// The health multiplier each asset's target carried at the last step (empty while none was ever set; see
    /// ``HealthConstraint``).
    public var healthMultipliers: [Double] = []
    /// Ingest counters over all feeds.
    public var totals = IngestCounters()
    /// Ingest counters per configured feed.
    public var feeds: [IngestCounters] = []
    /// Grid steps run.
    public var stepsRun: UInt64 = 0
    /// Grid samples of `ingest.gridPrice` `mid` or `mark` that fell back to the robust trade price because no
    /// venue had a fresh value (``RiskEngine/gridPriceFallbacks``).
    public var gridPriceFallbacks: UInt64 = 0
    /// Last closed grid boundary, ns.
    public var lastBoundary: Int64?
    /// The step thread's hand-offs and waits (all zero when the steps run on the ingest thread).
    public var stepThread = StepThread()
    /// Publisher epoch.
    public var epoch: UInt64 = 0
    /// Wall-clock receipt time (ns since the Unix epoch) of each configured feed's last accepted tick; `nil` for a
    /// feed not heard from since the start. Per-feed staleness is `now − feedLastAccepted[i]`.
    public var feedLastAccepted: [Int64?] = []
    /// When the ingest loop started, wall-clock ns: the reference for feeds never heard from.
    public var feedsWatchedSince: Int64 = 0
    /// While every feed is silent past `ingest.feedSilenceStaleAfter`: when every asset was republished as
    /// stale (wall-clock ns); `nil` otherwise.
    public var feedsSilentSince: Int64?

    /// An empty snapshot.
    public init() {}

    /// The step thread's figures (`stepThread`).
    public struct StepThread: Sendable, Hashable {
        /// Whether the grid steps run on a thread of their own.
        public var enabled = false
        /// Grid steps handed to the step thread.
        public var stepsHandedOff: UInt64 = 0
        /// Times the ingest thread, about to close an interval, waited for the step thread to finish the previous
        /// step.
        public var waits: UInt64 = 0

        /// Nothing handed off yet.
        public init() {}
    }

    /// Nanoseconds since each configured feed's last accepted tick (since the start for a feed never heard),
    /// at wall-clock time `now` (ns since the Unix epoch).
    public func feedStaleness(now: Int64) -> [Int64] {
        feedLastAccepted.map { max(now &- ($0 ?? feedsWatchedSince), 0) }
    }
}

/// The shared, lock-protected holder of the latest ``EngineSnapshot``.
public final class EngineStatus: Sendable {
    private let box = Mutex(EngineSnapshot())
    private let lastEstimateStep = Atomic<UInt64>(.max)
    private let lastParameterStep = Atomic<UInt64>(.max)
    private let stepObserver: (@Sendable (_ steps: UInt64, _ nanoseconds: Int64) -> Void)?
    private let phaseObserver: (@Sendable (StepPhases) -> Void)?
    /// Largest ``EngineSnapshot/correlationDimension`` kept.
    private let correlationLimit: Int
    /// Whether snapshots carry the impact curves (``EngineSnapshot/impact``), for protocol health.
    private let keepsImpactCurves: Bool
    /// Set by a reader that wants fresh ``EngineSnapshot/residualRows``; served (and cleared) at the next step.
    private let residualsWanted = Atomic<Bool>(false)
    /// Most rows in ``EngineSnapshot/residualRows``.
    public static let residualRowLimit = 2_000

    /// Creates an empty status.
    ///
    /// - Parameter stepObserver: called on the ingest thread once per tick that closed grid intervals, with the
    ///   number of steps and the time from the tick's receipt to the last resulting update queued (for the
    ///   latency histogram; never called for ordinary ticks).
    /// - Parameter phaseObserver: called right after `stepObserver` with the time those steps spent in the
    ///   estimator and in the optimizer (for the two phase histograms).
    /// - Parameter correlationLimit: the snapshot's correlations cover the first this many assets (default: all).
    /// - Parameter keepsImpactCurves: whether snapshots carry each asset's impact curve (a copy per asset and
    ///   step; off unless a reader needs them).
    public init(stepObserver: (@Sendable (_ steps: UInt64, _ nanoseconds: Int64) -> Void)? = nil,
                phaseObserver: (@Sendable (StepPhases) -> Void)? = nil, correlationLimit: Int = .max,
                keepsImpactCurves: Bool = false) {
        self.stepObserver = stepObserver
        self.phaseObserver = phaseObserver
        self.correlationLimit = max(correlationLimit, 0)
        self.keepsImpactCurves = keepsImpactCurves
    }

    /// A copy of `curve` that shares no storage with the engine's: the tracker updates its smoothed curves in
    /// place at the next step, and a shared buffer would make it copy them there, on the ingest thread.
    private static func copy(_ curve: ImpactCurve?) -> ImpactCurve? {
        guard let curve else { return nil }
        return ImpactCurve(notionals: curve.notionals, longCost: curve.longCost.map { $0 },
                           shortCost: curve.shortCost.map { $0 })
    }

    /// Asks for the residual history in the snapshot of the next step (a copy of up to ``residualRowLimit`` rows
    /// per request, not per step: stress scenarios need it every few seconds, not at every grid step).
    public func requestResidualRows() {
        residualsWanted.store(true, ordering: .relaxed)
    }

    /// The joint residual rows of `engine`'s assets, aligned on the newest (see ``EngineSnapshot/residualRows``).
    static func residualRows(_ engine: RiskEngine, limit: Int) -> [[Double]] {
        let estimator = engine.estimator
        let counts = engine.symbols.indices.map { estimator.residualCount($0) }
        let depth = min(counts.max() ?? 0, limit)
        return (0..<depth).map { row in
            counts.indices.map { asset in
                let index = counts[asset] - depth + row
                return index >= 0 ? estimator.residual(asset: asset, at: index) : .nan
            }
        }
    }

    /// Reports where the time of the steps one tick closed went.
    public func recordPhases(_ phases: StepPhases) {
        phaseObserver?(phases)
    }

    /// Reports a tick that closed `steps` grid intervals in `nanoseconds`.
    public func recordSteps(_ steps: UInt64, nanoseconds: Int64) {
        stepObserver?(steps, nanoseconds)
    }

    /// The latest snapshot.
    public var snapshot: EngineSnapshot { box.withLock { $0 } }

    /// Records the feeds' last accepted ticks and the feed-silence state of the ingest loop.
    public func publishFeeds(_ staleness: FeedStaleness) {
        box.withLock { current in
            // Element by element, so that the ingest loop's own array is never shared: its next write (one per
            // accepted tick) must not have to copy it.
            if current.feedLastAccepted.count != staleness.lastAccepted.count {
                current.feedLastAccepted = Array(repeating: nil, count: staleness.lastAccepted.count)
            }
            for index in staleness.lastAccepted.indices {
                current.feedLastAccepted[index] = staleness.lastAccepted[index]
            }
            current.feedsWatchedSince = staleness.started
            current.feedsSilentSince = staleness.silentSince
        }
    }

    /// Refreshes the snapshot if the engine ran a step since the last refresh, or counters moved.
    public func publish(_ engine: RiskEngine) {
        publishEstimates(engine)
        publishParameters(engine)
        publishCounters(engine)
    }

    /// Refreshes what the estimator and the market data give (symbols, prices, volatilities, estimate status,
    /// correlations, impact curves, residual rows when asked, the last boundary) if the engine closed a step since
    /// the last refresh. With a step thread the ingest thread calls it: it holds the estimator.
    public func publishEstimates(_ engine: RiskEngine) {
        guard lastEstimateStep.exchange(engine.stepsRun, ordering: .relaxed) != engine.stepsRun else { return }
        let count = engine.symbols.count
        let symbols = engine.symbols
        let prices = engine.prices
        let volatility = (0..<count).map { engine.estimator.annualizedVolatility($0) }
        let status = (0..<count).map { engine.estimator.status($0).rawValue }
        let impact = keepsImpactCurves ? (0..<count).map { Self.copy(engine.marketInputs(asset: $0)?.impact) } : []
        let dimension = min(count, correlationLimit)
        let correlation = (0..<dimension * dimension).map {
            engine.estimator.correlation($0 / dimension, $0 % dimension)
        }
        let rows = residualsWanted.exchange(false, ordering: .relaxed)
            ? Self.residualRows(engine, limit: Self.residualRowLimit) : nil
        let fallbacks = engine.gridPriceFallbacks
        let boundary = engine.estimator.lastBoundary
        let epoch = engine.epoch
        box.withLock { current in
            current.symbols = symbols
            current.prices = prices
            current.annualVolatility = volatility
            current.estimateStatus = status
            current.impact = impact
            current.correlation = correlation
            current.correlationDimension = dimension
            if let rows { current.residualRows = rows }
            current.gridPriceFallbacks = fallbacks
            current.lastBoundary = boundary
            current.epoch = epoch
            Self.align(&current)
        }
    }

    /// Refreshes what the grid steps give (parameters, coverage, health multipliers, steps run) if the engine ran a
    /// step since the last refresh. With a step thread the step thread calls it.
    public func publishParameters(_ engine: RiskEngine) {
        guard lastParameterStep.exchange(engine.stepsRun, ordering: .relaxed) != engine.stepsRun else { return }
        let parameters = engine.latest
        let coverage = engine.symbols.indices.map { engine.coverageSummary(asset: $0) }
        let multipliers = engine.healthMultipliers
        let steps = engine.stepsRun
        box.withLock { current in
            current.parameters = parameters
            current.coverage = coverage
            current.healthMultipliers = multipliers
            current.stepsRun = steps
            Self.align(&current)
        }
    }

    /// With a step thread the estimates can be a few steps ahead of the parameters, and register assets first:
    /// the parameters and coverage of an asset the steps have not reached yet are `nil`, so that every per-asset
    /// array has an entry for every symbol.
    private static func align(_ snapshot: inout EngineSnapshot) {
        let count = snapshot.symbols.count
        if snapshot.parameters.count < count {
            snapshot.parameters += Array(repeating: nil, count: count - snapshot.parameters.count)
        }
        if snapshot.coverage.count < count {
            snapshot.coverage += Array(repeating: nil, count: count - snapshot.coverage.count)
        }
    }

    /// Refreshes the ingest counters, in total and per feed.
    public func publishCounters(_ engine: RiskEngine) {
        let counts = engine.ingestor.totals
        let feeds = engine.configuration.ingest.feeds.indices.map { engine.ingestor.counters(feed: $0) }
        box.withLock { current in
            current.totals = counts
            current.feeds = feeds
        }
    }

    /// Records the step thread's figures (see ``EngineSnapshot/StepThread``).
    public func publishStepThread(_ figures: EngineSnapshot.StepThread) {
        box.withLock { $0.stepThread = figures }
    }
}
