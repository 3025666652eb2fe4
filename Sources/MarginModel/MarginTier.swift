/// One size tier (notional bracket) of an asset's margin schedule.
///
/// A position of notional N in this tier needs maintenance margin N·MMF − `maintenanceDeduction`; the deduction
/// makes the schedule continuous across tier boundaries (see `MarginTierTable.recomputeMaintenanceDeductions()`).
public struct MarginTier: Sendable, Hashable, Codable {
    /// Smallest notional in the tier (inclusive).
    public var lowerBoundNotional: Double
    /// Largest notional in the tier (exclusive, except for the last tier where it is the position limit).
    public var upperBoundNotional: Double
    /// Initial margin fraction IMF.
    public var initialMarginFraction: Double
    /// Maintenance margin fraction MMF (≤ IMF).
    public var maintenanceMarginFraction: Double
    /// Maximum leverage: the largest configured step ≤ 1/IMF.
    public var maxLeverage: Int
    /// The Binance `cum` / Hyperliquid deduction for this tier, in notional units.
    public var maintenanceDeduction: Double

    /// Creates a tier.
    public init(
        lowerBoundNotional: Double, upperBoundNotional: Double, initialMarginFraction: Double,
        maintenanceMarginFraction: Double, maxLeverage: Int, maintenanceDeduction: Double = 0
    ) {
        self.lowerBoundNotional = lowerBoundNotional
        self.upperBoundNotional = upperBoundNotional
        self.initialMarginFraction = initialMarginFraction
        self.maintenanceMarginFraction = maintenanceMarginFraction
        self.maxLeverage = maxLeverage
        self.maintenanceDeduction = maintenanceDeduction
    }

    /// An all-zero placeholder used to fill inline storage.
    static let empty = MarginTier(lowerBoundNotional: 0, upperBoundNotional: 0, initialMarginFraction: 0,
                                  maintenanceMarginFraction: 0, maxLeverage: 0)
}
