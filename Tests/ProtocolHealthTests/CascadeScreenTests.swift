import MarginModel
@testable import ProtocolHealth
import Testing

/// The screen that lets a cascade value only the units near liquidation must not change any figure: every outcome
/// equals that of valuing every open unit in every round, bit for bit (so the comparisons here are exact).
@Suite("Cascade screen")
struct CascadeScreenTests {
    /// Every field but the work done.
    static func figures(_ outcome: CascadeOutcome) -> CascadeOutcome {
        var outcome = outcome
        outcome.unitsValued = 0
        return outcome
    }

    @Test("Screened cascades equal valuing every unit every round, on 3,000 accounts and 120 scenarios")
    func screenedEqualsReference() throws {
        var synthetic = SyntheticProtocol(seed: 0x5C4EE7)
        let markets = try synthetic.markets(6)
        let book = try synthetic.book(accounts: 3_000, markets: markets) { _ in Array(0..<6) }
        let screened = try LiquidationCascade(book: book, markets: markets)
        let reference = try LiquidationCascade(book: book, markets: markets, settings: CascadeSettings(),
                                               screening: false)
        var valued = 0
        var valuedByReference = 0
        var deferredRounds = 0
        var withDebt = 0
        for shocks in synthetic.scenarios(120, markets: 6) {
            let fast = try screened.run(shocks: shocks)
            let slow = try reference.run(shocks: shocks)
            #expect(Self.figures(fast) == Self.figures(slow), "shocks \(shocks)")
            valued += fast.unitsValued
            valuedByReference += slow.unitsValued
            if slow.rounds > 2 { deferredRounds += 1 }
            if slow.badDebt > 0 { withDebt += 1 }
        }
        // The book exercises what the screen must get right (cascades of several rounds, capacity deferring units,
        // bad debt), and the screen values far fewer units than the reference.
        #expect(deferredRounds > 5 && withDebt > 5, "\(deferredRounds) deep, \(withDebt) with debt")
        #expect(valued * 4 < valuedByReference, "screened \(valued), reference \(valuedByReference)")
    }

    @Test("A unit far from liquidation under the shock is never valued")
    func farUnitsSkipped() throws {
        var synthetic = SyntheticProtocol(seed: 7)
        let markets = try synthetic.markets(2)
        var book = PositionBook(marketCount: 2)
        // 500 accounts at 1.2× leverage long market 0, one at 40×.
        for account in 1...500 as ClosedRange<UInt64> {
            let notional = 10_000.0
            try book.setCollateral(account: account, amount: notional / (account == 500 ? 40 : 1.2))
            try book.setPosition(account: account, market: 0, size: notional / markets[0].markPrice,
                                 entryPrice: markets[0].markPrice)
        }
        let cascade = try LiquidationCascade(book: book, markets: markets)
        let outcome = try cascade.run(shocks: [-0.05, 0])
        #expect(outcome.liquidatedUnits == 1)
        #expect(outcome.unitsValued <= 2, "valued \(outcome.unitsValued) of 500 units")
        let reference = try LiquidationCascade(book: book, markets: markets, settings: CascadeSettings(),
                                               screening: false).run(shocks: [-0.05, 0])
        #expect(Self.figures(outcome) == Self.figures(reference))
        #expect(reference.unitsValued >= 500)
    }

    @Test("With a maintenance rate above 100 % the bound does not hold and every unit is listed; figures still equal")
    func steepScheduleUnscreened() throws {
        var synthetic = SyntheticProtocol(seed: 11)
        var markets = try synthetic.markets(3)
        var tiers = MarginTierTable()
        for (lower, rate) in [(0.0, 0.02), (20_000.0, 1.5)] {
            tiers.append(MarginTier(lowerBoundNotional: lower, upperBoundNotional: .infinity,
                                    initialMarginFraction: 2 * rate, maintenanceMarginFraction: rate,
                                    maxLeverage: 1))
        }
        tiers.recomputeMaintenanceDeductions()
        markets[1].tiers = tiers
        let book = try synthetic.book(accounts: 400, markets: markets) { _ in Array(0..<3) }
        let screened = try LiquidationCascade(book: book, markets: markets)
        let reference = try LiquidationCascade(book: book, markets: markets, settings: CascadeSettings(),
                                               screening: false)
        for shocks in synthetic.scenarios(40, markets: 3) {
            #expect(try Self.figures(screened.run(shocks: shocks)) == Self.figures(reference.run(shocks: shocks)))
        }
    }
}
