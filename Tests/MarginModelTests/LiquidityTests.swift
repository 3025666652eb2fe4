import FulcrumTestSupport
import Testing
@testable import MarginModel

/// Tiers from the impact curve, open-interest scaling, the concentration add-on and the cascade breaker.
@Suite("Liquidity-aware margins")
struct LiquidityTests {
    static let now: Int64 = 1_700_000_000_000_000_000
    static let sigmaStep = 0.000_05

    /// A curve following c(N) = a·√(N / 10⁶) (plus a 1 bp half spread) at the default notionals.
    static func curve(_ a: Double) -> ImpactCurve {
        let notionals = LiquidityConfiguration.defaultImpactNotionals
        let costs = notionals.map { 0.000_1 + a * ($0 / 1e6).squareRoot() }
        return ImpactCurve(notionals: notionals, longCost: costs, shortCost: costs.map { $0 * 1.1 })
    }

    static func inputs(liquidity: LiquidityInputs = LiquidityInputs(), adv: Double? = nil,
                       time: Int64 = now) -> AssetRiskInputs {
        var inputs = AssetRiskInputs(eventTimeNs: time, sigmaStep: sigmaStep, gridIntervalNs: 1_000_000_000,
                                     effectiveSampleSize: 1_000, averageDailyVolumeNotional: adv)
        inputs.liquidity = liquidity
        return inputs
    }

    static func target(_ inputs: AssetRiskInputs) throws -> AssetParameters {
        try target(MarginModelConfiguration(), inputs)
    }

    static func target(_ configuration: MarginModelConfiguration, _ inputs: AssetRiskInputs) throws
        -> AssetParameters {
        var optimizer = try MarginOptimizer(configuration: configuration, symbols: ["BTC"])
        return optimizer.update(asset: 0, inputs: inputs)
    }

    @Test("a thinner book gives higher tier margins and lower max leverage; the reason names the book")
    func thinnerBook() throws {
        let deep = try Self.target(Self.inputs(liquidity: LiquidityInputs(impact: Self.curve(0.001))))
        let thin = try Self.target(Self.inputs(liquidity: LiquidityInputs(impact: Self.curve(0.004))))
        for parameters in [deep, thin] {
            #expect(parameters.reasons.contains(.bookImpact))
            #expect(!parameters.reasons.contains(.liquidityUnknown))
            #expect(parameters.targetTiers.count > 1)
        }
        var strictlyLower = false
        for notional in [1e4, 3e4, 1e5, 3e5, 1e6, 3e6, 1e7, 3e7] {
            let deepTier = deep.targetTiers[deep.targetTiers.tierIndex(forNotional: notional)]
            let thinTier = thin.targetTiers[thin.targetTiers.tierIndex(forNotional: notional)]
            #expect(thin.targetTiers.maintenanceMargin(forNotional: notional)
                    > deep.targetTiers.maintenanceMargin(forNotional: notional), "at \(notional)")
            #expect(thinTier.maxLeverage <= deepTier.maxLeverage, "at \(notional)")
            strictlyLower = strictlyLower || thinTier.maxLeverage < deepTier.maxLeverage
        }
        #expect(strictlyLower)
        // The thin book's position limit is smaller: its cost reaches 5 % sooner.
        #expect(thin.targetTiers[thin.targetTiers.count - 1].upperBoundNotional
                < deep.targetTiers[deep.targetTiers.count - 1].upperBoundNotional)
    }

    @Test("tier floors sit where the curve reaches each threshold; each tier pays the cost at its upper bound")
    func floorsFromCurve() throws {
        let curve = Self.curve(0.002)
        let parameters = try Self.target(Self.inputs(liquidity: LiquidityInputs(impact: curve)))
        let configuration = MarginModelConfiguration()
        let tiers = parameters.targetTiers
        #expect(tiers[0].lowerBoundNotional == 0)
        for index in 1..<tiers.count {
            let floor = tiers[index].lowerBoundNotional
            // Rounded down to 1-2-5 from the crossing: the cost at the floor does not exceed its threshold, and the
            // next 1-2-5 value up would (the rounding loses less than a factor 2.5).
            let threshold = configuration.liquidity.tierCostThresholds.first { curve.cost(at: floor) <= $0
                && curve.cost(at: floor * 2.5) > $0 }
            #expect(threshold != nil, "floor \(floor) is not a rounded crossing")
        }
        // The smallest tier: MMF = max over sides of (tail loss + fixed + cost at its upper bound), unfloored.
        let upper = tiers[0].upperBoundNotional
        let fixed = configuration.liquidation.fixedCostFraction
        let expected = max(parameters.longTailLoss + fixed + curve.longCost(at: upper),
                           parameters.shortTailLoss + fixed + curve.shortCost(at: upper))
        #expect(tiers[0].maintenanceMarginFraction.isApproximatelyEqual(to: max(expected, 0.005),
                                                                        relativeTolerance: 1e-12))
    }

    @Test("without a book or volume the configured cost applies (liquidityUnknown); with volume it does not")
    func fallbacks() throws {
        #expect(try Self.target(Self.inputs()).reasons.contains(.liquidityUnknown))
        let volume = try Self.target(Self.inputs(adv: 5e8))
        #expect(!volume.reasons.contains(.liquidityUnknown) && !volume.reasons.contains(.bookImpact))
    }

    @Test("rising open interest raises IMF by dYdX's formula, with live caps bounded by the configured ones")
    func openInterestScaling() throws {
        var configuration = MarginModelConfiguration()
        configuration.liquidity.concentrationMultiplier = 0
        let adv = 1e8
        let base = try Self.target(configuration, Self.inputs(adv: adv))
        #expect(!base.reasons.contains(.openInterestScaled))
        // Caps 1×ADV and 5×ADV: OI at 1×ADV leaves IMF alone, 3×ADV is halfway (s = ½), 6×ADV reaches 1.
        for (multiple, s) in [(0.5, 0.0), (1.0, 0.0), (3.0, 0.5), (4.0, 0.75), (6.0, 1.25)] {
            let scaled = try Self.target(configuration, Self.inputs(
                liquidity: LiquidityInputs(openInterestNotional: multiple * adv), adv: adv))
            #expect(scaled.reasons.contains(.openInterestScaled) == (s > 0), "OI \(multiple)×ADV")
            for index in 0..<base.targetTiers.count {
                let imf = base.targetTiers[index].initialMarginFraction
                let expected = min(imf + max(s * (1 - imf), 0), 1)
                #expect(scaled.targetTiers[index].initialMarginFraction
                        .isApproximatelyEqual(to: expected, relativeTolerance: 1e-12),
                        "OI \(multiple)×ADV, tier \(index)")
                #expect(scaled.targetTiers[index].maintenanceMarginFraction
                        == base.targetTiers[index].maintenanceMarginFraction)
            }
        }
        // A configured upper cap of 2×ADV bounds the live 5×ADV: OI at 1.5×ADV is then halfway.
        configuration.assetOverrides["BTC"] = AssetOverrides(openInterestLowerCap: 1e8, openInterestUpperCap: 2e8)
        let bounded = try Self.target(configuration, Self.inputs(
            liquidity: LiquidityInputs(openInterestNotional: 1.5 * adv), adv: adv))
        let imf = base.targetTiers[0].initialMarginFraction
        #expect(bounded.targetTiers[0].initialMarginFraction
                .isApproximatelyEqual(to: imf + 0.5 * (1 - imf), relativeTolerance: 1e-12))
    }

    @Test("open interest of many days' liquidation capacity adds κ·σ_daily·(√DTL − 1) to every tier's MMF")
    func concentrationAddOn() throws {
        var configuration = MarginModelConfiguration()
        configuration.liquidity.openInterestLowerCapADV = 0
        let adv = 1e8
        let base = try Self.target(configuration, Self.inputs(adv: adv))
        let crowded = try Self.target(configuration, Self.inputs(
            liquidity: LiquidityInputs(openInterestNotional: 4 * adv), adv: adv))
        #expect(crowded.reasons.contains(.concentrationAddOn))
        // DTL = 4·ADV / (0.1·ADV) = 40 days.
        let dailySigma = Self.sigmaStep * (86_400.0).squareRoot()
        let addOn = dailySigma * (40.0.squareRoot() - 1)
        for index in 0..<base.targetTiers.count where base.targetTiers[index].maintenanceMarginFraction + addOn < 1 {
            #expect(crowded.targetTiers[index].maintenanceMarginFraction.isApproximatelyEqual(
                to: base.targetTiers[index].maintenanceMarginFraction + addOn, relativeTolerance: 1e-12))
        }
        // Within a day's capacity nothing is added.
        let light = try Self.target(configuration, Self.inputs(
            liquidity: LiquidityInputs(openInterestNotional: 0.05 * adv), adv: adv))
        #expect(!light.reasons.contains(.concentrationAddOn))
        #expect(light.targetTiers == base.targetTiers)
    }

    @Test("a liquidation burst beyond the book's depth trips the breaker with its own reason, held for holdNs")
    func cascadeBreaker() throws {
        var optimizer = try MarginOptimizer(configuration: MarginModelConfiguration(), symbols: ["BTC"])
        let calm = optimizer.update(asset: 0, inputs: Self.inputs(
            liquidity: LiquidityInputs(liquidatedNotional: 4e5, visibleDepthNotional: 1e6), adv: 1e9))
        #expect(calm.status != .stressed && !calm.reasons.contains(.circuitBreakerLiquidations))
        let burst = optimizer.update(asset: 0, inputs: Self.inputs(
            liquidity: LiquidityInputs(liquidatedNotional: 1.5e6, visibleDepthNotional: 1e6), adv: 1e9,
            time: Self.now + 1_000_000_000))
        #expect(burst.status == .stressed)
        #expect(burst.reasons.contains(.circuitBreakerLiquidations))
        #expect(!burst.reasons.contains(.circuitBreakerShock))
        #expect(burst.target.maintenanceMarginFraction > calm.target.maintenanceMarginFraction)
        let hold = MarginModelConfiguration().circuitBreaker.holdNs
        let held = optimizer.update(asset: 0, inputs: Self.inputs(adv: 1e9, time: Self.now + hold))
        #expect(held.status == .stressed && held.reasons.contains(.circuitBreakerLiquidations))
        let released = optimizer.update(asset: 0, inputs: Self.inputs(adv: 1e9, time: Self.now + hold + 2_000_000_000))
        #expect(released.status != .stressed)
        // Without a book, liquidations beyond 2 % of ADV in the window trip it too.
        var other = try MarginOptimizer(configuration: MarginModelConfiguration(), symbols: ["BTC"])
        let noBook = other.update(asset: 0, inputs: Self.inputs(
            liquidity: LiquidityInputs(liquidatedNotional: 3e7), adv: 1e9))
        #expect(noBook.reasons.contains(.circuitBreakerLiquidations))
    }

    @Test("the default liquidity section keeps the configuration digest; any change moves it")
    func digest() {
        var configuration = MarginModelConfiguration()
        let before = configuration.configurationHash
        configuration.liquidity = LiquidityConfiguration()
        #expect(configuration.configurationHash == before)
        configuration.liquidity.smoothingHalfLifeNs += 1
        #expect(configuration.configurationHash != before)
    }

    @Test("the impact curve interpolates linearly, extrapolates by √N, and inverts consistently")
    func curveMath() {
        let curve = ImpactCurve(notionals: [1e3, 1e4, 1e5], longCost: [0.001, 0.002, 0.004],
                                shortCost: [0.001, 0.003, 0.004])
        #expect(curve.longCost(at: 500) == 0.001)
        #expect(curve.longCost(at: 5.5e3).isApproximatelyEqual(to: 0.0015, relativeTolerance: 1e-12))
        #expect(curve.longCost(at: 4e5).isApproximatelyEqual(to: 0.008, relativeTolerance: 1e-12))
        #expect(curve.cost(at: 1e4) == 0.003)
        #expect(curve.notional(reachingCost: 0.001) == 0)
        #expect(curve.notional(reachingCost: 0.002).isApproximatelyEqual(to: 5.5e3, relativeTolerance: 1e-12))
        #expect(curve.notional(reachingCost: 0.008).isApproximatelyEqual(to: 4e5, relativeTolerance: 1e-12))
        let flat = ImpactCurve(notionals: [1, 2], longCost: [0, 0], shortCost: [0, 0])
        #expect(flat.notional(reachingCost: 0.01) == .infinity)
    }
}
