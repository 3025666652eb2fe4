import RiskEstimation

/// What one grid step reads from the ingest side, taken on the ingest thread when its interval closes, so that the
/// step itself (every asset's optimizer update, coverage and encoding) can run on another thread while ingest goes
/// on: see ``RiskEngine/ingestDeferringSteps(feed:frameCount:_:_:receiptTime:handOff:)`` and
/// ``RiskEngine/runDeferredStep(_:emit:)``.
///
/// Its parts are value types whose storage is shared until the ingest side next writes them, so taking one costs
/// reference counts. While a step still holds its input, the ingest side copies what it writes: the open
/// interval's per-asset arrays and the price array at the next tick (N values each), and the estimator's matrices
/// only when it closes the next interval before the step thread has finished this one.
public struct StepInput: Sendable {
    /// The closed step.
    public let step: GridStep
    /// Nanoseconds the ingest side spent closing the interval and preparing the market inputs.
    public let closeNanoseconds: Int64
    let estimator: RiskEstimator
    let volume: TradedVolume
    let prices: [Double]
    let market: [LiquidityState.AssetInputs]
    let gridPriceFallbacks: UInt64
    /// Asset names registered so far, in engine order: the step side registers the new ones first.
    let symbols: [String]
}
