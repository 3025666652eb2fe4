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
    /// since the last step are registered first, in its order.
    ///
    /// - Throws: what `emit` throws, or the optimizer's error if a new asset cannot be registered.
    public mutating func runDeferredStep(_ input: StepInput, emit: (Update) throws -> Void) throws {
        for name in input.symbols.dropFirst(symbols.count) { try registerStepAsset(name: name) }
        estimator = input.estimator
        volume = input.volume
        prices = input.prices
        liquidity.current = input.market
        liquidity.gridPriceFallbacks = input.gridPriceFallbacks
        let start = StepPhases.now
        stepsRun += 1
        try computeStep(input.step, emit: emit)
        stepPhases.optimizerNanoseconds += StepPhases.now - start
    }

    /// Takes the ingest side's latest prices, which a republication outside a step encodes (the stale
    /// republication, the final update): an engine running its steps inline has them from the ticks after its last
    /// step too.
    public mutating func adoptPrices(of side: IngestSide) {
        prices = side.prices
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
