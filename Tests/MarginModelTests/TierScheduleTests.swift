import Foundation
import FulcrumTestSupport
import Testing
@testable import MarginModel

@Suite("Tier schedules and venue formats")
struct TierScheduleTests {
    @Test("Hyperliquid BTC: 40× to 150M, 20× above ⇒ deduction 1,875,000 at 150M")
    func hyperliquidDeduction() {
        let table = HyperliquidMarginTable(description: "BTC", rows: [(0, 40), (150_000_000, 20)])
        #expect(table.marginTiers[0].maintenanceDeduction == 0)
        #expect(table.marginTiers[1].maintenanceMarginRate.isApproximatelyEqual(to: 0.025, relativeTolerance: 1e-12))
        #expect(table.marginTiers[1].maintenanceDeduction.isApproximatelyEqual(to: 1_875_000, relativeTolerance: 1e-12))

        // The same recursion on the model's own tier table.
        var tiers = MarginTierTable([
            MarginTier(lowerBoundNotional: 0, upperBoundNotional: 150_000_000, initialMarginFraction: 0.025,
                       maintenanceMarginFraction: 0.0125, maxLeverage: 40),
            MarginTier(lowerBoundNotional: 150_000_000, upperBoundNotional: 1e12, initialMarginFraction: 0.05,
                       maintenanceMarginFraction: 0.025, maxLeverage: 20),
        ])
        tiers.recomputeMaintenanceDeductions()
        #expect(tiers[1].maintenanceDeduction.isApproximatelyEqual(to: 1_875_000, relativeTolerance: 1e-12))
        // Continuous at the boundary: 150M × 1.25 % = 1,875,000 from both sides.
        let below = 150_000_000 * tiers[0].maintenanceMarginFraction - tiers[0].maintenanceDeduction
        #expect(tiers.maintenanceMargin(forNotional: 150_000_000)
            .isApproximatelyEqual(to: below, relativeTolerance: 1e-12))
        #expect(table.maintenanceMargin(forNotional: 150_000_000)
            .isApproximatelyEqual(to: 1_875_000, relativeTolerance: 1e-12))
    }

    @Test("Deductions keep random schedules continuous and non-decreasing")
    func continuityProperty() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let count = Int(rng.next() % 8) + 1
            var lower = 0.0
            var mmf = rng.nextDouble(in: 0.001, 0.02)
            var tiers = MarginTierTable()
            for index in 0..<count {
                if index > 0 { lower += rng.nextDouble(in: 1e4, 1e7) }
                mmf += index > 0 ? rng.nextDouble(in: 0, 0.02) : 0
                tiers.append(MarginTier(lowerBoundNotional: lower, upperBoundNotional: lower + 1e7,
                                        initialMarginFraction: mmf / 0.6, maintenanceMarginFraction: mmf,
                                        maxLeverage: 1))
            }
            tiers.recomputeMaintenanceDeductions()
            for index in 1..<count {
                let boundary = tiers[index].lowerBoundNotional
                let fromBelow = boundary * tiers[index - 1].maintenanceMarginFraction
                    - tiers[index - 1].maintenanceDeduction
                #expect(tiers.maintenanceMargin(forNotional: boundary).isApproximatelyEqual(
                    to: fromBelow, relativeTolerance: 1e-12))
            }
            var previous = -1.0
            var notional = 0.0
            while notional < lower + 1e6 {
                let margin = tiers.maintenanceMargin(forNotional: notional)
                #expect(margin >= previous - 1e-9 * max(1, margin))
                previous = margin
                notional += rng.nextDouble(in: 1e3, 5e5)
            }
        }
    }

    @Test("dYdX open-interest scaling: base 10 %, caps 20M–50M, OI 35M → 55 %")
    func dydxOpenInterest() {
        let imf = DydxLiquidityTier.effectiveInitialMarginFraction(
            base: 0.10, lowerCap: 20_000_000, upperCap: 50_000_000, openInterestNotional: 35_000_000)
        #expect(imf.isApproximatelyEqual(to: 0.55, relativeTolerance: 1e-12))
        let tier = DydxLiquidityTier(levels: MarginLevels(initialMarginFraction: 0.10, maintenanceMarginFraction: 0.05,
                                                          maxLeverage: 10),
                                     id: 1, name: "mid-cap", openInterestLowerCap: 20_000_000,
                                     openInterestUpperCap: 50_000_000)
        #expect(tier.initialMarginPpm == 100_000)
        #expect(tier.maintenanceFractionPpm == 500_000)
        #expect(tier.impactNotional == 5_000)
        #expect(tier.effectiveInitialMarginFraction(openInterestNotional: 35_000_000)
            .isApproximatelyEqual(to: 0.55, relativeTolerance: 1e-12))
        #expect(tier.effectiveInitialMarginFraction(openInterestNotional: 10_000_000)
            .isApproximatelyEqual(to: 0.10, relativeTolerance: 1e-12))
        #expect(tier.effectiveInitialMarginFraction(openInterestNotional: 90_000_000) == 1)
        // dYdX large-cap tier: IMF 5 %, maintenance fraction 0.6 ⇒ MMF 3 %.
        let large = DydxLiquidityTier(levels: MarginLevels(initialMarginFraction: 0.05, maintenanceMarginFraction: 0.03,
                                                           maxLeverage: 20), id: 0, name: "large-cap")
        #expect(large.maintenanceFractionPpm == 600_000)
        #expect(large.maintenanceMarginFraction.isApproximatelyEqual(to: 0.03, relativeTolerance: 1e-12))
    }

    @Test("ppm rendering rounds up so the venue never asks less than the model")
    func ppmRoundsUp() {
        let tier = DydxLiquidityTier(levels: MarginLevels(initialMarginFraction: 0.0412345671,
                                                          maintenanceMarginFraction: 0.0247407403, maxLeverage: 20),
                                     id: 2, name: "x")
        #expect(tier.initialMarginFraction >= 0.0412345671)
        #expect(tier.maintenanceMarginFraction >= 0.0247407403 * (1 - 1e-9))
    }

    @Test("Binance brackets carry cum and Hyperliquid leverage stays conservative")
    func venueRenderings() throws {
        var tiers = MarginTierTable([
            MarginTier(lowerBoundNotional: 0, upperBoundNotional: 1e6, initialMarginFraction: 0.02,
                       maintenanceMarginFraction: 0.012, maxLeverage: 50),
            MarginTier(lowerBoundNotional: 1e6, upperBoundNotional: 5e6, initialMarginFraction: 0.05,
                       maintenanceMarginFraction: 0.03, maxLeverage: 20),
            MarginTier(lowerBoundNotional: 5e6, upperBoundNotional: 2e7, initialMarginFraction: 0.1,
                       maintenanceMarginFraction: 0.06, maxLeverage: 10),
        ])
        tiers.recomputeMaintenanceDeductions()
        let brackets = BinanceLeverageBracket.brackets(from: tiers)
        #expect(brackets.map(\.bracket) == [1, 2, 3])
        #expect(brackets[1].cum.isApproximatelyEqual(to: 1e6 * 0.018, relativeTolerance: 1e-12))
        #expect(brackets[2].cum.isApproximatelyEqual(to: 1e6 * 0.018 + 5e6 * 0.03, relativeTolerance: 1e-12))
        #expect(brackets[2].notionalFloor == 5e6 && brackets[2].notionalCap == 2e7)

        let table = HyperliquidMarginTable(description: "ETH", tiers: tiers,
                                           leverageSteps: [1, 2, 3, 5, 10, 20, 25, 50, 100])
        for (row, tier) in zip(table.marginTiers, tiers) {
            #expect(1 / Double(row.maxLeverage) >= tier.initialMarginFraction)
            #expect(row.maintenanceMarginRate >= tier.maintenanceMarginFraction)
        }
        #expect(table.marginTiers.map(\.maxLeverage) == [25, 10, 5])

        let json = try JSONEncoder().encode(brackets)
        #expect(try JSONDecoder().decode([BinanceLeverageBracket].self, from: json) == brackets)
    }

    @Test("Tier tables encode as arrays and reject more than eight tiers")
    func tierTableCoding() throws {
        let tier = MarginTier(lowerBoundNotional: 0, upperBoundNotional: 1, initialMarginFraction: 0.1,
                              maintenanceMarginFraction: 0.06, maxLeverage: 10)
        let table = MarginTierTable([tier, tier])
        let json = try JSONEncoder().encode(table)
        #expect(try JSONDecoder().decode(MarginTierTable.self, from: json) == table)
        let nine = try JSONEncoder().encode([MarginTier](repeating: tier, count: 9))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(MarginTierTable.self, from: nine) }
    }
}

@Suite("Venue renderings of optimizer output")
struct VenueRenderingTests {
    @Test("One update renders to dYdX, Hyperliquid and Binance formats consistently and encodes to JSON")
    func renderings() throws {
        let configuration = MarginModelConfiguration()
        var optimizer = try MarginOptimizer(configuration: configuration, symbols: ["BTC"])
        var rng = SplitMix64(seed: 2)
        var ring = ResidualRing(capacity: 2_000)
        for _ in 0..<2_000 { ring.append(rng.nextStudentT(degreesOfFreedom: 4) * 0.5.squareRoot()) }
        let result = ring.withWindow {
            optimizer.update(asset: 0, inputs: AssetRiskInputs(eventTimeNs: 0, sigmaStep: 0.0003,
                                                               gridIntervalNs: 1_000_000_000, residuals: $0,
                                                               averageDailyVolumeNotional: 2e10))
        }
        let brackets = result.binanceLeverageBrackets()
        #expect(brackets.count == result.publishedTiers.count)
        for (bracket, tier) in zip(brackets, result.publishedTiers) {
            #expect(bracket.maintMarginRatio == tier.maintenanceMarginFraction)
            #expect(bracket.cum == tier.maintenanceDeduction)
            #expect(bracket.initialLeverage == tier.maxLeverage)
        }
        let dydx = result.dydxLiquidityTier(id: 0, name: "BTC")
        #expect(dydx.initialMarginFraction >= result.published.initialMarginFraction)
        #expect(dydx.initialMarginFraction < result.published.initialMarginFraction + 1e-6)
        let table = result.hyperliquidMarginTable(description: "BTC",
                                                  leverageSteps: configuration.leverage.leverageSteps)
        #expect(table.marginTiers.count == result.publishedTiers.count)
        #expect(zip(table.marginTiers, table.marginTiers.dropFirst()).allSatisfy { $0.maxLeverage >= $1.maxLeverage })

        let json = try JSONEncoder().encode(result)
        let decoded = try JSONDecoder().decode(AssetParameters.self, from: json)
        #expect(decoded == result)
        _ = try JSONEncoder().encode(table)
        _ = try JSONEncoder().encode(dydx)
    }
}
