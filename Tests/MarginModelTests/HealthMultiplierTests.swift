import Testing
@testable import MarginModel

/// Health-constrained margins in the optimizer: the health multiplier scales every target tier and says so.
@Suite("Health-constrained targets")
struct HealthMultiplierTests {
    static func update(multiplier: Double) throws -> AssetParameters {
        var inputs = LiquidityTests.inputs(liquidity: LiquidityInputs(impact: LiquidityTests.curve(0.002)))
        inputs.healthMultiplier = multiplier
        var optimizer = try MarginOptimizer(configuration: MarginModelConfiguration(), symbols: ["BTC"])
        return optimizer.update(asset: 0, inputs: inputs)
    }

    @Test("A multiplier of 1.5 raises every target tier's IMF and MMF by half, lowers leverage, and names the reason")
    func raisesTheTarget() throws {
        let plain = try Self.update(multiplier: 1)
        let raised = try Self.update(multiplier: 1.5)
        #expect(!plain.reasons.contains(.protocolHealth))
        #expect(raised.reasons.contains(.protocolHealth))
        #expect(raised.targetTiers.count == plain.targetTiers.count)
        for index in 0..<plain.targetTiers.count {
            let before = plain.targetTiers[index]
            let after = raised.targetTiers[index]
            #expect(after.maintenanceMarginFraction.isApproximatelyEqual(
                to: min(before.maintenanceMarginFraction * 1.5, 1), relativeTolerance: 1e-15))
            #expect(after.initialMarginFraction >= before.initialMarginFraction * 1.5 * (1 - 1e-15)
                || after.initialMarginFraction == 1)
            #expect(after.maxLeverage <= before.maxLeverage)
            #expect(after.lowerBoundNotional == before.lowerBoundNotional)
        }
        #expect(raised.targetTiers.map(\.maxLeverage) != plain.targetTiers.map(\.maxLeverage))
        // The schedule stays continuous: each tier's maintenance at its floor equals the previous tier's there.
        for index in 1..<raised.targetTiers.count {
            let floor = raised.targetTiers[index].lowerBoundNotional
            let previous = raised.targetTiers[index - 1]
            let here = raised.targetTiers[index]
            #expect((floor * here.maintenanceMarginFraction - here.maintenanceDeduction).isApproximatelyEqual(
                to: floor * previous.maintenanceMarginFraction - previous.maintenanceDeduction, relativeTolerance: 1e-12))
        }
    }

    @Test("Scaling back by the inverse multiplier returns the schedule where no cap binds; 1 and nonsense leave it")
    func scalingRoundTrip() throws {
        let tiers = try Self.update(multiplier: 1).targetTiers
        let steps = MarginModelConfiguration().leverage.leverageSteps
        let back = tiers.scaled(by: 2, cap: 1, leverageSteps: steps).scaled(by: 0.5, cap: 1, leverageSteps: steps)
        for index in 0..<tiers.count {
            #expect(back[index].maintenanceMarginFraction.isApproximatelyEqual(
                to: tiers[index].maintenanceMarginFraction, relativeTolerance: 1e-15))
        }
        #expect(tiers.scaled(by: 1, cap: 1, leverageSteps: steps) == tiers)
        #expect(tiers.scaled(by: .nan, cap: 1, leverageSteps: steps) == tiers)
        #expect(tiers.scaled(by: -2, cap: 1, leverageSteps: steps) == tiers)
    }
}
