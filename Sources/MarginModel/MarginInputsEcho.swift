/// The inputs an update was computed from, echoed for audit and replay.
public struct MarginInputsEcho: Sendable, Hashable, Codable {
    /// σ per grid step as supplied, or `nil` when it was NaN or infinite (kept JSON-encodable).
    public var sigmaStep: Double?
    /// σ per grid step actually used (after anti-procyclical floor, stress multiplier, invalid-input fallback).
    public var effectiveSigmaStep: Double
    /// σ of the log return over the liquidation horizon: effectiveSigmaStep·√(H/Δ).
    public var horizonSigma: Double
    /// The stressed σ per grid step as supplied, if any.
    public var stressedSigmaStep: Double?
    /// Effective sample size of the σ estimate.
    public var effectiveSampleSize: Double
    /// Residuals in the window.
    public var residualCount: Int
    /// Tail observations behind the risk measure: ⌈ε·n⌉ residuals (one-step FHS), ⌈ε·(n − k + 1)⌉ k-step blocks
    /// (horizon aggregation, `HorizonAggregation`), or the quantile nodes of the fallback.
    public var tailObservations: Int
    /// Feed staleness, ns.
    public var stalenessNs: Int64
    /// rₜ/σₜ₋₁ of the latest grid return, or `nil` when it was NaN or infinite.
    public var lastStandardizedReturn: Double?
    /// ADV used for liquidation cost, if known.
    public var averageDailyVolumeNotional: Double?
    /// The asset's live open-interest caps (L, U) at this update, the ones its open-interest scaling used and the
    /// venue formats render (``MarginOptimizer/openInterestCaps(asset:averageDailyVolume:)``: ADV multiples bounded
    /// by the configured caps, or the configured caps alone without an ADV); `nil` when neither gives caps.
    public var openInterestLowerCap: Double?
    /// Upper open-interest cap U (see ``openInterestLowerCap``).
    public var openInterestUpperCap: Double?

    /// Creates an echo.
    public init(
        sigmaStep: Double?, effectiveSigmaStep: Double, horizonSigma: Double, stressedSigmaStep: Double?,
        effectiveSampleSize: Double, residualCount: Int, tailObservations: Int, stalenessNs: Int64,
        lastStandardizedReturn: Double?, averageDailyVolumeNotional: Double?, openInterestLowerCap: Double? = nil,
        openInterestUpperCap: Double? = nil
    ) {
        self.sigmaStep = sigmaStep
        self.effectiveSigmaStep = effectiveSigmaStep
        self.horizonSigma = horizonSigma
        self.stressedSigmaStep = stressedSigmaStep
        self.effectiveSampleSize = effectiveSampleSize
        self.residualCount = residualCount
        self.tailObservations = tailObservations
        self.stalenessNs = stalenessNs
        self.lastStandardizedReturn = lastStandardizedReturn
        self.averageDailyVolumeNotional = averageDailyVolumeNotional
        self.openInterestLowerCap = openInterestLowerCap
        self.openInterestUpperCap = openInterestUpperCap
    }
}
