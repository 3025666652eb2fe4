import MarginModel
import ProtocolHealth
import Testing

/// A book sharded by account, each shard valued and stressed alone, merged by `HealthReducer`, against the same
/// book in one process. Sums are compared to 1e-12 relative (the shards add in another order); counts, per-unit
/// figures (top contributors) and the deepest cascade exactly.
@Suite("Health reducer")
struct HealthReducerTests {
    static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
        a == b || abs(a - b) <= tolerance * max(abs(a), abs(b))
    }

    static func close(_ a: [Double], _ b: [Double]) -> Bool { a.count == b.count && zip(a, b).allSatisfy { close($0, $1) } }

    /// The same accounts whichever book they go to: each account's positions come from a generator seeded by it.
    static func book(_ accounts: [UInt64], markets: [MarketConditions], pool: (UInt64) -> [Int]) throws
        -> PositionBook {
        var book = PositionBook(marketCount: markets.count)
        for account in accounts {
            var synthetic = SyntheticProtocol(seed: 0xACC0 ^ account &* 0x9E37_79B9)
            try synthetic.add(account: account, to: &book, markets: markets, pool: pool(account))
        }
        return book
    }

    @Test("Two halves of a book reduce to the one-process aggregates")
    func aggregates() throws {
        var synthetic = SyntheticProtocol(seed: 21)
        let markets = try synthetic.markets(5)
        let accounts = Array(1...2_400) as [UInt64]
        let all = try Self.book(accounts, markets: markets) { _ in Array(0..<5) }
        let odd = try Self.book(accounts.filter { $0 % 2 == 1 }, markets: markets) { _ in Array(0..<5) }
        let even = try Self.book(accounts.filter { $0 % 2 == 0 }, markets: markets) { _ in Array(0..<5) }
        let whole = HealthEvaluator.evaluate(book: all, layout: all.layout(), markets: markets, topCount: 20)
        let shards = [odd, even].map { HealthEvaluator.evaluate(book: $0, layout: $0.layout(), markets: markets,
                                                                topCount: 20) }
        let merged = try HealthReducer.merge(shards, topCount: 20)
        #expect(merged.units == whole.units && merged.liquidatableUnits == whole.liquidatableUnits)
        #expect(whole.liquidatableUnits > 0 && shards.allSatisfy { $0.units < whole.units })
        #expect(Self.close(merged.equity, whole.equity) && Self.close(merged.maintenance, whole.maintenance))
        for (a, b) in zip(merged.markets, whole.markets) {
            #expect(Self.close(a.longNotional, b.longNotional) && Self.close(a.shortNotional, b.shortNotional))
            #expect(Self.close(a.notionalByLeverage, b.notionalByLeverage))
            #expect(Self.close(a.notionalWithinSigma, b.notionalWithinSigma))
            #expect(Self.close(a.liquidatableNotional, b.liquidatableNotional))
        }
        // By rank across shards: the same accounts with the same figures, in the same order.
        #expect(merged.topContributors.map(\.account) == whole.topContributors.map(\.account))
        #expect(merged.topContributors.map(\.notional) == whole.topContributors.map(\.notional))
        #expect(merged.topContributors.map(\.distanceInSigma) == whole.topContributors.map(\.distanceInSigma))
        #expect(Set(merged.topContributors.map(\.account)).isSubset(of: Set(shards.flatMap { $0.topContributors }
            .map(\.account))))
        #expect(throws: HealthError.self) { try HealthReducer.merge([shards[0], HealthEvaluator.evaluate(
            book: PositionBook(marketCount: 2), layout: PositionBook(marketCount: 2).layout(), markets: [])]) }
    }

    @Test("Shards whose cascades do not interact reduce to the one-process stress figures; quantiles do not add")
    func stress() throws {
        var synthetic = SyntheticProtocol(seed: 22)
        let markets = try synthetic.markets(6)
        // Odd accounts trade markets 0–2, even ones 3–5: no market is liquidated on both shards.
        let pool: (UInt64) -> [Int] = { $0 % 2 == 1 ? [0, 1, 2] : [3, 4, 5] }
        let accounts = Array(1...2_000) as [UInt64]
        let all = try Self.book(accounts, markets: markets, pool: pool)
        let shardBooks = try [accounts.filter { $0 % 2 == 1 }, accounts.filter { $0 % 2 == 0 }].map {
            try Self.book($0, markets: markets, pool: pool)
        }
        // Random draws only (the hypothetical shocks on every market are every shard's worst at once), and the 90 %
        // quantile, so that the shards' quantiles fall on different scenarios.
        let scenarios = Array(synthetic.scenarios(150, markets: 6).dropFirst(5))
        let fund = 2e6
        let whole = try StressReport(cascade: LiquidationCascade(book: all, markets: markets), scenarios: scenarios,
                                     insuranceFund: fund, confidence: 0.9)
        let shards = try shardBooks.map {
            try StressReport(cascade: LiquidationCascade(book: $0, markets: markets), scenarios: scenarios,
                             insuranceFund: fund, confidence: 0.9)
        }
        let merged = try StressReport(losses: HealthReducer.merge(shards.map(\.losses)), insuranceFund: fund,
                                      confidence: 0.9)
        #expect(Self.close(merged.losses.badDebt, whole.losses.badDebt))
        #expect(Self.close(merged.losses.liquidatedNotional, whole.losses.liquidatedNotional))
        #expect(merged.losses.rounds == whole.losses.rounds && merged.deepestCascade == whole.deepestCascade)
        #expect(Self.close(merged.badDebtAtRisk, whole.badDebtAtRisk))
        #expect(Self.close(merged.badDebtExpectedShortfall, whole.badDebtExpectedShortfall))
        #expect(Self.close(merged.liquidationsAtRisk, whole.liquidationsAtRisk))
        #expect(Self.close(merged.meanBadDebt, whole.meanBadDebt))
        #expect(Self.close(merged.coverageRatio, whole.coverageRatio))
        #expect(Self.close(merged.tailBadDebtByMarket, whole.tailBadDebtByMarket))
        #expect(merged.unconverged == whole.unconverged)
        // The figures are not the shards' figures added: a reducer that summed VaRs or LaRs would be caught.
        #expect(whole.badDebtAtRisk > 0)
        #expect(!Self.close(shards[0].badDebtAtRisk + shards[1].badDebtAtRisk, whole.badDebtAtRisk, 1e-6))
        #expect(!Self.close(shards[0].liquidationsAtRisk + shards[1].liquidationsAtRisk, whole.liquidationsAtRisk,
                            1e-6))
    }

    @Test("Shards that ran other scenarios are refused")
    func otherScenarios() throws {
        var synthetic = SyntheticProtocol(seed: 23)
        let markets = try synthetic.markets(3)
        let book = try synthetic.book(accounts: 200, markets: markets) { _ in [0, 1, 2] }
        let cascade = try LiquidationCascade(book: book, markets: markets)
        let first = try StressReport(cascade: cascade, scenarios: synthetic.scenarios(20, markets: 3),
                                     insuranceFund: 1)
        let second = try StressReport(cascade: cascade, scenarios: synthetic.scenarios(20, markets: 3),
                                      insuranceFund: 1)
        #expect(first.losses.scenarioCount == second.losses.scenarioCount)
        do {
            _ = try HealthReducer.merge([first.losses, second.losses])
            Issue.record("losses of other scenarios were merged")
        } catch {
            #expect(error.code == .shardMismatch)
        }
        // The same losses merge with themselves into twice the bad debt, scenario by scenario.
        let doubled = try HealthReducer.merge([first.losses, first.losses])
        #expect(doubled.badDebt == first.losses.badDebt.map { $0 * 2 })
    }

    @Test("Where cascades share a market across shards, the merged bad debt understates the one-process figure")
    func interactingShardsUnderstate() throws {
        var synthetic = SyntheticProtocol(seed: 24)
        let markets = try synthetic.markets(1)
        // Every account long market 0 at high leverage: one crash, liquidated into one thin book.
        var all = PositionBook(marketCount: 1)
        var shards = [PositionBook(marketCount: 1), PositionBook(marketCount: 1)]
        for account in 1...400 as ClosedRange<UInt64> {
            let notional = 20_000.0
            let leverage = 8 + Double(account % 13)
            for index in [0, 1 + Int(account % 2)] {
                var book = index == 0 ? all : shards[index - 1]
                try book.setCollateral(account: account, amount: notional / leverage)
                try book.setPosition(account: account, market: 0, size: notional / markets[0].markPrice,
                                     entryPrice: markets[0].markPrice)
                if index == 0 { all = book } else { shards[index - 1] = book }
            }
        }
        let crash = [[-0.12]]
        let whole = try StressReport(cascade: LiquidationCascade(book: all, markets: markets), scenarios: crash,
                                     insuranceFund: 1)
        let merged = try StressReport(losses: HealthReducer.merge(shards.map {
            try StressReport(cascade: LiquidationCascade(book: $0, markets: markets), scenarios: crash,
                             insuranceFund: 1).losses
        }), insuranceFund: 1)
        #expect(whole.badDebtAtRisk > 0)
        #expect(merged.badDebtAtRisk < whole.badDebtAtRisk,
                "merged \(merged.badDebtAtRisk), one process \(whole.badDebtAtRisk)")
    }
}
