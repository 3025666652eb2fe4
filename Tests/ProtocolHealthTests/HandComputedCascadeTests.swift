import MarginModel
import ProtocolHealth
import Testing

/// A cascade small enough to compute by hand, step by step in the comments: the model of protocols/README.md
/// ("Protocol health") in numbers.
@Suite("A liquidation cascade computed by hand")
struct HandComputedCascadeTests {
    /// One market at 100, MMF 5 % (one tier, no deduction), fee 0.5 %. Bids: 500 of notional 1 % below the mid,
    /// then 1 M at 3 %; asks the same above. Three isolated positions:
    /// A long 10 @ 100 with 100 of collateral, B long 20 @ 100 with 320, C short 10 @ 100 with 100.
    static func cascade() throws -> LiquidationCascade {
        var tiers = MarginTierTable()
        tiers.append(MarginTier(lowerBoundNotional: 0, upperBoundNotional: .infinity, initialMarginFraction: 0.1,
                                maintenanceMarginFraction: 0.05, maxLeverage: 10))
        let levels: [(offset: Double, notional: Double)] = [(0.01, 500), (0.03, 1_000_000)]
        let market = MarketConditions(markPrice: 100, horizonVolatility: 0.05, tiers: tiers,
                                      bids: try DepthCurve(levels: levels, offsetCap: 1),
                                      asks: try DepthCurve(levels: levels))
        var book = PositionBook(marketCount: 1)
        try book.setPosition(account: 1, market: 0, size: 10, entryPrice: 100, mode: .isolated, isolatedCollateral: 100)
        try book.setPosition(account: 2, market: 0, size: 20, entryPrice: 100, mode: .isolated, isolatedCollateral: 320)
        try book.setPosition(account: 3, market: 0, size: -10, entryPrice: 100, mode: .isolated,
                             isolatedCollateral: 100)
        return try LiquidationCascade(book: book, markets: [market], settings: CascadeSettings(liquidationFee: 0.005))
    }

    static func close(_ actual: Double, _ expected: Double) -> Bool {
        abs(actual - expected) <= 1e-12 * max(1, abs(expected))
    }

    /// A −10 % shock puts the mark at 90.
    ///
    /// Round 1. A: equity 100 + 10·(90 − 100) = 0 < maintenance 0.05·900 = 45: liquidated. B: 320 − 200 = 120 ≥ 90;
    /// C: 100 + 100 = 200 ≥ 45. A sells 900 into the bids: 500 at 1 % and 400 at 3 %, an average offset of
    /// 17/900, so it fills at 90·(1 − 17/900) = 88.3. Its equity is 100 + 10·(88.3 − 100) = −17: bad debt 17, no
    /// fee. The marginal offset is now 3 %, 2 % past the best level: the mark moves to 90·0.98 = 88.2.
    ///
    /// Round 2. B: 320 + 20·(88.2 − 100) = 84 < 0.05·1,764 = 88.2: liquidated. C: 100 + 118 = 218 ≥ 44.1. B sells
    /// 1,764 from 900 on, all at 3 %: fill 90·0.97 = 87.3, equity 320 + 20·(87.3 − 100) = 66, fee
    /// min(0.005·1,746, 66) = 8.73. The marginal offset stays 3 %: the mark stays 88.2, and C stays above its
    /// maintenance. Round 3 finds nobody: a fixed point.
    @Test("A −10 % shock: two rounds, 17 of bad debt, 2,629 liquidated, 8.73 of fees, the mark at 88.2")
    func downShock() throws {
        let outcome = try Self.cascade().run(shocks: [-0.10])
        #expect(outcome.rounds == 2)
        #expect(outcome.converged)
        #expect(outcome.liquidatedUnits == 2)
        #expect(Self.close(outcome.badDebt, 17), "\(outcome.badDebt)")
        #expect(Self.close(outcome.liquidatedNotional, 883 + 1_746), "\(outcome.liquidatedNotional)")
        #expect(Self.close(outcome.feesCollected, 8.73), "\(outcome.feesCollected)")
        #expect(Self.close(outcome.markets[0].badDebt, 17))
        #expect(Self.close(outcome.markets[0].priceMove, -0.118), "\(outcome.markets[0].priceMove)")
        #expect(outcome.topDebtors.map(\.account) == [1])
        #expect(outcome.topDebtors.first?.round == 1)
    }

    /// A +10 % shock: C's equity 100 − 10·(110 − 100) = 0 < 0.05·1,100 = 55, liquidated: it buys 1,100 from the
    /// asks, 500 at 1 % and 600 at 3 %, average 23/1,100, fill 110·(1 + 23/1,100) = 112.3, equity
    /// 100 − 10·12.3 = −23. The longs gain. One round, 23 of bad debt.
    @Test("A +10 % shock: the short alone, 23 of bad debt")
    func upShock() throws {
        let outcome = try Self.cascade().run(shocks: [0.10])
        #expect(outcome.rounds == 1)
        #expect(outcome.liquidatedUnits == 1)
        #expect(Self.close(outcome.badDebt, 23), "\(outcome.badDebt)")
        #expect(Self.close(outcome.liquidatedNotional, 1_123), "\(outcome.liquidatedNotional)")
        #expect(Self.close(outcome.feesCollected, 0))
    }

    /// The same book under margins twice as high (IMF 20 %, MMF 10 %), as ``MarginProposal`` prices a proposal:
    /// every unit short of its initial margin cuts its positions to meet it. A: equity 100 against 20 % of 1,000:
    /// half, 5 long. B: 320 against 400: 0.8, 16 long. C: 100 against 200: 5 short. At −10 %: A 100 − 50 = 50 ≥
    /// 0.1·450 = 45, B 320 − 160 = 160 ≥ 144, C 150 ≥ 45 — nobody is liquidated: no bad debt, for half the
    /// capital efficiency (2,600 of open interest on 520 of initial margin, 5×, against 4,000 on 400, 10×).
    @Test("Margins twice as high: the book deleveraged to them leaves no bad debt, at half the capital efficiency")
    func proposalTradeoff() throws {
        let cascade = try Self.cascade()
        let current = ParameterTradeoff(
            book: cascade.book, markets: cascade.markets,
            stress: try StressReport(cascade: cascade, scenarios: [[-0.10]], insuranceFund: 10, confidence: 0.99))
        #expect(Self.close(current.badDebtAtRisk, 17))
        #expect(Self.close(current.openInterest, 4_000) && Self.close(current.initialMargin, 400))
        #expect(Self.close(current.capitalEfficiency, 10))

        var doubled = cascade.markets
        doubled[0].tiers = doubled[0].tiers.scaled(by: 2, cap: 1, leverageSteps: [1, 2, 3, 5, 10, 20])
        #expect(doubled[0].tiers[0].initialMarginFraction == 0.2 && doubled[0].tiers[0].maxLeverage == 5)
        let deleveraged = MarginProposal.deleveraged(cascade.book, markets: doubled)
        let sizes = (0..<deleveraged.positionSlotCount).map { deleveraged.positionSize[$0] }
        #expect(zip(sizes, [5.0, 16, -5]).allSatisfy { Self.close($0, $1) }, "\(sizes)")
        let proposed = try MarginProposal.evaluate(book: cascade.book, markets: doubled, scenarios: [[-0.10]],
                                                   settings: CascadeSettings(liquidationFee: 0.005), insuranceFund: 10,
                                                   confidence: 0.99)
        #expect(proposed.badDebtAtRisk == 0 && proposed.liquidationsAtRisk == 0)
        #expect(Self.close(proposed.openInterest, 2_600) && Self.close(proposed.initialMargin, 520))
        #expect(Self.close(proposed.capitalEfficiency, 5))
    }
}
