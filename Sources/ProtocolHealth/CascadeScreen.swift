/// Which units a cascade round must value: for each market and side, the units holding it sorted by the smallest
/// adverse move of their markets that could take them below maintenance.
///
/// **The bound.** Moving a market by a relative `a` against a position of notional N = |q|·P changes its unit's
/// buffer E − M by at most −N·a·(1 − r̲) for a long (its equity falls by N·a, its maintenance by at least r̲·N·a)
/// and −N·a·(1 + r̄) for a short (equity falls by N·a, maintenance rises by at most r̄·N·a), r̲ and r̄ the smallest
/// and largest MMF of the market's schedule — the slope bounds of the continuous, piecewise-linear maintenance
/// (``LiquidationCascade`` refuses a discontinuous one). A move in a position's favour never lowers the buffer
/// while r̄ ≤ 1. So with wᵢ = N·(1 − r̲) or N·(1 + r̄) and W = Σ wᵢ, a unit's buffer falls by at most W·maxᵢ aᵢ,
/// aᵢ the adverse move of position i's market: the unit cannot breach while every aᵢ < t = (E − M)/W.
///
/// **The lists.** Every position of a unit is listed under (its market, its side) with its unit's t, ascending;
/// a round values only the prefix of each list with t ≤ the market's adverse move for that side (−move for
/// longs, +move for shorts). Units with one position (most of a book: every isolated unit and single-market
/// accounts) are kept apart from units with several, so that a round can skip the single-position lists of the
/// markets whose marks did not move since the previous round: those units were valued at the same marks then.
///
/// **Rounding.** t is lowered by 1e-9 of the unit's magnitude (|C| + Σ|q|·(P + |entry|) + M) and by a relative
/// 1e-9 and an absolute 1e-12, far above the rounding of either side of the comparison, so the screen never
/// drops a unit whose computed equity is below its computed maintenance: the cascade's results are those of
/// valuing every unit every round.
///
/// When some schedule has an MMF above 1 the bound does not hold in the favourable direction; every unit is then
/// listed with t = −∞ (valued every round in which one of its marks moved).
struct CascadeScreen: Sendable {
    /// List `index(multi:market:short:)` is `threshold[start[i] ..< start[i + 1]]`, `unit` alike.
    let start: [Int]
    let threshold: [Double]
    let unit: [Int32]
    /// For the entries of single-position units, the unit's collateral and its position's size and entry price,
    /// so that valuing them reads the list in order with no indirection (0 for the others).
    let collateral: [Double]
    let size: [Double]
    let entry: [Double]
    /// For the entries of units with several positions, the set of the unit's markets folded onto 128 bits (bit
    /// m mod 128 of `maskLow` ‖ `maskHigh`): a round whose moved markets, folded alike, share no bit with it moved
    /// none of the unit's marks (exact with at most 128 markets; beyond, a shared bit is checked position by
    /// position). 0 for single-position entries.
    let maskLow: [UInt64]
    let maskHigh: [UInt64]
    /// The unit's positions in layout order (`layout.start` ranges), read without the layout's indirection, each
    /// with the index of its list entry.
    let slots: [CascadeSlot]
    let marketCount: Int

    @inline(__always)
    func index(multi: Bool, market: Int, short: Bool) -> Int {
        (multi ? 2 * marketCount : 0) + 2 * market + (short ? 1 : 0)
    }

    init(book: PositionBook, layout: PositionLayout, table: MarketTable, screening: Bool = true) {
        marketCount = table.count
        let bounded = screening && table.largestRate.allSatisfy { $0 <= 1 }
        let listCount = 4 * table.count
        var counts = [Int](repeating: 0, count: listCount + 1)
        var unitThreshold = [Double](repeating: .nan, count: book.unitSlotCount)
        var multi = [Bool](repeating: false, count: book.unitSlotCount)
        let marketCount = table.count
        func list(_ multi: Bool, _ market: Int, _ short: Bool) -> Int {
            (multi ? 2 * marketCount : 0) + 2 * market + (short ? 1 : 0)
        }
        table.withView { markets in
            book.withView(layout) { view in
                for unit in 0..<book.unitSlotCount where !view.unitCollateral[unit].isNaN {
                    let range = view.range(unit)
                    guard !range.isEmpty else { continue }
                    let collateral = view.unitCollateral[unit]
                    var equity = collateral
                    var maintenance = 0.0
                    var weight = 0.0
                    var magnitude = abs(collateral)
                    for index in range {
                        let position = Int(view.positions[index])
                        let market = Int(view.positionMarket[position])
                        let size = view.positionSize[position]
                        let price = markets.markPrice[market]
                        let entry = view.positionEntry[position]
                        let notional = abs(size) * price
                        equity += size * (price - entry)
                        maintenance += markets.maintenance(market, notional).margin
                        weight += notional * (size > 0 ? 1 - table.smallestRate[market] : 1 + table.largestRate[market])
                        magnitude += abs(size) * (price + abs(entry))
                    }
                    magnitude += abs(maintenance)
                    let margin = (equity - maintenance) - 1e-9 * magnitude
                    var threshold: Double
                    if !bounded || !(margin > 0) {
                        threshold = -.infinity
                    } else if weight > 0 {
                        threshold = margin / (weight * (1 + 1e-9)) - 1e-12
                    } else {
                        threshold = .infinity
                    }
                    if threshold.isNaN { threshold = -.infinity }
                    unitThreshold[unit] = threshold
                    let isMulti = range.count > 1
                    multi[unit] = isMulti
                    for index in range {
                        let position = Int(view.positions[index])
                        counts[list(isMulti, Int(view.positionMarket[position]), view.positionSize[position] < 0) + 1]
                            += 1
                    }
                }
            }
        }
        for index in 1..<counts.count { counts[index] += counts[index - 1] }
        var next = counts
        typealias Entry = (threshold: Double, unit: Int32, collateral: Double, size: Double, entry: Double,
                           slot: Int32, maskLow: UInt64, maskHigh: UInt64)
        var entries = [Entry](repeating: (0, 0, 0, 0, 0, 0, 0, 0), count: counts[listCount])
        var slots = [CascadeSlot](repeating: CascadeSlot(size: 0, entry: 0, market: 0, listEntry: 0),
                                  count: layout.positions.count)
        book.withView(layout) { view in
            for unit in 0..<book.unitSlotCount {
                for index in view.range(unit) {
                    let position = Int(view.positions[index])
                    slots[index] = CascadeSlot(size: view.positionSize[position], entry: view.positionEntry[position],
                                               market: Int32(view.positionMarket[position]), listEntry: -1)
                }
            }
            for unit in 0..<book.unitSlotCount where !unitThreshold[unit].isNaN {
                var low: UInt64 = 0
                var high: UInt64 = 0
                if multi[unit] {
                    for index in view.range(unit) {
                        let bit = Int(view.positionMarket[Int(view.positions[index])]) % 128
                        if bit < 64 { low |= 1 << UInt64(bit) } else { high |= 1 << UInt64(bit - 64) }
                    }
                }
                for index in view.range(unit) {
                    let position = Int(view.positions[index])
                    let slot = list(multi[unit], Int(view.positionMarket[position]), view.positionSize[position] < 0)
                    entries[next[slot]] = multi[unit]
                        ? (unitThreshold[unit], Int32(unit), 0, 0, 0, Int32(index), low, high)
                        : (unitThreshold[unit], Int32(unit), view.unitCollateral[unit], view.positionSize[position],
                           view.positionEntry[position], Int32(index), 0, 0)
                    next[slot] += 1
                }
            }
        }
        entries.withUnsafeMutableBufferPointer { buffer in
            for list in 0..<listCount where counts[list + 1] - counts[list] > 1 {
                var slice = UnsafeMutableBufferPointer(rebasing: buffer[counts[list]..<counts[list + 1]])
                slice.sort { $0.threshold != $1.threshold ? $0.threshold < $1.threshold : $0.unit < $1.unit }
            }
        }
        start = counts
        threshold = entries.map(\.threshold)
        unit = entries.map(\.unit)
        collateral = entries.map(\.collateral)
        size = entries.map(\.size)
        entry = entries.map(\.entry)
        maskLow = entries.map(\.maskLow)
        maskHigh = entries.map(\.maskHigh)
        for (index, listed) in entries.enumerated() { slots[Int(listed.slot)].listEntry = Int32(index) }
        self.slots = slots
    }

    /// Entries in all lists.
    var entryCount: Int { threshold.count }
}

/// One position of a unit as a cascade reads it: size, entry price and market in one place, and the index of the
/// position's entry in the screen's lists (−1 for a unit that is not listed).
struct CascadeSlot: Sendable {
    var size: Double
    var entry: Double
    var market: Int32
    var listEntry: Int32
}
