/// Which per-asset variance estimate is "the" variance: the one behind `volatility(_:)`, the warm-up status,
/// the standardized residuals and the largest standardized move.
///
/// Covariance and correlation always use the EWMA weights, whatever the method.
public enum VolatilityMethod: String, Sendable, Hashable, Codable, CaseIterable {
    /// Bias-corrected, zero-mean exponentially weighted moving average (RiskMetrics), half-life `halfLife`.
    case ewma
    /// Equal-weight mean of the last `window` squared grid returns (zero mean).
    case window
}
