import MarginModel
import ProtocolHealth

/// The protocol-health passes as they were before the flat market arrays and the per-market screen (main at
/// a1a0081), kept here verbatim in their logic over the public API: the baseline the benchmark reports ratios
/// against in the same run, and the reference the new code's figures must equal bit for bit.
enum BaselineHealth {
    struct Market: Equatable {
        var longNotional = 0.0
        var shortNotional = 0.0
        var notionalByLeverage = [Double](repeating: 0, count: HealthEvaluator.leverageBuckets.count + 1)
        var notionalWithinSigma = [Double](repeating: 0, count: HealthEvaluator.sigmaBands.count)
        var liquidatableNotional = 0.0

        mutating func add(notional: Double, long: Bool, leverageBucket: Int, distance: Double, liquidatable: Bool) {
            if long { longNotional += notional } else { shortNotional += notional }
            notionalByLeverage[leverageBucket] += notional
            for (index, band) in HealthEvaluator.sigmaBands.enumerated() where distance <= band {
                notionalWithinSigma[index] += notional
            }
            if liquidatable { liquidatableNotional += notional }
        }
    }

    struct Summary {
        var markets: [Market]
        var units = 0
        var liquidatableUnits = 0
        var equity = 0.0
        var maintenance = 0.0
        var topUnits: [Int] = []
    }

    static func evaluate(book: PositionBook, layout: PositionLayout, markets: [MarketConditions],
                         topCount: Int = 10) -> Summary {
        var summary = Summary(markets: Array(repeating: Market(), count: markets.count))
        var near: [(unit: Int, notional: Double)] = []
        let widest = HealthEvaluator.sigmaBands[HealthEvaluator.sigmaBands.count - 1]
        for unit in 0..<book.unitSlotCount where !book.unitCollateral[unit].isNaN {
            let positions = layout.positions(of: unit)
            guard !positions.isEmpty else { continue }
            let health = HealthEvaluator.unit(unit, book: book, layout: layout, markets: markets)
            let distance = health.distanceInSigma
            let bucket = HealthEvaluator.leverageBuckets.firstIndex { health.leverage <= $0 }
                ?? HealthEvaluator.leverageBuckets.count
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
        summary.topUnits = near.prefix(topCount).map(\.unit)
        return summary
    }
}

/// The cascade before the per-market screen: units sorted once by buffer / Σ|q|·P·(1 + r̂), every round values
/// the prefix below the largest move of any market.
struct BaselineCascade {
    struct Outcome {
        var rounds = 0
        var converged = true
        var liquidatedUnits = 0
        var liquidatedNotional = 0.0
        var badDebt = 0.0
        var feesCollected = 0.0
        var marketNotional: [Double]
        var marketDebt: [Double]
        var priceMove: [Double]
        var unitsValued = 0
    }

    let book: PositionBook
    let layout: PositionLayout
    let markets: [MarketConditions]
    let settings: CascadeSettings
    private let screenUnits: [Int32]
    private let screenMoves: [Double]

    init(book: PositionBook, markets: [MarketConditions], settings: CascadeSettings = CascadeSettings()) {
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

    func run(shocks: [Double]) -> Outcome {
        var state = State(markets: markets, shocks: shocks)
        var outcome = Outcome(marketNotional: Array(repeating: 0, count: markets.count),
                              marketDebt: Array(repeating: 0, count: markets.count),
                              priceMove: Array(repeating: 0, count: markets.count))
        while true {
            let breaching = breachingUnits(state, valued: &outcome.unitsValued)
            if breaching.isEmpty { break }
            guard outcome.rounds < settings.maximumRounds else {
                outcome.converged = false
                break
            }
            outcome.rounds += 1
            liquidate(selectWithinCapacity(breaching, state), state: &state, outcome: &outcome)
        }
        for market in markets.indices {
            outcome.priceMove[market] = state.mark(market) / markets[market].markPrice - 1
        }
        return outcome
    }

    private func breachingUnits(_ state: State, valued: inout Int) -> [(ratio: Double, unit: Int)] {
        var largestMove = 0.0
        for market in markets.indices {
            largestMove = max(largestMove, abs(state.mark(market) / markets[market].markPrice - 1))
        }
        var breaching: [(ratio: Double, unit: Int)] = []
        for index in screenMoves.indices {
            guard screenMoves[index] <= largestMove else { break }
            let unit = Int(screenUnits[index])
            guard !state.closed.contains(unit) else { continue }
            valued += 1
            let (equity, maintenance) = value(unit, state: state)
            if equity < maintenance { breaching.append((equity > 0 ? maintenance / equity : .infinity, unit)) }
        }
        breaching.sort { $0.ratio != $1.ratio ? $0.ratio > $1.ratio : $0.unit < $1.unit }
        return breaching
    }

    private func value(_ unit: Int, state: State) -> (equity: Double, maintenance: Double) {
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

    private func selectWithinCapacity(_ breaching: [(ratio: Double, unit: Int)], _ state: State) -> [Int] {
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

    private func liquidate(_ units: [Int], state: inout State, outcome: inout Outcome) {
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
                outcome.marketNotional[market] += abs(size) * fill
            }
            let badDebt = max(0, -equity)
            outcome.feesCollected += min(settings.liquidationFee * closed, max(0, equity))
            outcome.liquidatedNotional += closed
            outcome.badDebt += badDebt
            outcome.liquidatedUnits += 1
            if badDebt > 0 {
                for share in shares where closed > 0 {
                    outcome.marketDebt[share.market] += badDebt * share.notional / closed
                }
            }
            state.closed.insert(unit)
        }
        for market in markets.indices {
            state.sold[market] += sold[market]
            state.bought[market] += bought[market]
        }
    }

    struct State {
        let markets: [MarketConditions]
        let shocked: [Double]
        var sold: [Double]
        var bought: [Double]
        var closed: Set<Int> = []

        init(markets: [MarketConditions], shocks: [Double]) {
            self.markets = markets
            shocked = zip(markets, shocks).map { $0.markPrice * (1 + $1) }
            sold = Array(repeating: 0, count: markets.count)
            bought = Array(repeating: 0, count: markets.count)
        }

        func mark(_ market: Int) -> Double {
            shocked[market] * (1 - markets[market].bids.impact(after: sold[market])
                               + markets[market].asks.impact(after: bought[market]))
        }

        func fills(market: Int, sold roundSold: Double, bought roundBought: Double) -> (sell: Double, buy: Double) {
            let conditions = markets[market]
            let price = shocked[market]
            let sell = price * (1 - conditions.bids.averageOffset(from: sold[market], to: sold[market] + roundSold)
                                + conditions.asks.impact(after: bought[market]))
            let buy = price * (1 + conditions.asks.averageOffset(from: bought[market],
                                                                 to: bought[market] + roundBought)
                               - conditions.bids.impact(after: sold[market]))
            return (sell, buy)
        }
    }
}
