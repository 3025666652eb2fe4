import MarginModel
import ProtocolHealth
import Testing

/// The one-pass aggregates against the per-unit API summed unit by unit in slot order, as the figures are defined:
/// the pass must be bit-identical (exact comparisons), top contributors included.
@Suite("Health aggregates")
struct HealthAggregateTests {
    @Test("Aggregates equal the per-unit health summed over the units, bit for bit")
    func aggregatesEqualUnitSums() throws {
        var synthetic = SyntheticProtocol(seed: 0xA66)
        let markets = try synthetic.markets(5)
        var book = try synthetic.book(accounts: 2_000, markets: markets) { _ in Array(0..<5) }
        // Free slots in the middle of the arrays, as a live book has.
        for account in stride(from: 3, to: 2_000, by: 17) { book.removeAccount(UInt64(account)) }
        let layout = book.layout()
        let summary = HealthEvaluator.evaluate(book: book, layout: layout, markets: markets, topCount: 25)

        var units = 0, liquidatable = 0
        var equity = 0.0, maintenance = 0.0
        var long = [Double](repeating: 0, count: 5), short = long, liquidatableNotional = long
        var byLeverage = [[Double]](repeating: [Double](repeating: 0, count: 6), count: 5)
        var within = [[Double]](repeating: [0, 0, 0], count: 5)
        var near: [(unit: Int, notional: Double)] = []
        for unit in 0..<book.unitSlotCount where !book.unitCollateral[unit].isNaN && !layout.positions(of: unit).isEmpty {
            let health = HealthEvaluator.unit(unit, book: book, layout: layout, markets: markets)
            units += 1
            if health.isLiquidatable { liquidatable += 1 }
            equity += health.equity
            maintenance += health.maintenance
            let bucket = HealthEvaluator.leverageBuckets.firstIndex { health.leverage <= $0 } ?? 5
            for slot in layout.positions(of: unit) {
                let market = Int(book.positionMarket[Int(slot)])
                let size = book.positionSize[Int(slot)]
                let notional = abs(size) * markets[market].markPrice
                if size > 0 { long[market] += notional } else { short[market] += notional }
                byLeverage[market][bucket] += notional
                for (band, sigma) in HealthEvaluator.sigmaBands.enumerated() where health.distanceInSigma <= sigma {
                    within[market][band] += notional
                }
                if health.isLiquidatable { liquidatableNotional[market] += notional }
            }
            if health.distanceInSigma <= 3 { near.append((unit, health.notional)) }
        }
        near.sort { $0.notional != $1.notional ? $0.notional > $1.notional : $0.unit < $1.unit }

        #expect(summary.units == units && summary.liquidatableUnits == liquidatable)
        #expect(liquidatable > 0 && near.count > 25, "the book has units near and past liquidation")
        #expect(summary.equity == equity && summary.maintenance == maintenance)
        for market in 0..<5 {
            let figures = summary.markets[market]
            #expect(figures.longNotional == long[market] && figures.shortNotional == short[market])
            #expect(figures.notionalByLeverage == byLeverage[market])
            #expect(figures.notionalWithinSigma == within[market])
            #expect(figures.liquidatableNotional == liquidatableNotional[market])
        }
        #expect(summary.topContributors.map(\.unit) == near.prefix(25).map(\.unit))
        #expect(summary.topContributors.map(\.notional) == near.prefix(25).map(\.notional))
    }
}
