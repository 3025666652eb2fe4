import FulcrumProtocol
import MarginModel
import MarketData
import RiskEstimation

/// The whole pipeline of the ingest thread, without sockets: raw frames in, encoded parameter
/// updates out.
///
/// Per tick: decode, validate and filter (``TickIngestor``), close any grid intervals the tick's
/// event time has passed — running the optimizer once per closed step — and record the price.
/// Only accepted ticks move event time, so rejected input never changes an estimate.
/// Deterministic: the same frames give the same updates, byte for byte.
public struct RiskEngine {
    /// One encoded outbound update.
    public struct Update {
        /// Protobuf topic (`risk.<SYMBOL>` or `portfolio`).
        public var topic: [UInt8]
        /// Serialized protobuf payload.
        public var payload: [UInt8]
        /// Event time (grid boundary) the update reflects.
        public var eventTime: Int64
    }

    /// Decoding, validation and cross-venue filtering.
    public internal(set) var ingestor: TickIngestor
    /// Volatility and correlation.
    public internal(set) var estimator: RiskEstimator
    /// Margins and their governance.
    public internal(set) var optimizer: MarginOptimizer
    /// Asset names in estimator order.
    public internal(set) var symbols: [String] = []
    /// Latest optimizer output per asset.
    public internal(set) var latest: [AssetParameters?] = []
    /// Latest price fed to the estimator per asset.
    public internal(set) var prices: [Double] = []
    /// Grid steps run.
    public internal(set) var stepsRun: UInt64 = 0
    /// Time spent in the steps since the last ``takeStepPhases()``.
    public internal(set) var stepPhases = StepPhases()
    /// Traded notional per asset, for liquidation-cost tiers.
    public internal(set) var volume = TradedVolume()
    /// Publisher epoch stamped on every update.
    public var epoch: UInt64
    public let configuration: EngineConfiguration
    var assetOfSymbol: [Int] = []
    var riskTopics: [[UInt8]] = []
    /// Live coverage of the published margins (see `RiskEngine+Coverage.swift`).
    var coverage: CoverageState
    /// Emit every asset at the next grid step, changed or not (set after a stale republication, see
    /// `FeedStaleness+Republish.swift`, so the step clears the stale mark).
    var republishOnNextStep = false
    /// Encoding storage reused by every update (see `RiskEngine+Wire.swift`).
    var wireBuffers = WireBuffers()
    /// Books, open interest, mark prices, liquidations and candles (see `RiskEngine+Liquidity.swift`).
    var liquidity: LiquidityState
    /// Health-constrained margins, when protocol health may raise them (see `HealthConstraint.swift`).
    public var healthConstraint: HealthConstraint?
    /// The multiplier of each asset's target from ``healthConstraint``, as of ``healthConstraintVersion``.
    var healthMultipliers: [Double] = []
    var healthConstraintVersion: UInt64 = .max
    /// The empty estimator a step-side engine holds between steps (see `RiskEngine+DeferredSteps.swift`).
    var releasedEstimator: RiskEstimator?

    /// Creates an engine; symbols on the allow-list are registered up front, in that order.
    public init(configuration: EngineConfiguration, epoch: UInt64) throws {
        self.configuration = configuration
        self.epoch = epoch
        coverage = CoverageState(configuration: configuration)
        liquidity = LiquidityState(configuration: configuration.model.liquidity)
        ingestor = TickIngestor(configuration: configuration.ingest)
        let capacity = max(configuration.ingest.symbols.allowList.count + configuration.ingest.symbols.maximumDiscovered,
                           1)
        estimator = RiskEstimator(configuration: configuration.estimation, assetCapacity: capacity)
        optimizer = try MarginOptimizer(configuration: configuration.model, symbols: [])
        for name in configuration.ingest.symbols.allowList {
            if let id = ingestor.symbols.id(of: name) { _ = try register(symbol: id, name: name) }
        }
    }

    /// Feeds one inbound message (one or two frames) through the pipeline.
    ///
    /// - Parameter emit: called for each update, in order, when the tick closes grid intervals.
    /// - Returns: the ingest outcome, counted once by the ingestor.
    @discardableResult
    public mutating func ingest(
        feed: Int, frameCount: Int, _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer,
        receiptTime: Int64, emit: (Update) throws -> Void
    ) rethrows -> IngestOutcome {
        try ingest(feed: feed, frameCount: frameCount, first, second, receiptTime: receiptTime,
                   defers: false, emit: emit, beforeClose: {}, handOff: { _ in })
    }

    /// Feeds one inbound message through the ingest side only: the grid steps it closes are handed off as
    /// ``StepInput``s, in order, for another engine to run (``runDeferredStep(_:emit:)``), so that the steps'
    /// optimizer, coverage and encoding run on another thread while this one goes on ingesting.
    ///
    /// A deferring engine's own parameters, coverage and governance stay as they were: the engine that runs the
    /// handed-off steps holds them. Its estimator, ingestor, prices and traded volume are the live ones.
    ///
    /// - Parameters:
    ///   - beforeClose: called before each interval is closed. The estimator's storage is shared with the inputs
    ///     handed off until the step side lets them go; closing while a step still holds them would copy all of it
    ///     (the residual histories: N × `residualCapacity` values), so the caller waits here for the step side to
    ///     finish the steps it was handed.
    ///   - handOff: called for each closed grid step, in order, when the tick closes grid intervals.
    @discardableResult
    public mutating func ingestDeferringSteps(
        feed: Int, frameCount: Int, _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer,
        receiptTime: Int64, beforeClose: () -> Void, handOff: (StepInput) throws -> Void
    ) rethrows -> IngestOutcome {
        try ingest(feed: feed, frameCount: frameCount, first, second, receiptTime: receiptTime,
                   defers: true, emit: { _ in }, beforeClose: beforeClose, handOff: handOff)
    }

    /// `defers`: whether closed steps are handed off (`handOff` gets their inputs, after `beforeClose`) or run here
    /// (`emit` gets their updates). The closures are separate parameters because non-escaping closures cannot be
    /// stored in a value.
    mutating func ingest(
        feed: Int, frameCount: Int, _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer,
        receiptTime: Int64, defers: Bool, emit: (Update) throws -> Void, beforeClose: () -> Void,
        handOff: (StepInput) throws -> Void
    ) rethrows -> IngestOutcome {
        let outcome = ingestor.ingest(feed: feed, frameCount: frameCount, first, second, receiptTime: receiptTime)
        // A lone venue's held tick this message confirmed goes in first, at its own time: no return is lost. If its
        // interval closed meanwhile, the move reaches the grid with the confirming tick instead.
        if let released = ingestor.takeReleased(), released.exchangeTime >= ingestor.lateBefore,
           let asset = try? assetIndex(for: released.symbol) {
            try book(released, asset: asset, defers: defers, emit: emit, beforeClose: beforeClose, handOff: handOff)
        }
        if case .market(let event) = outcome { recordMarket(event) }
        guard case .accepted(let tick, _) = outcome else { return outcome }
        let asset: Int
        do { asset = try assetIndex(for: tick.symbol) } catch {
            ingestor.revokeAcceptance(.symbolCapExceeded, feed: feed)
            return .rejected(.symbolCapExceeded)
        }
        try book(tick, asset: asset, defers: defers, emit: emit, beforeClose: beforeClose, handOff: handOff)
        return outcome
    }

    /// Closes the intervals an accepted tick ends, then records its price (and traded notional) for its asset.
    mutating func book(_ tick: Tick, asset: Int, defers: Bool, emit: (Update) throws -> Void,
                       beforeClose: () -> Void, handOff: (StepInput) throws -> Void) rethrows {
        // Intervals close, and the open interval moves, only when this tick starts the grid or reaches its pending
        // boundary: most ticks skip both.
        let intervalMoves = estimator.pendingBoundary.map { tick.exchangeTime >= $0 } ?? true
        if intervalMoves, estimator.pendingBoundary != nil {
            try closeIntervals(upTo: tick.exchangeTime, defers: defers, emit: emit, beforeClose: beforeClose,
                               handOff: handOff)
        }
        // The ingestor already refused ticks before the open interval, and the boundaries this tick closed end
        // before its own time, so the estimator takes it.
        let price = gridPrice(for: tick, asset: asset)
        estimator.record(asset: asset, timestamp: tick.exchangeTime, price: price)
        if intervalMoves { ingestor.lateBefore = estimator.openIntervalStart ?? .min }
        prices[asset] = price
        if let size = tick.size {
            volume.record(asset: asset, notional: tick.robustPrice * size, timestamp: tick.exchangeTime)
        }
    }

    /// Closes every grid interval before `time`, timing the estimator and the optimizer of each step (two clock
    /// reads per step, none for the ticks that close nothing). When `defers`, each step is handed off instead of
    /// run, with the time its closing took.
    mutating func closeIntervals(upTo time: Int64, defers: Bool, emit: (Update) throws -> Void,
                                 beforeClose: () -> Void, handOff: (StepInput) throws -> Void) rethrows {
        var start = StepPhases.now
        while true {
            if defers {
                guard estimator.hasDueInterval(upTo: time) else { break }
                beforeClose()
                start = StepPhases.now
            }
            guard let step = estimator.closeNextInterval(upTo: time) else { break }
            let closed = StepPhases.now
            if defers {
                stepsRun += 1
                prepareLiquidity(step: step)
                let done = StepPhases.now
                try handOff(stepInput(step, closeNanoseconds: done - start))
                continue
            }
            try runStep(step, emit: emit)
            let done = StepPhases.now
            stepPhases.steps += 1
            stepPhases.estimatorNanoseconds += closed - start
            stepPhases.optimizerNanoseconds += done - closed
            start = done
        }
    }

    /// The step timings accumulated since the last call, which starts a new accumulation.
    public mutating func takeStepPhases() -> StepPhases {
        defer { stepPhases = StepPhases() }
        return stepPhases
    }

    mutating func assetIndex(for symbol: SymbolID) throws -> Int {
        let raw = Int(symbol.rawValue)
        if raw < assetOfSymbol.count, assetOfSymbol[raw] >= 0 { return assetOfSymbol[raw] }
        return try register(symbol: symbol.rawValue, name: ingestor.symbols.name(of: symbol) ?? "?")
    }

    mutating func register(symbol raw: UInt32, name: String) throws -> Int {
        // A restored estimator already holds the checkpointed assets: only assets beyond them need storage.
        let asset = symbols.count < estimator.assetCount ? symbols.count : estimator.addAsset()
        try optimizer.addAsset(symbol: name)
        while assetOfSymbol.count <= Int(raw) { assetOfSymbol.append(-1) }
        assetOfSymbol[Int(raw)] = asset
        symbols.append(name)
        riskTopics.append(Array(Topic.risk(name).utf8))
        latest.append(nil)
        prices.append(.nan)
        volume.ensureAsset(asset)
        registerCoverage(asset: asset, name: name)
        return asset
    }

    /// Runs a closed grid step: its market inputs, then every asset's update (``computeStep(_:emit:)``).
    mutating func runStep(_ step: GridStep, emit: (Update) throws -> Void) rethrows {
        stepsRun += 1
        prepareLiquidity(step: step)
        try computeStep(step, emit: emit)
    }

    /// Runs the optimizer for every asset after a closed grid step whose market inputs are prepared, and emits
    /// what changed.
    mutating func computeStep(_ step: GridStep, emit: (Update) throws -> Void) rethrows {
        // The closure below mutates `self.optimizer`; everything else it reads comes from locals (a second reference
        // to the estimator and the volume tracker: retains, no copy of their storage, and neither is mutated during
        // the step). Reading `self` inside it would make the compiler copy the whole engine for every asset to keep
        // the accesses exclusive.
        let estimator = self.estimator
        let volume = self.volume
        let gridInterval = configuration.estimation.gridInterval
        refreshHealthMultipliers()
        let health = healthMultipliers
        let market = liquidity.current
        // The optimizer writes each asset's parameters (about 1 KB each, two inline tier tables) in place into a
        // value moved out of `latest`, itself moved out of `self` for the loop for the same reason as above; it is
        // back before anything else reads it, also when `emit` throws.
        var latest: [AssetParameters?] = []
        swap(&latest, &self.latest)
        var restored = false
        defer { if !restored { swap(&latest, &self.latest) } }
        for asset in symbols.indices {
            let widening = coverageWidening(asset: asset)
            // Moved out of the array for the update and back after it: two moves of the ~1 KB value, where
            // reaching into the optional in place (`&latest[asset]!`) copies it out and back at every access.
            var parameters = latest[asset].take() ?? .placeholder
            estimator.withResiduals(asset: asset) { older, newer in
                var inputs = Self.inputs(asset: asset, step: step, estimator: estimator, volume: volume,
                                         gridInterval: gridInterval, older: older, newer: newer)
                inputs.volatilityMultiplier = widening
                if asset < market.count { market[asset].apply(to: &inputs) }
                if asset < health.count { inputs.healthMultiplier = health[asset] }
                optimizer.update(asset: asset, inputs: inputs, into: &parameters)
            }
            latest[asset] = parameters
            try finishUpdate(asset: asset, step: step, parameters: &parameters, widening: widening, emit: emit)
        }
        swap(&latest, &self.latest)
        restored = true
        republishOnNextStep = false
        observePortfolioCoverage(step: step)
        if !symbols.isEmpty, stepsRun % UInt64(configuration.portfolioEverySteps) == 0 {
            try emit(Update(topic: Self.portfolioTopic, payload: wirePortfolio(step: step),
                            eventTime: step.boundary))
        }
    }

    /// Scores and, when it is to be published, encodes and emits one asset's fresh parameters.
    ///
    /// `parameters` is `inout` only so that the callees read the caller's ~1 KB value where it lies instead of a
    /// copy made for the call; nothing here changes it.
    mutating func finishUpdate(asset: Int, step: GridStep, parameters: inout AssetParameters, widening: Double,
                               emit: (Update) throws -> Void) rethrows {
        observeCoverage(asset: asset, step: step, parameters: parameters, widening: widening)
        if parameters.changed || republishOnNextStep {
            try emit(Update(topic: riskTopics[asset], payload: wireParameters(parameters, step: step),
                            eventTime: step.boundary))
        }
    }

    static func inputs(asset: Int, step: GridStep, estimator: RiskEstimator, volume: TradedVolume, gridInterval: Int64,
                       older: UnsafeBufferPointer<Double>, newer: UnsafeBufferPointer<Double>) -> AssetRiskInputs {
        let status = estimator.status(asset)
        return AssetRiskInputs(
            eventTimeNs: step.boundary,
            sigmaStep: estimator.volatility(asset),
            gridIntervalNs: gridInterval,
            effectiveSampleSize: estimator.ess(asset),
            isWarming: status != .ready,
            residuals: ResidualWindow(older: older, newer: newer,
                                      totalAppended: estimator.residualsAppended(asset)),
            stalenessNs: estimator.staleness(asset)?.nanoseconds ?? 0,
            lastStandardizedReturn: estimator.lastStandardizedReturn(asset) ?? 0,
            stressedSigmaStep: estimator.stressedVolatility(asset),
            averageDailyVolumeNotional: volume.averageDailyNotional(asset: asset, now: step.boundary),
            varianceDecay: estimator.configuration.method == .ewma ? estimator.configuration.decay : nil
        )
    }

    /// Emits every asset's latest parameters (and the portfolio) again, e.g. as the final update
    /// before shutdown.
    public func republishAll(emit: (Update) throws -> Void) rethrows {
        try republish(markedStale: false, emit: emit)
    }

    /// Emits every asset's latest parameters again; `markedStale` sets status STALE and adds `REASON_STALE_FEED`
    /// while encoding (values otherwise as last published) and leaves out the portfolio.
    func republish(markedStale: Bool, emit: (Update) throws -> Void) rethrows {
        guard let boundary = estimator.lastBoundary else { return }
        // The step that closed `boundary`, whose updates these repeat: its zero-based index is the count minus one.
        let step = GridStep(index: estimator.stepCount - 1, boundary: boundary, closedBoundaries: 0)
        // The encoders reuse the engine's buffers: a copy of the engine lends them here (its arrays shared until
        // written, so only the buffers are copied).
        var encoder = self
        for asset in symbols.indices {
            if let parameters = latest[asset] {
                try emit(Update(topic: riskTopics[asset],
                                payload: encoder.wireParameters(parameters, step: step, markedStale: markedStale),
                                eventTime: boundary))
            }
        }
        if !symbols.isEmpty, !markedStale {
            try emit(Update(topic: Self.portfolioTopic, payload: encoder.wirePortfolio(step: step),
                            eventTime: boundary))
        }
    }
}

extension RiskEngine {
    /// The last closed grid boundary, ns; `nil` before the first grid step.
    public var lastBoundary: Int64? { estimator.lastBoundary }
    /// Exchange time of the newest accepted tick, ns; `nil` before the first.
    public var latestExchangeTime: Int64? { ingestor.validator.latestExchangeTime }
    /// The live coverage trackers of every asset and portfolio.
    public var coverageLedger: CoverageLedger { coverage.ledger }

    /// Keeps every step's coverage state from now on, for a backtest report (``CoverageLedger/startHistory()``).
    public mutating func keepCoverageHistory() { coverage.ledger.startHistory() }
}
