/// Readiness of an asset's or a pair's estimate, driven by the effective sample size.
public enum EstimateStatus: String, Sendable, Hashable, Codable {
    /// No grid return yet (fewer than two closed boundaries since the first price).
    case noData
    /// Has returns, but the effective sample size is below `EstimatorConfiguration.warmupESS`.
    case warming
    /// The effective sample size has reached `EstimatorConfiguration.warmupESS`.
    case ready
}
