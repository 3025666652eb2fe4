import FulcrumSettings

/// Settings of a ``FactorCovariance``; validated once with `validate(keyPrefix:)` before use.
///
/// Decoding (see `FactorConfiguration+Codable.swift`) tolerates missing keys: each one takes the default below.
public struct FactorConfiguration: Sendable, Hashable {
    /// Number k of statistical factors kept. Default 10. Allowed: 1...64 (the cyclic Jacobi solver of the
    /// (k+1)×(k+1) update matrix costs O(k³) per sweep, which stays below the O(N·k²) rotation of the loadings for
    /// N ≥ 1,000 up to k = 64).
    public var factors: Int = 10

    /// Per-step EWMA decay λ of C_t = λ·C_{t−1} + (1−λ)·r_t r_tᵀ. Default: that of the default
    /// `EstimatorConfiguration` (half-life 60 steps), so both estimators weigh the grid's history alike.
    /// Allowed: 0 < λ < 1.
    public var decay: Double = EstimatorConfiguration().decay

    /// Number of updates between two re-orthonormalizations of the loadings (modified Gram–Schmidt, with the
    /// represented matrix kept; see `FactorCovariance.orthonormalize()`). Default 1,000: the loss of
    /// orthonormality grows by a few ulps per update (rotations by computed orthogonal matrices), so 1,000 updates
    /// keep it near 10⁻¹³, far below the model's tolerance, while the extra O(N·k²) pass costs about 0.1 % of the
    /// updates' time. Allowed: ≥ 1.
    public var orthonormalizationPeriod: Int = 1_000

    /// Smallest idiosyncratic variance, as a share of the asset's own variance: D_i ≥ floor·σ²_i. Default 10⁻⁴:
    /// it keeps U Λ Uᵀ + D positive definite (smallest eigenvalue ≥ floor·min σ²_i) for an optimizer that inverts
    /// it, and it binds only where the factors explain more than 99.99 % of an asset's variance. Allowed:
    /// 0 ≤ floor < 1.
    public var idiosyncraticFloor: Double = 1e-4

    /// Creates the default configuration.
    public init() {}

    /// A configuration with `factors` factors and the EWMA decay of `estimation` (its grid interval and
    /// half-life), so that the factor model tracks the same weighting as the full matrix of a `RiskEstimator`.
    public init(estimation: EstimatorConfiguration, factors: Int) {
        self.factors = factors
        self.decay = estimation.decay
    }

    /// Checks every value; throws a `ConfigurationError` naming the first bad key, its value and what is allowed.
    public func validate(keyPrefix: String = "") throws(ConfigurationError) {
        func fail(_ key: String, _ value: String, _ allowed: String) -> ConfigurationError {
            ConfigurationError(key: ConfigurationError.key(key, under: keyPrefix), value: value, allowed: allowed)
        }
        guard (1...64).contains(factors) else { throw fail("factors", "\(factors)", "1...64") }
        guard decay.isFinite && decay > 0 && decay < 1 else { throw fail("decay", "\(decay)", "0 < decay < 1") }
        guard orthonormalizationPeriod >= 1 else {
            throw fail("orthonormalizationPeriod", "\(orthonormalizationPeriod)", "≥ 1")
        }
        guard idiosyncraticFloor.isFinite && idiosyncraticFloor >= 0 && idiosyncraticFloor < 1 else {
            throw fail("idiosyncraticFloor", "\(idiosyncraticFloor)", "0 ≤ value < 1")
        }
    }
}
