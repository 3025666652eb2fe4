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
        var scratch = CascadeScratch(unitCount: book.unitSlotCount)
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
        var debtors: [CascadeOutcome.Debtor] = []
        var marks = markets.indices.map { state.mark($0) }
        var changed = [Bool](repeating: true, count: markets.count)
        var deferred: [Int] = []
        table.withView { table in
            book.withView(layout) { view in
                while true {
                    let breaching = breachingUnits(view, table, marks: marks, changed: changed,
                                                   firstRound: outcome.rounds == 0 || !screening,
                                                   deferred: deferred,
                                                   scratch: &scratch, valued: &outcome.unitsValued)
                    if breaching.isEmpty { break }
                    guard outcome.rounds < settings.maximumRounds else {
                        outcome.converged = false
                        break
                    }
                    outcome.rounds += 1
                    let selected: [Int]
                    (selected, deferred) = selectWithinCapacity(breaching, view, marks: marks)
                    liquidate(selected, view, marks: marks, state: &state, outcome: &outcome, debtors: &debtors,
                              scratch: &scratch)
                    for market in markets.indices {
                        let mark = state.mark(market)
                        changed[market] = mark.bitPattern != marks[market].bitPattern
                        marks[market] = mark
                    }
                }
            }
        }
        for market in markets.indices {
            outcome.markets[market].priceMove = state.mark(market) / markets[market].markPrice - 1
        }
        debtors.sort { $0.badDebt != $1.badDebt ? $0.badDebt > $1.badDebt : $0.unit < $1.unit }
        outcome.topDebtors = Array(debtors.prefix(settings.topCount))
        return outcome
    }

    /// Open units below maintenance at `marks`, worst margin ratio first (ties by unit): the units carried over
    /// (`deferred`), then each market's screened prefixes; single-position units of a market whose mark did not
    /// move since the last round, and units with several positions none of whose marks moved, were valued at
    /// these marks before and are skipped.
    private func breachingUnits(_ view: BookView, _ table: MarketView, marks: [Double], changed: [Bool],
                                firstRound: Bool, deferred: [Int], scratch: inout CascadeScratch,
                                valued: inout Int) -> [(ratio: Double, unit: Int)] {
        scratch.nextPass()
        var breaching: [(ratio: Double, unit: Int)] = []
        let pass = scratch.pass
        let scenario = scratch.scenario
        var count = 0
        marks.withUnsafeBufferPointer { marks in
        changed.withUnsafeBufferPointer { changed in
        screen.threshold.withUnsafeBufferPointer { threshold in
        screen.unit.withUnsafeBufferPointer { units in
        screen.start.withUnsafeBufferPointer { start in
        screen.collateral.withUnsafeBufferPointer { singleCollateral in
        screen.size.withUnsafeBufferPointer { singleSize in
        screen.entry.withUnsafeBufferPointer { singleEntry in
        scratch.stamp.withUnsafeMutableBufferPointer { stamp in
        scratch.closed.withUnsafeBufferPointer { closed in
            func consider(_ unit: Int) {
                guard closed[unit] != scenario, stamp[unit] != pass else { return }
                stamp[unit] = pass
                count += 1
                let (equity, maintenance) = Self.value(unit, view, table, marks)
                if equity < maintenance { breaching.append((equity > 0 ? maintenance / equity : .infinity, unit)) }
            }
            // Single-position units of moved markets are valued from their lists below, carried ones included.
            for unit in deferred {
                let range = view.range(unit)
                if range.count == 1,
                   firstRound || changed[Int(view.positionMarket[Int(view.positions[range.lowerBound])])] {
                    continue
                }
                consider(unit)
            }
            for market in 0..<marketsCount {
                let move = marks[market] / table.markPrice[market] - 1
                let mark = marks[market]
                for short in [false, true] {
                    let adverse = short ? max(0, move) : max(0, -move)
                    if firstRound || changed[market] {
                        // Each single-position unit is in one list only, and read from it in order: as `value`
                        // computes it, with no indirection.
                        let list = screen.index(multi: false, market: market, short: short)
                        var index = start[list]
                        let end = start[list + 1]
                        while index < end, threshold[index] <= adverse {
                            let unit = Int(units[index])
                            if closed[unit] != scenario {
                                count += 1
                                let size = singleSize[index]
                                let equity = singleCollateral[index] + size * (mark - singleEntry[index])
                                let maintenance = 0.0 + table.maintenance(market, abs(size) * mark).margin
                                if equity < maintenance {
                                    breaching.append((equity > 0 ? maintenance / equity : .infinity, unit))
                                }
                            }
                            index += 1
                        }
                    }
                    let list = screen.index(multi: true, market: market, short: short)
                    var index = start[list]
                    let end = start[list + 1]
                    while index < end, threshold[index] <= adverse {
                        let unit = Int(units[index])
                        index += 1
                        if !firstRound, closed[unit] != scenario, stamp[unit] != pass {
                            var moved = false
                            for slot in view.range(unit)
                            where changed[Int(view.positionMarket[Int(view.positions[slot])])] {
                                moved = true
                                break
                            }
                            if !moved {
                                stamp[unit] = pass
                                continue
                            }
                        }
                        consider(unit)
                    }
                }
            }
        }}}}}}}}}}
        valued += count
        breaching.sort { $0.ratio != $1.ratio ? $0.ratio > $1.ratio : $0.unit < $1.unit }
        return breaching
    }

    private var marketsCount: Int { markets.count }

    /// Equity and maintenance of `unit` at `marks`, as ``HealthEvaluator/unit(_:book:layout:markets:)`` values it.
    @inline(__always)
    private static func value(_ unit: Int, _ view: BookView, _ table: MarketView, _ marks: UnsafeBufferPointer<Double>)
        -> (equity: Double, maintenance: Double) {
        var equity = view.unitCollateral[unit]
        var maintenance = 0.0
        for index in view.range(unit) {
            let position = Int(view.positions[index])
            let market = Int(view.positionMarket[position])
            let size = view.positionSize[position]
            let mark = marks[market]
            equity += size * (mark - view.positionEntry[position])
            maintenance += table.maintenance(market, abs(size) * mark).margin
        }
        return (equity, maintenance)
    }

    /// The breaching units liquidators take this round, in order, while each of their markets has capacity left;
    /// and the rest, left for the next round.
    private func selectWithinCapacity(_ breaching: [(ratio: Double, unit: Int)], _ view: BookView, marks: [Double])
        -> (selected: [Int], deferred: [Int]) {
        var remaining = markets.map(\.liquidatorCapacity)
        var selected: [Int] = []
        var deferred: [Int] = []
        for candidate in breaching {
            let range = view.range(candidate.unit)
            guard range.allSatisfy({ remaining[Int(view.positionMarket[Int(view.positions[$0])])] > 0 }) else {
                deferred.append(candidate.unit)
                continue
            }
            for index in range {
                let position = Int(view.positions[index])
                let market = Int(view.positionMarket[position])
                remaining[market] -= abs(view.positionSize[position]) * marks[market]
            }
            selected.append(candidate.unit)
        }
        return (selected, deferred)
    }

    /// Closes `units` into the books, books their bad debt and fees, and moves the marks.
    private func liquidate(_ units: [Int], _ view: BookView, marks: [Double], state: inout CascadeState,
                           outcome: inout CascadeOutcome, debtors: inout [CascadeOutcome.Debtor],
                           scratch: inout CascadeScratch) {
        var sold = [Double](repeating: 0, count: markets.count)
        var bought = [Double](repeating: 0, count: markets.count)
        for unit in units {
            for index in view.range(unit) {
                let position = Int(view.positions[index])
                let market = Int(view.positionMarket[position])
                let size = view.positionSize[position]
                let notional = abs(size) * marks[market]
                if size > 0 { sold[market] += notional } else { bought[market] += notional }
            }
        }
        let fills = markets.indices.map { state.fills(market: $0, sold: sold[$0], bought: bought[$0]) }
        var shares: [(market: Int, notional: Double)] = []
        for unit in units {
            var equity = view.unitCollateral[unit]
            var closed = 0.0
            shares.removeAll(keepingCapacity: true)
            for index in view.range(unit) {
                let position = Int(view.positions[index])
                let market = Int(view.positionMarket[position])
                let size = view.positionSize[position]
                let fill = size > 0 ? fills[market].sell : fills[market].buy
                equity += size * (fill - view.positionEntry[position])
                closed += abs(size) * fill
                shares.append((market, abs(size) * fill))
                outcome.markets[market].liquidatedNotional += abs(size) * fill
            }
            let badDebt = max(0, -equity)
            outcome.feesCollected += min(settings.liquidationFee * closed, max(0, equity))
            outcome.liquidatedNotional += closed
            outcome.badDebt += badDebt
            outcome.liquidatedUnits += 1
            if badDebt > 0 {
                for share in shares where closed > 0 {
                    outcome.markets[share.market].badDebt += badDebt * share.notional / closed
                }
                debtors.append(CascadeOutcome.Debtor(account: book.unitAccount[unit], unit: unit,
                                                     badDebt: badDebt, round: outcome.rounds))
            }
            scratch.close(unit)
        }
        for market in markets.indices {
            state.sold[market] += sold[market]
            state.bought[market] += bought[market]
        }
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
