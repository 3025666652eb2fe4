/// What one ``FactorCovariance/update(returns:present:)`` did with each asset's return: every asset ends in
/// exactly one of the three counts.
public struct FactorUpdate: Sendable, Hashable {
    /// Returns that entered the model (present, finite, |r| ≤ ``FactorCovariance/maximumReturnMagnitude``).
    public var used: Int
    /// Assets marked absent this step (r = 0 in the factor update, own variance untouched).
    public var missing: Int
    /// Returns marked present but not finite or beyond ``FactorCovariance/maximumReturnMagnitude``: treated as
    /// missing, and counted in ``FactorCovariance/invalidReturns``.
    public var invalid: Int

    /// Creates an outcome.
    public init(used: Int, missing: Int, invalid: Int) {
        self.used = used
        self.missing = missing
        self.invalid = invalid
    }
}
