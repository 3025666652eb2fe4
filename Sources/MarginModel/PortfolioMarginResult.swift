/// The portfolio margin of a set of positions and how it was reached.
public struct PortfolioMarginResult: Sendable, Hashable, Codable {
    /// The margin to require: standalone sum minus the (capped) offset credit.
    public var margin: Double
    /// Σ of the standalone margins (supplied, or the linear risk of each position alone).
    public var standaloneSum: Double
    /// The offset credit granted (≤ `maximumCreditFraction` × standaloneSum).
    public var credit: Double
    /// The credit before the cap.
    public var uncappedCredit: Double
    /// True when the cap bound the credit.
    public var creditCapped: Bool
    /// Risk measure of the portfolio loss over the horizon, m·√(wᵀΣ̃w), with unready pairs at worst case.
    public var diversifiedRisk: Double
    /// Σᵢ m·|wᵢ|σᵢ: the same measure without any diversification.
    public var undiversifiedRisk: Double
    /// Number of asset pairs (i < j, both with positions) that received no credit because they were not ready.
    public var pairsWithoutCredit: Int
    /// True when some input was unusable (length mismatch, NaN, negative σ) and the credit was withheld.
    public var invalidInput: Bool

    /// Creates a result.
    public init(
        margin: Double, standaloneSum: Double, credit: Double, uncappedCredit: Double, creditCapped: Bool,
        diversifiedRisk: Double, undiversifiedRisk: Double, pairsWithoutCredit: Int, invalidInput: Bool
    ) {
        self.margin = margin
        self.standaloneSum = standaloneSum
        self.credit = credit
        self.uncappedCredit = uncappedCredit
        self.creditCapped = creditCapped
        self.diversifiedRisk = diversifiedRisk
        self.undiversifiedRisk = undiversifiedRisk
        self.pairsWithoutCredit = pairsWithoutCredit
        self.invalidInput = invalidInput
    }
}
