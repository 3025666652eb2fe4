/// The markets' marks, volatilities and maintenance schedules in flat arrays, for the passes over every position.
///
/// `MarketConditions` holds its schedule inline (eight tiers) and two depth curves: reading one out of an array per
/// position copies several hundred bytes and retains its arrays. The passes read these arrays instead, with the
/// same arithmetic as `MarginTierTable` (the tier is the last whose lower bound is ≤ N, tier 0 below or for NaN;
/// maintenance N·MMFₙ − dₙ), so their figures are bit-identical to the per-unit API's.
struct MarketTable: Sendable {
    /// Tiers per market in the flat arrays (`MarginTierTable.capacity`).
    static let stride = 8

    let count: Int
    let markPrice: [Double]
    let horizonVolatility: [Double]
    let tierCount: [Int]
    let lowerBound: [Double]
    let rate: [Double]
    let deduction: [Double]
    /// Smallest and largest MMF of each schedule: the bounds of its slope.
    let smallestRate: [Double]
    let largestRate: [Double]

    init(_ markets: [MarketConditions]) {
        count = markets.count
        markPrice = markets.map(\.markPrice)
        horizonVolatility = markets.map(\.horizonVolatility)
        tierCount = markets.map(\.tiers.count)
        var lower = [Double](repeating: .infinity, count: markets.count * Self.stride)
        var rates = [Double](repeating: 0, count: markets.count * Self.stride)
        var deductions = [Double](repeating: 0, count: markets.count * Self.stride)
        var smallest = [Double](repeating: 0, count: markets.count)
        var largest = [Double](repeating: 0, count: markets.count)
        for (market, conditions) in markets.enumerated() {
            for (index, tier) in conditions.tiers.enumerated() {
                lower[market * Self.stride + index] = tier.lowerBoundNotional
                rates[market * Self.stride + index] = tier.maintenanceMarginFraction
                deductions[market * Self.stride + index] = tier.maintenanceDeduction
            }
            smallest[market] = conditions.tiers.map(\.maintenanceMarginFraction).min() ?? 0
            largest[market] = conditions.tiers.map(\.maintenanceMarginFraction).max() ?? 0
        }
        lowerBound = lower
        rate = rates
        deduction = deductions
        smallestRate = smallest
        largestRate = largest
    }
}

/// Unsafe views of a ``MarketTable`` and of a ``PositionBook``'s arrays, for the inner loops: no bounds checks and
/// no retains per access. Valid only inside the `withViews` closures that make them.
struct MarketView {
    let markPrice: UnsafeBufferPointer<Double>
    let horizonVolatility: UnsafeBufferPointer<Double>
    let tierCount: UnsafeBufferPointer<Int>
    let lowerBound: UnsafeBufferPointer<Double>
    let rate: UnsafeBufferPointer<Double>
    let deduction: UnsafeBufferPointer<Double>

    /// The tier of `market` holding notional `size` (≥ 0): the last whose lower bound is ≤ size, else 0.
    @inline(__always)
    func tier(_ market: Int, _ size: Double) -> Int {
        let base = market &* MarketTable.stride
        var result = 0
        for index in 0..<tierCount[market] where lowerBound[base &+ index] <= size { result = index }
        return base &+ result
    }

    /// Maintenance margin of a position of notional `size` (≥ 0) in `market`, and the index of its tier.
    @inline(__always)
    func maintenance(_ market: Int, _ size: Double) -> (margin: Double, tier: Int) {
        let tier = tier(market, size)
        return (size * rate[tier] - deduction[tier], tier)
    }
}

extension MarketTable {
    /// Calls `body` with an unsafe view of the table.
    func withView<Result>(_ body: (MarketView) throws -> Result) rethrows -> Result {
        try markPrice.withUnsafeBufferPointer { markPrice in
            try horizonVolatility.withUnsafeBufferPointer { horizonVolatility in
                try tierCount.withUnsafeBufferPointer { tierCount in
                    try lowerBound.withUnsafeBufferPointer { lowerBound in
                        try rate.withUnsafeBufferPointer { rate in
                            try deduction.withUnsafeBufferPointer { deduction in
                                try body(MarketView(markPrice: markPrice, horizonVolatility: horizonVolatility,
                                                    tierCount: tierCount, lowerBound: lowerBound, rate: rate,
                                                    deduction: deduction))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Unsafe views of a book's arrays grouped by unit.
struct BookView {
    let unitCollateral: UnsafeBufferPointer<Double>
    let positionMarket: UnsafeBufferPointer<UInt16>
    let positionSize: UnsafeBufferPointer<Double>
    let positionEntry: UnsafeBufferPointer<Double>
    let start: UnsafeBufferPointer<Int32>
    let positions: UnsafeBufferPointer<Int32>

    /// The range of `positions` holding `unit`'s position slots.
    @inline(__always)
    func range(_ unit: Int) -> Range<Int> { Int(start[unit])..<Int(start[unit &+ 1]) }
}

extension PositionBook {
    /// Calls `body` with an unsafe view of the book's arrays and `layout`.
    func withView<Result>(_ layout: PositionLayout, _ body: (BookView) throws -> Result) rethrows -> Result {
        try unitCollateral.withUnsafeBufferPointer { unitCollateral in
            try positionMarket.withUnsafeBufferPointer { positionMarket in
                try positionSize.withUnsafeBufferPointer { positionSize in
                    try positionEntry.withUnsafeBufferPointer { positionEntry in
                        try layout.start.withUnsafeBufferPointer { start in
                            try layout.positions.withUnsafeBufferPointer { positions in
                                try body(BookView(unitCollateral: unitCollateral, positionMarket: positionMarket,
                                                  positionSize: positionSize, positionEntry: positionEntry,
                                                  start: start, positions: positions))
                            }
                        }
                    }
                }
            }
        }
    }
}
