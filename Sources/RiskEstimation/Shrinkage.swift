/// How the published correlation matrix R* = (1−δ)·R + δ·F is shrunk towards a target F.
///
/// Coded as an object with one key naming the case (see `Shrinkage+Codable.swift`): `{"none": {}}`,
/// `{"fixed": {"intensity": 0.2, "target": "identity"}}`, `{"ledoitWolf": {"target": "constantCorrelation"}}`;
/// a missing `target` is `.identity`.
public enum Shrinkage: Sendable, Hashable {
    /// No shrinkage: δ = 0, the published matrix is the raw estimate.
    case none
    /// A fixed intensity δ in [0, 1]. δ = 0 reproduces the raw estimate bit for bit.
    case fixed(intensity: Double, target: ShrinkageTarget)
    /// Intensity estimated each grid step in the Ledoit–Wolf way, on the correlation scale and with EWMA weights:
    ///
    ///     δ = clamp( Σ_{i<j} π_ij / Σ_{i<j} (ρ_ij − F_ij)², 0, 1 )
    ///     π_ij = Var̂(ρ̂_ij) ≈ (m4_ij − c_ij²) / (σ_i² σ_j² · ESS_ij)
    ///
    /// where c_ij and m4_ij are the EWMA means of r_i·r_j and (r_i·r_j)² over the pair's common returns, σ² the EWMA
    /// variances and ESS_ij = (Σw)²/Σw² the pair's effective sample size. For normalized weights w̃, the variance of
    /// a weighted mean of i.i.d. terms is Σw̃²·Var = Var/ESS, which replaces the 1/n of the equal-weight formula.
    /// The target's own estimation variance (the ρ̄ term of the constant-correlation target) is ignored; it is
    /// O(1/A) of the numerator for A admitted assets.
    case ledoitWolf(target: ShrinkageTarget)
}
