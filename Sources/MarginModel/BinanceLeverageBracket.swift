/// A Binance-style leverage bracket (`/fapi/v1/leverageBracket` field names).
public struct BinanceLeverageBracket: Sendable, Hashable, Codable {
    /// 1-based bracket number.
    public var bracket: Int
    /// Maximum leverage in the bracket.
    public var initialLeverage: Int
    /// Upper notional bound of the bracket.
    public var notionalCap: Double
    /// Lower notional bound of the bracket.
    public var notionalFloor: Double
    /// Maintenance margin rate.
    public var maintMarginRatio: Double
    /// Cumulative maintenance amount (the deduction that keeps maintenance margin continuous).
    public var cum: Double

    /// Creates a bracket.
    public init(bracket: Int, initialLeverage: Int, notionalCap: Double, notionalFloor: Double,
                maintMarginRatio: Double, cum: Double) {
        self.bracket = bracket
        self.initialLeverage = initialLeverage
        self.notionalCap = notionalCap
        self.notionalFloor = notionalFloor
        self.maintMarginRatio = maintMarginRatio
        self.cum = cum
    }

    /// Renders a tier schedule as brackets, one per tier.
    public static func brackets(from tiers: MarginTierTable) -> [BinanceLeverageBracket] {
        tiers.enumerated().map { index, tier in
            BinanceLeverageBracket(bracket: index + 1, initialLeverage: tier.maxLeverage,
                                   notionalCap: tier.upperBoundNotional, notionalFloor: tier.lowerBoundNotional,
                                   maintMarginRatio: tier.maintenanceMarginFraction, cum: tier.maintenanceDeduction)
        }
    }
}
