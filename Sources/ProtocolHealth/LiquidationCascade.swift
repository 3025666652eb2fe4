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
/// Only units that can breach are visited: a unit's buffer E − M cannot fall by more than a·Σ|q|·P·(1 + r̂) when
/// no mark has moved by more than a relative to the base (r̂ the largest MMF of its tiers, the slope bound of the
/// continuous schedule), so units are sorted once by buffer / Σ|q|·P·(1 + r̂) and each round visits the prefix
/// below the largest move so far.
public struct LiquidationCascade: Sendable {
    /// The book the cascade liquidates.
    public let book: PositionBook
    /// Its positions by unit.
    public let layout: PositionLayout
    /// Each market's marks, schedules and books before the shock.
    public let markets: [MarketConditions]
    /// Fees and limits.
    public let settings: CascadeSettings
    /// Units with positions, by the smallest relative move that could take them below maintenance.
    private let screenUnits: [Int32]
    private let screenMoves: [Double]

    /// Prepares cascades over `book` under `markets`.
    ///
    /// - Throws: ``HealthError`` when the markets do not match the book, a market's conditions are invalid, a
    ///   schedule is not continuous, or a setting is out of range.
    public init(book: PositionBook, markets: [MarketConditions], settings: CascadeSettings = CascadeSettings())
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
        var screen: [(move: Double, unit: Int32)] = []
        for unit in 0..<book.unitSlotCount where !book.unitCollateral[unit].isNaN {
            guard !layout.positions(of: unit).isEmpty else { continue }
            let health = HealthEvaluator.unit(unit, book: book, layout: layout, markets: markets)
            var weight = 0.0
            for slot in layout.positions(of: unit) {
                let market = markets[Int(book.positionMarket[Int(slot)])]
                let steepest = market.tiers.map(\.maintenanceMarginFraction).max() ?? 0
                weight += abs(book.positionSize[Int(slot)]) * market.markPrice * (1 + steepest)
            }
            let buffer = health.equity - health.maintenance
            let move = buffer < 0 ? -Double.infinity : (weight > 0 ? buffer / weight : .infinity)
            screen.append((move, Int32(unit)))
        }
        screen.sort { $0.move != $1.move ? $0.move < $1.move : $0.unit < $1.unit }
        screenUnits = screen.map(\.unit)
        screenMoves = screen.map(\.move)
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
        guard shocks.count == markets.count else {
            throw HealthError(.invalidScenario, "\(shocks.count) shocks for \(markets.count) markets")
        }
        for (index, shock) in shocks.enumerated() where !(shock.isFinite && shock > -1) {
            throw HealthError(.invalidScenario, "shock \(shock) must be finite and above −100 %",
                              context: ["market": "\(index)"])
        }
        var state = CascadeState(markets: markets, shocks: shocks)
        var outcome = CascadeOutcome(marketCount: markets.count)
        var debtors: [CascadeOutcome.Debtor] = []
        while true {
            let breaching = breachingUnits(state)
            if breaching.isEmpty { break }
            guard outcome.rounds < settings.maximumRounds else {
                outcome.converged = false
                break
            }
            outcome.rounds += 1
            liquidate(selectWithinCapacity(breaching, state), state: &state, outcome: &outcome,
                      debtors: &debtors)
        }
        for market in markets.indices {
            outcome.markets[market].priceMove = state.mark(market) / markets[market].markPrice - 1
        }
        debtors.sort { $0.badDebt != $1.badDebt ? $0.badDebt > $1.badDebt : $0.unit < $1.unit }
        outcome.topDebtors = Array(debtors.prefix(settings.topCount))
        return outcome
    }

    /// Open units below maintenance at the current marks, worst margin ratio first (ties by unit).
    private func breachingUnits(_ state: CascadeState) -> [(ratio: Double, unit: Int)] {
        var largestMove = 0.0
        for market in markets.indices {
            largestMove = max(largestMove, abs(state.mark(market) / markets[market].markPrice - 1))
        }
        var breaching: [(ratio: Double, unit: Int)] = []
        for index in screenMoves.indices {
            guard screenMoves[index] <= largestMove else { break }
            let unit = Int(screenUnits[index])
            guard !state.closed.contains(unit) else { continue }
            let (equity, maintenance) = value(unit, state: state)
            if equity < maintenance { breaching.append((equity > 0 ? maintenance / equity : .infinity, unit)) }
        }
        breaching.sort { $0.ratio != $1.ratio ? $0.ratio > $1.ratio : $0.unit < $1.unit }
        return breaching
    }

    /// Equity and maintenance of `unit` at the current marks.
    private func value(_ unit: Int, state: CascadeState) -> (equity: Double, maintenance: Double) {
        var equity = book.unitCollateral[unit]
        var maintenance = 0.0
        for slot in layout.positions(of: unit) {
            let market = Int(book.positionMarket[Int(slot)])
            let size = book.positionSize[Int(slot)]
            let mark = state.mark(market)
            equity += size * (mark - book.positionEntry[Int(slot)])
            maintenance += markets[market].tiers.maintenanceMargin(forNotional: abs(size) * mark)
        }
        return (equity, maintenance)
    }

    /// The breaching units liquidators take this round: in order, while each of their markets has capacity left.
    private func selectWithinCapacity(_ breaching: [(ratio: Double, unit: Int)], _ state: CascadeState) -> [Int] {
        var remaining = markets.map(\.liquidatorCapacity)
        var selected: [Int] = []
        for candidate in breaching {
            let positions = layout.positions(of: candidate.unit)
            guard positions.allSatisfy({ remaining[Int(book.positionMarket[Int($0)])] > 0 }) else { continue }
            for slot in positions {
                let market = Int(book.positionMarket[Int(slot)])
                remaining[market] -= abs(book.positionSize[Int(slot)]) * state.mark(market)
            }
            selected.append(candidate.unit)
        }
        return selected
    }

    /// Closes `units` into the books, books their bad debt and fees, and moves the marks.
    private func liquidate(_ units: [Int], state: inout CascadeState, outcome: inout CascadeOutcome,
                           debtors: inout [CascadeOutcome.Debtor]) {
        var sold = [Double](repeating: 0, count: markets.count)
        var bought = [Double](repeating: 0, count: markets.count)
        for unit in units {
            for slot in layout.positions(of: unit) {
                let market = Int(book.positionMarket[Int(slot)])
                let size = book.positionSize[Int(slot)]
                let notional = abs(size) * state.mark(market)
                if size > 0 { sold[market] += notional } else { bought[market] += notional }
            }
        }
        let fills = markets.indices.map { state.fills(market: $0, sold: sold[$0], bought: bought[$0]) }
        for unit in units {
            var equity = book.unitCollateral[unit]
            var closed = 0.0
            var shares: [(market: Int, notional: Double)] = []
            for slot in layout.positions(of: unit) {
                let market = Int(book.positionMarket[Int(slot)])
                let size = book.positionSize[Int(slot)]
                let fill = size > 0 ? fills[market].sell : fills[market].buy
                equity += size * (fill - book.positionEntry[Int(slot)])
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
            state.closed.insert(unit)
        }
        for market in markets.indices {
            state.sold[market] += sold[market]
            state.bought[market] += bought[market]
        }
    }
}

/// The moving parts of one cascade: how much of each book side has been consumed, and which units are closed.
struct CascadeState {
    let markets: [MarketConditions]
    /// P′ₘ: the shocked prices the books are anchored to.
    let shocked: [Double]
    var sold: [Double]
    var bought: [Double]
    /// Units liquidated so far: few against the book, so a set rather than a flag per unit to clear per scenario.
    var closed: Set<Int> = []

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
