import MarginModel

/// Liquidation cascades of a position book under price shocks, to a fixed point.
///
/// The model (protocols/README.md, "Protocol health"), one scenario of relative shocks sₘ:
/// 1. Every market is repriced to P′ₘ = Pₘ·(1 + sₘ); its book moves with it (depth curves are relative to the mid).
/// 2. Each round, every open unit is valued at the current marks cₘ; those with equity below maintenance are
///    liquidated, the worst margin ratio first (ties by unit), while every market they hold has liquidator
///    capacity left this round (the unit that crosses a market's capacity still goes; the rest wait a round).
/// 3. A round's liquidated longs are sold into the bids and its shorts bought from the asks, each side walking on
///    from where earlier rounds left it: a long fills at P′·(1 − ō + a), ō the average bid offset of the round's
///    slice and a the ask side's impact so far; a short at P′·(1 + ō − b) likewise. Each unit's positions all
///    close; what equity is left pays the fee f·notional; equity below zero is bad debt.
/// 4. Marks move to P′·(1 − b + a), b and a each side's impact (how far its best level has moved), and the next
///    round values the survivors there; the cascade stops when nobody is below maintenance.
/// The book does not refill during a cascade and closes are full, which is where the model is conservative;
/// liquidators are assumed to close at the book, not to warehouse risk.
///
/// Only units that can breach are valued (``CascadeScreen``): a round values, per market and side, the units whose
/// bound on the loss of buffer E − M reaches it at that market's adverse move, and skips the units with one
/// position in a market whose mark has not moved since the previous round (they were valued at the same marks
/// then); units left breaching for want of capacity are carried to the next round. The result is that of valuing
/// every open unit every round, bit for bit, at a cost that grows with the units near liquidation under the
/// scenario, not with the book.
public struct LiquidationCascade: Sendable {
    /// The book the cascade liquidates.
    public let book: PositionBook
    /// Its positions by unit.
    public let layout: PositionLayout
    /// Each market's marks, schedules and books before the shock.
    public let markets: [MarketConditions]
    /// Fees and limits.
    public let settings: CascadeSettings
    /// The markets in flat arrays.
    let table: MarketTable
    /// Which units each round must value.
    let screen: CascadeScreen
    /// False for the reference: every open unit valued in every round.
    let screening: Bool
    /// Each market's liquidator capacity per round.
    let capacity: [Double]

    /// Prepares cascades over `book` under `markets`: O(positions) to value every unit at the base marks, and a
    /// sort of each market's units by how far they are from liquidation.
    ///
    /// - Throws: ``HealthError`` when the markets do not match the book, a market's conditions are invalid, a
    ///   schedule is not continuous, or a setting is out of range.
    public init(book: PositionBook, markets: [MarketConditions], settings: CascadeSettings = CascadeSettings())
        throws(HealthError) {
        try self.init(book: book, markets: markets, settings: settings, screening: true)
    }

    /// `screening: false` values every open unit in every round: the reference the screen is tested against.
    init(book: PositionBook, markets: [MarketConditions], settings: CascadeSettings, screening: Bool)
        throws(HealthError) {
        guard markets.count == book.marketCount else {
            throw HealthError(.invalidSetting, "\(markets.count) market conditions for a book of "
                              + "\(book.marketCount) markets")
        }
        for (index, market) in markets.enumerated() {
            try market.validate(market: index)
            try Self.checkContinuous(market.tiers, market: index)
        }
        try settings.validate()
        self.book = book
        layout = book.layout()
        self.markets = markets
        self.settings = settings
        table = MarketTable(markets)
        screen = CascadeScreen(book: book, layout: layout, table: table, screening: screening)
        self.screening = screening
        capacity = markets.map(\.liquidatorCapacity)
    }

    /// The schedule's slope bound holds only if maintenance is continuous across tier boundaries.
    private static func checkContinuous(_ tiers: MarginTierTable, market: Int) throws(HealthError) {
        for index in tiers.indices.dropFirst() {
            let boundary = tiers[index].lowerBoundNotional
            let below = boundary * tiers[index - 1].maintenanceMarginFraction - tiers[index - 1].maintenanceDeduction
            let above = boundary * tiers[index].maintenanceMarginFraction - tiers[index].maintenanceDeduction
            guard abs(below - above) <= 1e-9 * max(1, abs(below)) else {
                throw HealthError(.invalidSetting, "maintenance jumps from \(below) to \(above) at notional "
                                  + "\(boundary): the deductions must make the schedule continuous",
                                  context: ["market": "\(market)", "tier": "\(index)"])
            }
        }
    }

    /// Runs the cascade of one scenario: `shocks[m]` is market m's relative price change (> −1).
    ///
    /// - Throws: ``HealthError`` when the shocks do not match the markets or one is not finite or ≤ −100 %.
    public func run(shocks: [Double]) throws(HealthError) -> CascadeOutcome {
        var scratch = CascadeScratch(for: self)
        return try run(shocks: shocks, scratch: &scratch)
    }

    /// Runs one scenario with `scratch` reused from earlier ones (its per-unit marks are not cleared between
    /// scenarios, only renumbered).
    func run(shocks: [Double], scratch: inout CascadeScratch) throws(HealthError) -> CascadeOutcome {
        guard shocks.count == markets.count else {
            throw HealthError(.invalidScenario, "\(shocks.count) shocks for \(markets.count) markets")
        }
        for (index, shock) in shocks.enumerated() where !(shock.isFinite && shock > -1) {
            throw HealthError(.invalidScenario, "shock \(shock) must be finite and above −100 %",
                              context: ["market": "\(index)"])
        }
        scratch.beginScenario()
        var state = CascadeState(markets: markets, shocks: shocks)
        var outcome = CascadeOutcome(marketCount: markets.count)
        var debtors = TopDebtors(count: settings.topCount)
        var marks = markets.indices.map { state.mark($0) }
        var changed = [Bool](repeating: true, count: markets.count)
        var moved = MarketMask(changed)
        var deferred: [Int] = []
        var breaching: [(ratio: Double, unit: Int)] = []
        var selected: [Int] = []
        table.withView { table in
            book.withView(layout) { view in
                screen.slots.withUnsafeBufferPointer { slots in
                    while true {
                        breachingUnits(view, table, slots, marks: marks, changed: changed, moved: moved,
                                       firstRound: outcome.rounds == 0 || !screening, deferred: deferred,
                                       scratch: &scratch, valued: &outcome.unitsValued, into: &breaching)
                        if breaching.isEmpty { break }
                        guard outcome.rounds < settings.maximumRounds else {
                            outcome.converged = false
                            break
                        }
                        outcome.rounds += 1
                        selectWithinCapacity(breaching, view, slots, marks: marks, selected: &selected,
                                             deferred: &deferred)
                        liquidate(selected, view, slots, marks: marks, state: &state, outcome: &outcome,
                                  debtors: &debtors, scratch: &scratch)
                        for market in markets.indices {
                            let mark = state.mark(market)
                            changed[market] = mark.bitPattern != marks[market].bitPattern
                            marks[market] = mark
                        }
                        moved = MarketMask(changed)
                    }
                }
            }
        }
        for market in markets.indices {
            outcome.markets[market].priceMove = state.mark(market) / markets[market].markPrice - 1
        }
        outcome.topDebtors = debtors.sorted
        return outcome
    }

    /// Open units below maintenance at `marks` into `breaching`, worst margin ratio first (ties by unit): the
    /// units carried over (`deferred`), then each market's screened prefixes; single-position units of a market
    /// whose mark did not move since the last round, and units with several positions none of whose marks moved,
    /// were valued at these marks before and are skipped.
    private func breachingUnits(_ view: BookView, _ table: MarketView, _ slots: UnsafeBufferPointer<CascadeSlot>,
                                marks: [Double], changed: [Bool], moved: MarketMask, firstRound: Bool,
                                deferred: [Int], scratch: inout CascadeScratch, valued: inout Int,
                                into breaching: inout [(ratio: Double, unit: Int)]) {
        scratch.nextPass()
        breaching.removeAll(keepingCapacity: true)
        let pass = scratch.pass
        let scenario = scratch.scenario
        let exactMask = marketsCount <= MarketMask.bits
        var count = 0
        marks.withUnsafeBufferPointer { marks in
        changed.withUnsafeBufferPointer { changed in
        screen.threshold.withUnsafeBufferPointer { threshold in
        screen.unit.withUnsafeBufferPointer { units in
        screen.start.withUnsafeBufferPointer { start in
        screen.collateral.withUnsafeBufferPointer { singleCollateral in
        screen.size.withUnsafeBufferPointer { singleSize in
        screen.entry.withUnsafeBufferPointer { singleEntry in
        screen.maskLow.withUnsafeBufferPointer { maskLow in
        screen.maskHigh.withUnsafeBufferPointer { maskHigh in
        scratch.units.withUnsafeMutableBufferPointer { unitMarks in
        scratch.entryClosed.withUnsafeBufferPointer { entryClosed in
            func consider(_ unit: Int) {
                guard unitMarks[unit].closed != scenario, unitMarks[unit].stamp != pass else { return }
                unitMarks[unit].stamp = pass
                count += 1
                let (equity, maintenance) = Self.value(unit, view, slots, table, marks)
                if equity < maintenance { breaching.append((equity > 0 ? maintenance / equity : .infinity, unit)) }
            }
            // Single-position units of moved markets are valued from their lists below, carried ones included.
            for unit in deferred {
                let range = view.range(unit)
                if range.count == 1, firstRound || changed[Int(slots[range.lowerBound].market)] { continue }
                consider(unit)
            }
            for market in 0..<marketsCount {
                let move = marks[market] / table.markPrice[market] - 1
                let mark = marks[market]
                for side in 0..<2 {
                    let short = side == 1
                    let adverse = short ? max(0, move) : max(0, -move)
                    if firstRound || changed[market] {
                        // Each single-position unit is in one list only, and read from it in order: as `value`
                        // computes it, with no indirection.
                        let list = screen.index(multi: false, market: market, short: short)
                        var index = start[list]
                        let end = start[list + 1]
                        while index < end, threshold[index] <= adverse {
                            if entryClosed[index] != scenario {
                                count += 1
                                let size = singleSize[index]
                                let equity = singleCollateral[index] + size * (mark - singleEntry[index])
                                let maintenance = 0.0 + table.maintenance(market, abs(size) * mark).margin
                                if equity < maintenance {
                                    breaching.append((equity > 0 ? maintenance / equity : .infinity,
                                                      Int(units[index])))
                                }
                            }
                            index += 1
                        }
                    }
                    let list = screen.index(multi: true, market: market, short: short)
                    var index = start[list]
                    let end = start[list + 1]
                    while index < end, threshold[index] <= adverse {
                        let entry = index
                        index += 1
                        if entryClosed[entry] == scenario { continue }
                        if !firstRound {
                            // None of its marks moved (with a folded mask that shares no bit with the moved
                            // markets': exact): valued at these marks before, or carried and valued above.
                            if maskLow[entry] & moved.low == 0, maskHigh[entry] & moved.high == 0 { continue }
                            if !exactMask {
                                let unit = Int(units[entry])
                                var any = false
                                for slot in view.range(unit) where changed[Int(slots[slot].market)] {
                                    any = true
                                    break
                                }
                                if !any { continue }
                            }
                        }
                        consider(Int(units[entry]))
                    }
                }
            }
        }}}}}}}}}}}}
        valued += count
        breaching.sort { $0.ratio != $1.ratio ? $0.ratio > $1.ratio : $0.unit < $1.unit }
    }

    private var marketsCount: Int { markets.count }

    /// Equity and maintenance of `unit` at `marks`, as ``HealthEvaluator/unit(_:book:layout:markets:)`` values it.
    @inline(__always)
    private static func value(_ unit: Int, _ view: BookView, _ slots: UnsafeBufferPointer<CascadeSlot>,
                              _ table: MarketView, _ marks: UnsafeBufferPointer<Double>)
        -> (equity: Double, maintenance: Double) {
        var equity = view.unitCollateral[unit]
        var maintenance = 0.0
        for index in view.range(unit) {
            let slot = slots[index]
            let market = Int(slot.market)
            let mark = marks[market]
            equity += slot.size * (mark - slot.entry)
            maintenance += table.maintenance(market, abs(slot.size) * mark).margin
        }
        return (equity, maintenance)
    }

    /// The breaching units liquidators take this round, in order, while each of their markets has capacity left
    /// (`selected`); and the rest, left for the next round (`deferred`).
    private func selectWithinCapacity(_ breaching: [(ratio: Double, unit: Int)], _ view: BookView,
                                      _ slots: UnsafeBufferPointer<CascadeSlot>, marks: [Double],
                                      selected: inout [Int], deferred: inout [Int]) {
        var remaining = capacity
        selected.removeAll(keepingCapacity: true)
        deferred.removeAll(keepingCapacity: true)
        remaining.withUnsafeMutableBufferPointer { remaining in
            marks.withUnsafeBufferPointer { marks in
                for candidate in breaching {
                    let range = view.range(candidate.unit)
                    var open = true
                    for index in range where !(remaining[Int(slots[index].market)] > 0) {
                        open = false
                        break
                    }
                    guard open else {
                        deferred.append(candidate.unit)
                        continue
                    }
                    for index in range {
                        let slot = slots[index]
                        let market = Int(slot.market)
                        remaining[market] -= abs(slot.size) * marks[market]
                    }
                    selected.append(candidate.unit)
                }
            }
        }
    }

    /// Closes `units` into the books, books their bad debt and fees, and moves the marks.
    private func liquidate(_ units: [Int], _ view: BookView, _ slots: UnsafeBufferPointer<CascadeSlot>,
                           marks: [Double], state: inout CascadeState, outcome: inout CascadeOutcome,
                           debtors: inout TopDebtors, scratch: inout CascadeScratch) {
        var sold = [Double](repeating: 0, count: markets.count)
        var bought = [Double](repeating: 0, count: markets.count)
        for unit in units {
            for index in view.range(unit) {
                let slot = slots[index]
                let market = Int(slot.market)
                let notional = abs(slot.size) * marks[market]
                if slot.size > 0 { sold[market] += notional } else { bought[market] += notional }
            }
        }
        let fills = markets.indices.map { state.fills(market: $0, sold: sold[$0], bought: bought[$0]) }
        let scenario = scratch.scenario
        var shares: [(market: Int, notional: Double)] = []
        fills.withUnsafeBufferPointer { fills in
        outcome.markets.withUnsafeMutableBufferPointer { parts in
        scratch.units.withUnsafeMutableBufferPointer { unitMarks in
        scratch.entryClosed.withUnsafeMutableBufferPointer { entryClosed in
            for unit in units {
                var equity = view.unitCollateral[unit]
                var closed = 0.0
                shares.removeAll(keepingCapacity: true)
                for index in view.range(unit) {
                    let slot = slots[index]
                    let market = Int(slot.market)
                    let size = slot.size
                    let fill = size > 0 ? fills[market].sell : fills[market].buy
                    equity += size * (fill - slot.entry)
                    closed += abs(size) * fill
                    shares.append((market, abs(size) * fill))
                    parts[market].liquidatedNotional += abs(size) * fill
                    if slot.listEntry >= 0 { entryClosed[Int(slot.listEntry)] = scenario }
                }
                let badDebt = max(0, -equity)
                outcome.feesCollected += min(settings.liquidationFee * closed, max(0, equity))
                outcome.liquidatedNotional += closed
                outcome.badDebt += badDebt
                outcome.liquidatedUnits += 1
                if badDebt > 0 {
                    for share in shares where closed > 0 {
                        parts[share.market].badDebt += badDebt * share.notional / closed
                    }
                    debtors.add(CascadeOutcome.Debtor(account: book.unitAccount[unit], unit: unit,
                                                      badDebt: badDebt, round: outcome.rounds))
                }
                unitMarks[unit].closed = scenario
            }
        }}}}
        for market in markets.indices {
            state.sold[market] += sold[market]
            state.bought[market] += bought[market]
        }
    }
}

/// The markets whose marks moved in a round, folded onto 128 bits as ``CascadeScreen`` folds each unit's markets.
struct MarketMask {
    static let bits = 128
    var low: UInt64 = 0
    var high: UInt64 = 0

    init(_ changed: [Bool]) {
        for (market, moved) in changed.enumerated() where moved {
            let bit = market % Self.bits
            if bit < 64 { low |= 1 << UInt64(bit) } else { high |= 1 << UInt64(bit - 64) }
        }
    }
}

/// The `count` units with the most bad debt so far, most first (ties by unit): the order of sorting every debtor,
/// without keeping them all.
struct TopDebtors {
    let count: Int
    private(set) var sorted: [CascadeOutcome.Debtor] = []

    init(count: Int) { self.count = max(0, count) }

    private static func before(_ a: CascadeOutcome.Debtor, _ b: CascadeOutcome.Debtor) -> Bool {
        a.badDebt != b.badDebt ? a.badDebt > b.badDebt : a.unit < b.unit
    }

    mutating func add(_ debtor: CascadeOutcome.Debtor) {
        guard count > 0 else { return }
        if sorted.count == count {
            guard Self.before(debtor, sorted[count - 1]) else { return }
            sorted.removeLast()
        }
        var index = sorted.count
        while index > 0, Self.before(debtor, sorted[index - 1]) { index -= 1 }
        sorted.insert(debtor, at: index)
    }
}

/// The moving parts of one cascade: how much of each book side has been consumed.
struct CascadeState {
    let markets: [MarketConditions]
    /// P′ₘ: the shocked prices the books are anchored to.
    let shocked: [Double]
    var sold: [Double]
    var bought: [Double]

    init(markets: [MarketConditions], shocks: [Double]) {
        self.markets = markets
        shocked = zip(markets, shocks).map { $0.markPrice * (1 + $1) }
        sold = Array(repeating: 0, count: markets.count)
        bought = Array(repeating: 0, count: markets.count)
    }

    /// The current mark: P′·(1 − bid impact + ask impact).
    func mark(_ market: Int) -> Double {
        shocked[market] * (1 - markets[market].bids.impact(after: sold[market])
                           + markets[market].asks.impact(after: bought[market]))
    }

    /// Fill prices of this round's `sold` and `bought` notional in `market`, each side walking on from where it
    /// was and seeing the other side's impact so far.
    func fills(market: Int, sold roundSold: Double, bought roundBought: Double) -> (sell: Double, buy: Double) {
        let conditions = markets[market]
        let price = shocked[market]
        let sell = price * (1 - conditions.bids.averageOffset(from: sold[market], to: sold[market] + roundSold)
                            + conditions.asks.impact(after: bought[market]))
        let buy = price * (1 + conditions.asks.averageOffset(from: bought[market], to: bought[market] + roundBought)
                           - conditions.bids.impact(after: sold[market]))
        return (sell, buy)
    }
}
