import MarginModel

/// Per-step health of every margin unit and its aggregates per market and for the protocol.
///
/// One pass over the positions grouped by unit: O(positions), no allocation beyond the result's arrays.
public enum HealthEvaluator {
    /// Leverage bucket upper bounds; a last bucket holds everything above, and units with no equity.
    public static let leverageBuckets: [Double] = [2, 5, 10, 20, 50]
    /// How many σ from liquidation the "notional near liquidation" figures count.
    public static let sigmaBands: [Double] = [1, 2, 3]

    /// The health of one unit at `markets`' marks.
    public static func unit(_ unit: Int, book: PositionBook, layout: PositionLayout,
                            markets: [MarketConditions]) -> UnitHealth {
        var equity = book.unitCollateral[unit]
        var maintenance = 0.0
        var notional = 0.0
        var sensitivity = 0.0
        for slot in layout.positions(of: unit) {
            let position = Int(slot)
            let market = markets[Int(book.positionMarket[position])]
            let size = book.positionSize[position]
            let price = market.markPrice
            let positionNotional = abs(size) * price
            equity += size * (price - book.positionEntry[position])
            maintenance += market.tiers.maintenanceMargin(forNotional: positionNotional)
            notional += positionNotional
            let rate = market.tiers[market.tiers.tierIndex(forNotional: positionNotional)].maintenanceMarginFraction
            sensitivity += positionNotional * market.horizonVolatility * (1 - rate * (size > 0 ? 1 : -1))
        }
        return UnitHealth(equity: equity, maintenance: maintenance, notional: notional, sensitivity: sensitivity)
    }

    /// Every unit's health and the aggregates.
    ///
    /// - Parameter topCount: how many units to list as the largest contributors to notional within the widest
    ///   σ band of liquidation.
    public static func evaluate(book: PositionBook, layout: PositionLayout, markets: [MarketConditions],
                                topCount: Int = 10) -> HealthSummary {
        var summary = HealthSummary(marketCount: markets.count)
        var near: [(unit: Int, notional: Double)] = []
        let widest = sigmaBands[sigmaBands.count - 1]
        for unit in 0..<book.unitSlotCount where !book.unitCollateral[unit].isNaN {
            let positions = layout.positions(of: unit)
            guard !positions.isEmpty else { continue }
            let health = Self.unit(unit, book: book, layout: layout, markets: markets)
            let distance = health.distanceInSigma
            let bucket = leverageBuckets.firstIndex { health.leverage <= $0 } ?? leverageBuckets.count
            summary.units += 1
            if health.isLiquidatable { summary.liquidatableUnits += 1 }
            summary.equity += health.equity
            summary.maintenance += health.maintenance
            for slot in positions {
                let position = Int(slot)
                let market = Int(book.positionMarket[position])
                let size = book.positionSize[position]
                let positionNotional = abs(size) * markets[market].markPrice
                summary.markets[market].add(notional: positionNotional, long: size > 0, leverageBucket: bucket,
                                            distance: distance, liquidatable: health.isLiquidatable)
            }
            if distance <= widest { near.append((unit, health.notional)) }
        }
        near.sort { $0.notional != $1.notional ? $0.notional > $1.notional : $0.unit < $1.unit }
        summary.topContributors = near.prefix(topCount).map { item in
            let health = Self.unit(item.unit, book: book, layout: layout, markets: markets)
            return HealthSummary.Contributor(account: book.unitAccount[item.unit], unit: item.unit,
                                             notional: health.notional, distanceInSigma: health.distanceInSigma,
                                             marginRatio: health.marginRatio)
        }
        return summary
    }
}
