/// Everything the optimizer needs about one asset after a grid step, mapped from the estimator's outputs.
///
/// A plain value with no references to estimator types. Invalid values (NaN, infinite, negative σ or grid
/// interval) are tolerated: they produce floored, stressed output with the `.invalidInput` reason, never NaN.
public struct AssetRiskInputs {
    /// Event time of the grid step, ns.
    public var eventTimeNs: Int64
    /// Current volatility of one grid-step log return (EWMA σ, not annualized).
    public var sigmaStep: Double
    /// Grid interval Δ, ns.
    public var gridIntervalNs: Int64
    /// Effective sample size of the volatility estimate (echoed in the output).
    public var effectiveSampleSize: Double
    /// True while the estimator reports its volatility as warming up.
    public var isWarming: Bool
    /// The standardized residual history.
    public var residuals: ResidualWindow
    /// Event time since the last accepted tick for the asset, ns.
    public var stalenessNs: Int64
    /// The latest grid return divided by the σ before it (rₜ/σₜ₋₁), for the shock circuit breaker.
    public var lastStandardizedReturn: Double
    /// Long-horizon (stressed) volatility per grid step for the anti-procyclical floor, if the estimator has one.
    public var stressedSigmaStep: Double?
    /// Average daily traded notional observed on the feed, if any (a configured override takes precedence).
    public var averageDailyVolumeNotional: Double?
    /// Multiplier of σ and the stressed σ from the coverage widening rule (``CoverageWidening``); 1 leaves them
    /// as estimated. The optimizer applies it and marks the update ``MarginReasons/coverageWidening``.
    public var volatilityMultiplier: Double = 1
    /// λ, the per-step decay of the EWMA behind `sigmaStep` and the residuals (σₜ² = λσₜ₋₁² + (1 − λ)rₜ²), or nil
    /// when σ is not an EWMA. Horizon aggregation (`HorizonAggregation.filteredPaths`) replays residual paths
    /// through this filter; without it the k-step blocks are plain sums.
    public var varianceDecay: Double?
    /// Books, open interest, liquidations and mark price (``LiquidityInputs``); empty leaves the ADV model alone.
    public var liquidity = LiquidityInputs()
    /// Multiplier of every target tier's IMF and MMF from protocol health (health-constrained margins): above 1
    /// when the stressed bad debt of the open positions exceeds its limit and this market drives it. 1 leaves
    /// the target alone; the optimizer applies it and marks the update ``MarginReasons/protocolHealth``.
    public var healthMultiplier: Double = 1

    /// Creates inputs; optional values default to absent and counters to neutral values.
    public init(
        eventTimeNs: Int64,
        sigmaStep: Double,
        gridIntervalNs: Int64,
        effectiveSampleSize: Double = 0,
        isWarming: Bool = false,
        residuals: ResidualWindow = .empty,
        stalenessNs: Int64 = 0,
        lastStandardizedReturn: Double = 0,
        stressedSigmaStep: Double? = nil,
        averageDailyVolumeNotional: Double? = nil,
        volatilityMultiplier: Double = 1,
        varianceDecay: Double? = nil
    ) {
        self.eventTimeNs = eventTimeNs
        self.sigmaStep = sigmaStep
        self.gridIntervalNs = gridIntervalNs
        self.effectiveSampleSize = effectiveSampleSize
        self.isWarming = isWarming
        self.residuals = residuals
        self.stalenessNs = stalenessNs
        self.lastStandardizedReturn = lastStandardizedReturn
        self.stressedSigmaStep = stressedSigmaStep
        self.averageDailyVolumeNotional = averageDailyVolumeNotional
        self.volatilityMultiplier = volatilityMultiplier
        self.varianceDecay = varianceDecay
    }

    /// The inputs with σ and the stressed σ scaled by ``volatilityMultiplier`` (unchanged when it is 1).
    var widened: AssetRiskInputs {
        guard volatilityMultiplier != 1 else { return self }
        var widened = self
        widened.sigmaStep *= volatilityMultiplier
        widened.stressedSigmaStep = stressedSigmaStep.map { $0 * volatilityMultiplier }
        return widened
    }
}
