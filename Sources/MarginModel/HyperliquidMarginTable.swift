/// A Hyperliquid-style margin table: notional lower bounds with a max leverage each.
///
/// Hyperliquid derives maintenance from leverage, MMR = 1/(2·max leverage), with the deduction recursion for
/// continuity. To stay at least as conservative as the model, each tier's leverage is the largest configured step
/// L with 1/L ≥ IMF and 1/(2L) ≥ MMF.
public struct HyperliquidMarginTable: Sendable, Hashable, Codable {
    /// One row of the table.
    public struct Tier: Sendable, Hashable, Codable {
        /// Notional from which the tier applies.
        public var lowerBound: Double
        /// Maximum leverage in the tier.
        public var maxLeverage: Int
        /// The implied maintenance margin rate 1/(2·maxLeverage).
        public var maintenanceMarginRate: Double
        /// The maintenance deduction by the recursion on the implied rates.
        public var maintenanceDeduction: Double

        /// Creates a row.
        public init(lowerBound: Double, maxLeverage: Int, maintenanceMarginRate: Double,
                    maintenanceDeduction: Double) {
            self.lowerBound = lowerBound
            self.maxLeverage = maxLeverage
            self.maintenanceMarginRate = maintenanceMarginRate
            self.maintenanceDeduction = maintenanceDeduction
        }
    }

    /// Table description (usually the asset symbol).
    public var description: String
    /// Rows by ascending lower bound.
    public var marginTiers: [Tier]
    /// Open-interest cap of the asset, notional: Hyperliquid refuses new positions that would take the asset's
    /// open interest past it. Rendered from the live cap (dYdX's U, where scaling takes IMF to 100 %); `nil` when
    /// the asset has none.
    public var openInterestCap: Double?

    /// Builds a table from explicit (lower bound, max leverage) rows, filling implied rates and deductions.
    public init(description: String, rows: [(lowerBound: Double, maxLeverage: Int)]) {
        self.description = description
        var tiers: [Tier] = []
        var deduction = 0.0
        var previousRate = 0.0
        for (index, row) in rows.enumerated() {
            let rate = 1 / (2 * Double(max(row.maxLeverage, 1)))
            if index > 0 { deduction += row.lowerBound * (rate - previousRate) }
            tiers.append(Tier(lowerBound: row.lowerBound, maxLeverage: row.maxLeverage, maintenanceMarginRate: rate,
                              maintenanceDeduction: deduction))
            previousRate = rate
        }
        marginTiers = tiers
    }

    /// Renders a tier schedule with the leverage ladder `leverageSteps` (ascending) and the asset's open-interest
    /// cap, if any.
    public init(description: String, tiers: MarginTierTable, leverageSteps: [Int], openInterestCap: Double? = nil) {
        var rows: [(lowerBound: Double, maxLeverage: Int)] = []
        var previous = Int.max
        for tier in tiers {
            var leverage = 1
            for step in leverageSteps where Double(step) * tier.initialMarginFraction <= 1 + 1e-12
                && 2 * Double(step) * tier.maintenanceMarginFraction <= 1 + 1e-12 {
                leverage = step
            }
            leverage = min(leverage, previous)
            previous = leverage
            rows.append((tier.lowerBoundNotional, leverage))
        }
        self.init(description: description, rows: rows)
        self.openInterestCap = openInterestCap
    }

    /// Maintenance margin N·MMRₙ − deductionₙ for |notional| N.
    public func maintenanceMargin(forNotional notional: Double) -> Double {
        let size = abs(notional)
        guard var tier = marginTiers.first else { return .nan }
        for candidate in marginTiers where candidate.lowerBound <= size { tier = candidate }
        return size * tier.maintenanceMarginRate - tier.maintenanceDeduction
    }
}
