/// The matrix a shrunk correlation matrix is pulled towards.
///
/// Both targets are positive semidefinite correlation matrices over the admitted assets, so a convex combination
/// with a positive semidefinite estimate stays positive semidefinite.
public enum ShrinkageTarget: String, Sendable, Hashable, Codable, CaseIterable {
    /// The identity: every off-diagonal correlation pulled towards 0.
    case identity
    /// Constant correlation: every off-diagonal correlation pulled towards the mean off-diagonal correlation ρ̄ of
    /// the admitted assets. It is positive semidefinite because ρ̄ ≥ −1/(A−1) holds for the mean of any positive
    /// semidefinite A×A correlation matrix (1ᵀR1 ≥ 0).
    case constantCorrelation
}
