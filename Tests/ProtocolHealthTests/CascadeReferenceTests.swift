import MarginModel
import ProtocolHealth
import Testing

/// The health model against an independent Python computation of the same protocol
/// (`python3 -m fulcrum_tools.reference.cascade_vectors`): unit health, 208 cascades and the stress figures, to
/// 1e-9 relative (the two walk the books by different arithmetic: prefix sums and binary search here, level by
/// level there).
@Suite("Protocol health against the Python reference")
struct CascadeReferenceTests {
    typealias Reference = CascadeReferenceValues

    static func close(_ actual: Double, _ expected: Double, tolerance: Double = 1e-9) -> Bool {
        if expected.isInfinite { return actual == expected }
        return abs(actual - expected) <= tolerance * max(1, abs(expected))
    }

    static func markets() throws -> [MarketConditions] {
        try Reference.markets.map { market in
            var tiers = MarginTierTable()
            for (lower, rate) in market.tiers {
                tiers.append(MarginTier(lowerBoundNotional: lower, upperBoundNotional: .infinity,
                                        initialMarginFraction: 2 * rate, maintenanceMarginFraction: rate,
                                        maxLeverage: Int(1 / (2 * rate))))
            }
            tiers.recomputeMaintenanceDeductions()
            return MarketConditions(
                markPrice: market.price, horizonVolatility: market.sigma, tiers: tiers,
                bids: try DepthCurve(levels: market.bids.map { (offset: $0.0, notional: $0.1) }, offsetCap: 1),
                asks: try DepthCurve(levels: market.asks.map { (offset: $0.0, notional: $0.1) }),
                liquidatorCapacity: market.capacity)
        }
    }

    /// The book in the generator's creation order: cross collateral first, then positions.
    static func book() throws -> PositionBook {
        var book = PositionBook(marketCount: Reference.markets.count)
        for account in Reference.accounts {
            if !account.isolated { try book.setCollateral(account: account.id, amount: account.collateral) }
            for position in account.positions {
                try book.setPosition(account: account.id, market: position.market, size: position.size,
                                     entryPrice: position.entry, mode: account.isolated ? .isolated : .cross,
                                     isolatedCollateral: account.isolated ? position.margin : 0)
            }
        }
        return book
    }

    @Test("Each unit's equity, maintenance and distance to liquidation in σ")
    func unitHealth() throws {
        let book = try Self.book()
        let layout = book.layout()
        let markets = try Self.markets()
        #expect(book.unitSlotCount == Reference.units.count)
        for (unit, expected) in Reference.units.enumerated() {
            let health = HealthEvaluator.unit(unit, book: book, layout: layout, markets: markets)
            #expect(Self.close(health.equity, expected.equity), "unit \(unit) equity")
            #expect(Self.close(health.maintenance, expected.maintenance), "unit \(unit) maintenance")
            #expect(Self.close(health.distanceInSigma, expected.distance), "unit \(unit) distance")
        }
    }

    @Test("Every scenario's cascade: rounds, liquidations, bad debt, fees, per-market figures and price moves")
    func cascades() throws {
        let cascade = try LiquidationCascade(book: Self.book(), markets: Self.markets(),
                                             settings: CascadeSettings(liquidationFee: Reference.fee))
        var withDebt = 0
        var deepest = 0
        for (index, shocks) in Reference.scenarios.enumerated() {
            let outcome = try cascade.run(shocks: shocks)
            let expected = Reference.outcomes[index]
            #expect(outcome.converged)
            #expect(outcome.rounds == expected.rounds, "scenario \(index) rounds")
            #expect(outcome.liquidatedUnits == expected.liquidated, "scenario \(index) units")
            #expect(Self.close(outcome.liquidatedNotional, expected.notional), "scenario \(index) notional")
            #expect(Self.close(outcome.badDebt, expected.badDebt), "scenario \(index) bad debt")
            #expect(Self.close(outcome.feesCollected, expected.fees), "scenario \(index) fees")
            for market in outcome.markets.indices {
                #expect(Self.close(outcome.markets[market].liquidatedNotional, expected.marketNotional[market]))
                #expect(Self.close(outcome.markets[market].badDebt, expected.marketDebt[market]))
                #expect(Self.close(outcome.markets[market].priceMove, expected.moves[market], tolerance: 1e-12))
            }
            if expected.badDebt > 0 { withDebt += 1 }
            deepest = max(deepest, expected.rounds)
        }
        // The vectors exercise what they should: cascades of several rounds, scenarios with and without debt.
        #expect(deepest >= 3)
        #expect(withDebt > 0 && withDebt < Reference.scenarios.count)
    }

    @Test("FHS draws, VaR and expected shortfall of bad debt, LaR and coverage of the insurance fund")
    func stress() throws {
        let markets = try Self.markets()
        let draws = try StressScenarios.filteredHistorical(
            residuals: Reference.residuals, horizonVolatility: markets.map(\.horizonVolatility),
            count: Reference.scenarios.count - Reference.hypotheticalCount, seed: Reference.seed)
        for (index, shocks) in draws.enumerated() {
            let expected = Reference.scenarios[Reference.hypotheticalCount + index]
            #expect(zip(shocks, expected).allSatisfy { Self.close($0, $1, tolerance: 1e-15) }, "draw \(index)")
        }
        let cascade = try LiquidationCascade(book: Self.book(), markets: markets,
                                             settings: CascadeSettings(liquidationFee: Reference.fee))
        let report = try StressReport(cascade: cascade, scenarios: Reference.scenarios,
                                      insuranceFund: Reference.insuranceFund)
        #expect(Self.close(report.badDebtAtRisk, Reference.badDebtAtRisk))
        #expect(Self.close(report.badDebtExpectedShortfall, Reference.badDebtExpectedShortfall))
        #expect(Self.close(report.liquidationsAtRisk, Reference.liquidationsAtRisk))
        #expect(Self.close(report.coverageRatio, Reference.insuranceFund / Reference.badDebtAtRisk))
        #expect(report.unconverged == 0)
    }
}
