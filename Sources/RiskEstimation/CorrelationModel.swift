/// Where a `RiskEstimator`'s correlations come from: the full EWMA matrix, or a k-factor model of it.
///
/// Coded as an object with one key naming the case (see `CorrelationModel+Codable.swift`), like ``Shrinkage``:
/// `{"full": {}}` or `{"factors": {"factors": 10, "orthonormalizationPeriod": 1000, "idiosyncraticFloor": 0.0001}}`
/// (missing parameters take ``FactorConfiguration``'s defaults).
///
/// The factor configuration's ``FactorConfiguration/decay`` plays no part here: the estimator always runs the
/// factor model with its own λ = 2^(−Δ/h) (``FactorConfiguration/init(estimation:factors:)``), so the payload's
/// decay is ignored by the estimator, by `validate()`, by the coding (neither read nor written) and by `==` and
/// hashing (two factor modes that differ only in it behave identically, so they are equal).
public enum CorrelationModel: Sendable, Hashable {
    /// The full matrix: the EWMA Gram matrix of the grid returns in a packed triangle of N(N+1)/2 sums (twice that
    /// with Ledoit–Wolf shrinkage), O(N²) work per step. Exact.
    case full
    /// A ``FactorCovariance`` with k factors in place of the triangle: O(N·k) memory and O(N·k²) work per step; the
    /// correlations are those of its rank-k part (see `RiskEstimator.rawCorrelation(_:_:)`). Per-asset estimates
    /// are the same as with `.full`, bit for bit. Not allowed with `.ledoitWolf` shrinkage.
    case factors(FactorConfiguration)

    /// Equal when both are `.full`, or both `.factors` with the same number of factors, re-orthonormalization
    /// period and idiosyncratic floor (the ignored decay aside).
    public static func == (lhs: CorrelationModel, rhs: CorrelationModel) -> Bool {
        switch (lhs, rhs) {
        case (.full, .full):
            return true
        case (.factors(let left), .factors(let right)):
            return left.factors == right.factors && left.orthonormalizationPeriod == right.orthonormalizationPeriod
                && left.idiosyncraticFloor == right.idiosyncraticFloor
        default:
            return false
        }
    }

    /// Hashes what `==` compares.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .full:
            hasher.combine(0)
        case .factors(let configuration):
            hasher.combine(1)
            hasher.combine(configuration.factors)
            hasher.combine(configuration.orthonormalizationPeriod)
            hasher.combine(configuration.idiosyncraticFloor)
        }
    }

    /// The factor model's configuration with the estimator's decay `decay` in place of the payload's, or nil for
    /// `.full`.
    func factorConfiguration(decay: Double) -> FactorConfiguration? {
        guard case .factors(var configuration) = self else { return nil }
        configuration.decay = decay
        return configuration
    }
}
