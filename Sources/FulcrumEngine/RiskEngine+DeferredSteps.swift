import FulcrumProtocol
import MarginModel
import RiskEstimation

extension RiskEngine {
    /// The input of `step`, just closed by this (deferring) engine.
    func stepInput(_ step: GridStep, closeNanoseconds: Int64) -> StepInput {
        StepInput(step: step, closeNanoseconds: closeNanoseconds, estimator: estimator, volume: volume,
                  prices: prices, market: liquidity.current, gridPriceFallbacks: liquidity.gridPriceFallbacks,
                  symbols: symbols)
    }

    /// Runs a grid step that a deferring engine closed (its ``StepInput``), as that engine would have run it inline:
    /// the same updates, byte for byte, when this engine started as a copy of it and runs its steps in order.
    ///
    /// The estimator, traded volume, prices and market inputs become the input's; assets the ingest side registered
    /// since the last step are registered first, in its order. The estimator is let go after the step: held, it
    /// would make the ingest side copy all of its storage (the residual histories: N × `residualCapacity` values)
    /// when it closes the next interval. Until the next step the estimator is an empty one: the estimates are the
    /// ingest side's to read.
    ///
    /// - Throws: what `emit` throws, or the optimizer's error if a new asset cannot be registered.
    public mutating func runDeferredStep(_ input: StepInput, emit: (Update) throws -> Void) throws {
        for name in input.symbols.dropFirst(symbols.count) { try registerStepAsset(name: name) }
        estimator = input.estimator
        defer { releaseEstimator() }
        volume = input.volume
        prices = input.prices
        liquidity.current = input.market
        liquidity.gridPriceFallbacks = input.gridPriceFallbacks
        let start = StepPhases.now
        stepsRun += 1
        try computeStep(input.step, emit: emit)
        stepPhases.optimizerNanoseconds += StepPhases.now - start
    }

    /// Takes the ingest side's estimator and latest prices for a republication outside a step (the stale
    /// republication, the final update), as an engine running its steps inline has them; ``releaseEstimator()``
    /// lets the estimator go again.
    public mutating func adopt(_ side: IngestSide) {
        estimator = side.estimator
        prices = side.prices
    }

    /// Swaps the estimator for an empty one, so that the ingest side's storage is no longer shared.
    public mutating func releaseEstimator() {
        if releasedEstimator == nil {
            releasedEstimator = RiskEstimator(configuration: configuration.estimation, assetCapacity: 0)
        }
        estimator = releasedEstimator!
    }

    /// Registers the step side of a new asset: its optimizer state, topic, latest parameters and coverage tracker
    /// (its estimator storage and symbol identifier live on the ingest side).
    mutating func registerStepAsset(name: String) throws {
        // The ingest side registered it under the same configuration, so this succeeds as it did there.
        try optimizer.addAsset(symbol: name)
        let asset = symbols.count
        symbols.append(name)
        riskTopics.append(Array(Topic.risk(name).utf8))
        latest.append(nil)
        registerCoverage(asset: asset, name: name)
    }
}
