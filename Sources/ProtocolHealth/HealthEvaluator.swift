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
    /// One pass over the units in slot order, each unit's positions in layout order, reading the markets from flat
    /// arrays (``MarketTable``): the figures are bit-identical to summing ``unit(_:book:layout:markets:)`` over the
    /// units, and the aggregates are additive over units (``HealthReducer`` merges shards of a book). The largest
    /// contributors are kept by a bounded selection, not a sort of every unit near liquidation.
    ///
    /// - Parameter topCount: how many units to list as the largest contributors to notional within the widest
    ///   σ band of liquidation.
    /// - Precondition: every market has at least one tier.
    public static func evaluate(book: PositionBook, layout: PositionLayout, markets: [MarketConditions],
                                topCount: Int = 10) -> HealthSummary {
        precondition(markets.allSatisfy { !$0.tiers.isEmpty }, "a market without a maintenance schedule")
        var accumulator = HealthAccumulator(marketCount: markets.count, topCount: topCount)
        let table = MarketTable(markets)
        table.withView { market in
            book.withView(layout) { view in
                accumulator.add(units: 0..<book.unitSlotCount, book: view, markets: market)
            }
        }
        var summary = accumulator.summary
        summary.topContributors = accumulator.top.ranked.map { item in
            let health = Self.unit(item.unit, book: book, layout: layout, markets: markets)
            return HealthSummary.Contributor(account: book.unitAccount[item.unit], unit: item.unit,
                                             notional: health.notional, distanceInSigma: health.distanceInSigma,
                                             marginRatio: health.marginRatio)
        }
        return summary
    }
}
