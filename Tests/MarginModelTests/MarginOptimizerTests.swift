import Foundation
import FulcrumTestSupport
import Testing
@testable import MarginModel

@Suite("Margin optimizer")
struct MarginOptimizerTests {
    static let grid: Int64 = 1_000_000_000

    static func residuals(count: Int, seed: UInt64, degreesOfFreedom: Int = 4) -> ResidualRing {
        var rng = SplitMix64(seed: seed)
        var ring = ResidualRing(capacity: count)
        let scale = (Double(degreesOfFreedom - 2) / Double(degreesOfFreedom)).squareRoot()
        for _ in 0..<count { ring.append(rng.nextStudentT(degreesOfFreedom: degreesOfFreedom) * scale) }
        return ring
    }

    static func inputs(_ window: ResidualWindow, sigma: Double, time: Int64, adv: Double? = nil,
                       stressed: Double? = nil, shock: Double = 0, staleness: Int64 = 0) -> AssetRiskInputs {
        AssetRiskInputs(eventTimeNs: time, sigmaStep: sigma, gridIntervalNs: grid, effectiveSampleSize: 100,
                        residuals: window, stalenessNs: staleness, lastStandardizedReturn: shock,
                        stressedSigmaStep: stressed, averageDailyVolumeNotional: adv)
    }

    @Test("FHS matches a brute-force sort, for VaR and ES, with exact long and short losses",
          arguments: [RiskMeasure.valueAtRisk, .expectedShortfall])
    func fhsMatchesBruteForce(measure: RiskMeasure) throws {
        let configuration = bareConfiguration(measure: measure, epsilon: 0.01, horizonSteps: 3_600)
        var optimizer = try MarginOptimizer(configuration: configuration, symbols: ["BTC"])
        let ring = Self.residuals(count: 5_000, seed: 11)
        let sigma = 0.0004
        let result = ring.withWindow { optimizer.update(asset: 0, inputs: Self.inputs($0, sigma: sigma, time: 0)) }
        let horizonSigma = sigma * 60
        let expected = bruteForceTailLosses(ring.values, epsilon: 0.01, horizonSigma: horizonSigma, measure: measure)
        #expect(result.status == .ready)
        #expect(result.inputs.tailObservations == 50)
        #expect(result.inputs.horizonSigma.isApproximatelyEqual(to: horizonSigma, relativeTolerance: 1e-12))
        #expect(result.longTailLoss.isApproximatelyEqual(to: expected.long, relativeTolerance: 1e-12))
        #expect(result.shortTailLoss.isApproximatelyEqual(to: expected.short, relativeTolerance: 1e-12))
        #expect(result.target.maintenanceMarginFraction.isApproximatelyEqual(
            to: max(expected.long, expected.short), relativeTolerance: 1e-12))
        #expect(result.target.initialMarginFraction.isApproximatelyEqual(
            to: max(expected.long, expected.short) / 0.6, relativeTolerance: 1e-12))
        // Symmetric residuals: the short side loses more, because e^R − 1 is convex.
        let mirrored = ring.values.map { -$0 } + ring.values
        let symmetric = bruteForceTailLosses(mirrored, epsilon: 0.01, horizonSigma: horizonSigma, measure: measure)
        #expect(symmetric.short > symmetric.long)
    }

    @Test("Large horizon σ falls back from power sums to direct exponentials without a jump")
    func powerSumBoundary() throws {
        let configuration = bareConfiguration(measure: .expectedShortfall, epsilon: 0.02, horizonSteps: 1)
        let ring = Self.residuals(count: 3_000, seed: 5)
        for sigma in [0.001, 0.01, 0.05, 0.12, 0.3, 0.8] {
            var optimizer = try MarginOptimizer(configuration: configuration, symbols: ["X"])
            let result = ring.withWindow { optimizer.update(asset: 0, inputs: Self.inputs($0, sigma: sigma, time: 0)) }
            let expected = bruteForceTailLosses(ring.values, epsilon: 0.02, horizonSigma: sigma,
                                                measure: .expectedShortfall)
            #expect(result.longTailLoss.isApproximatelyEqual(to: expected.long, relativeTolerance: 1e-12), "σ \(sigma)")
            #expect(result.shortTailLoss.isApproximatelyEqual(to: expected.short, relativeTolerance: 1e-12))
        }
    }

    @Test("Parametric fallback while the history is short, matching the Student-t quantile for VaR")
    func parametricFallback() throws {
        var configuration = bareConfiguration(measure: .valueAtRisk, epsilon: 0.01, horizonSteps: 1)
        configuration.coverage.fallbackDegreesOfFreedom = 5
        var optimizer = try MarginOptimizer(configuration: configuration, symbols: ["X"])
        let ring = Self.residuals(count: 200, seed: 3)
        let sigma = 0.02
        let result = ring.withWindow { optimizer.update(asset: 0, inputs: Self.inputs($0, sigma: sigma, time: 0)) }
        #expect(result.status == .warming)
        #expect(result.reasons.contains(.parametricFallback))
        let quantile = 3.3649299989072174  // scipy.stats.t.ppf(0.99, 5)
        let z = quantile * (3.0 / 5.0).squareRoot()
        #expect(result.longTailLoss.isApproximatelyEqual(to: 1 - exp(-sigma * z), relativeTolerance: 1e-9))
        #expect(result.shortTailLoss.isApproximatelyEqual(to: exp(sigma * z) - 1, relativeTolerance: 1e-9))
    }

    @Test("Invalid inputs never produce NaN: outputs stay finite, floored and stressed")
    func hardening() throws {
        let configuration = MarginModelConfiguration()
        let ring = Self.residuals(count: 2_000, seed: 9)
        let sigmas: [Double] = [.nan, 0, -1, .infinity, -.infinity, 1e-300, 10]
        for sigma in sigmas {
            for grid: Int64 in [Self.grid, 0, -5] {
                var optimizer = try MarginOptimizer(configuration: configuration, symbols: ["X"])
                for window in [ResidualWindow.empty, nil] {
                    let result: AssetParameters
                    let inputs = { (w: ResidualWindow) in
                        AssetRiskInputs(eventTimeNs: 0, sigmaStep: sigma, gridIntervalNs: grid,
                                        effectiveSampleSize: .nan, residuals: w, stalenessNs: 0,
                                        lastStandardizedReturn: .nan, stressedSigmaStep: -.infinity,
                                        averageDailyVolumeNotional: .nan)
                    }
                    if let window {
                        result = optimizer.update(asset: 0, inputs: inputs(window))
                    } else {
                        result = ring.withWindow { optimizer.update(asset: 0, inputs: inputs($0)) }
                    }
                    Self.expectSane(result, configuration: configuration)
                    let invalid = !(sigma.isFinite && sigma >= 0) || grid <= 0
                    #expect(result.reasons.contains(.invalidInput))
                    if invalid { #expect(result.status == .stressed) }
                    _ = try JSONEncoder().encode(result)
                }
            }
        }
        // No assets at all.
        let empty = try MarginOptimizer(configuration: configuration, symbols: [])
        #expect(empty.assetCount == 0)
    }

    static func expectSane(_ result: AssetParameters, configuration: MarginModelConfiguration,
                           sourceLocation: SourceLocation = #_sourceLocation) {
        for table in [result.targetTiers, result.publishedTiers] {
            #expect(table.count >= 1, sourceLocation: sourceLocation)
            for tier in table {
                #expect(tier.initialMarginFraction.isFinite && tier.maintenanceMarginFraction.isFinite,
                        sourceLocation: sourceLocation)
                #expect(tier.maintenanceMarginFraction >= configuration.leverage.minimumMaintenanceMarginFraction,
                        sourceLocation: sourceLocation)
                #expect(tier.initialMarginFraction >= configuration.leverage.minimumInitialMarginFraction,
                        sourceLocation: sourceLocation)
                #expect(tier.maintenanceMarginFraction <= tier.initialMarginFraction, sourceLocation: sourceLocation)
                #expect(tier.initialMarginFraction <= configuration.leverage.maximumInitialMarginFraction,
                        sourceLocation: sourceLocation)
                #expect(tier.maxLeverage >= 1 && Double(tier.maxLeverage) * tier.initialMarginFraction <= 1 + 1e-9,
                        sourceLocation: sourceLocation)
                #expect(tier.maintenanceDeduction.isFinite, sourceLocation: sourceLocation)
            }
        }
        #expect(result.longTailLoss.isFinite && result.shortTailLoss.isFinite, sourceLocation: sourceLocation)
        #expect(result.etaSteps >= 0 && result.etaNs >= 0, sourceLocation: sourceLocation)
    }

    @Test("Margins are monotone in σ and in position size; tiers are continuous")
    func monotonicity() throws {
        var configuration = MarginModelConfiguration()
        configuration.antiProcyclicality.mode = .off
        var rng = SplitMix64(seed: 21)
        for trial in 0..<20 {
            let ring = Self.residuals(count: 1_000 + Int(rng.next() % 4_000), seed: rng.next())
            let adv = rng.nextDouble(in: 1e7, 1e10)
            var previous: AssetParameters?
            for step in 0..<12 {
                let sigma = 1e-5 * pow(1.6, Double(step))
                var optimizer = try MarginOptimizer(configuration: configuration, symbols: ["X"])
                let result = ring.withWindow {
                    optimizer.update(asset: 0, inputs: Self.inputs($0, sigma: sigma, time: 0, adv: adv))
                }
                Self.expectSane(result, configuration: configuration)
                if let previous {
                    #expect(result.longTailLoss >= previous.longTailLoss, "trial \(trial)")
                    #expect(result.shortTailLoss >= previous.shortTailLoss)
                    for (now, before) in zip(result.targetTiers, previous.targetTiers) {
                        #expect(now.maintenanceMarginFraction >= before.maintenanceMarginFraction)
                        #expect(now.initialMarginFraction >= before.initialMarginFraction)
                        #expect(now.maxLeverage <= before.maxLeverage)
                    }
                }
                // Size: fractions and leverage ordered by tier, margin continuous and non-decreasing in notional.
                let tiers = result.targetTiers
                #expect(tiers.count == 5)
                for index in 1..<tiers.count {
                    #expect(tiers[index].maintenanceMarginFraction >= tiers[index - 1].maintenanceMarginFraction)
                    #expect(tiers[index].initialMarginFraction >= tiers[index - 1].initialMarginFraction)
                    #expect(tiers[index].maxLeverage <= tiers[index - 1].maxLeverage)
                    #expect(tiers[index].lowerBoundNotional == tiers[index - 1].upperBoundNotional)
                    let boundary = tiers[index].lowerBoundNotional
                    let below = boundary * tiers[index - 1].maintenanceMarginFraction
                        - tiers[index - 1].maintenanceDeduction
                    #expect(tiers.maintenanceMargin(forNotional: boundary).isApproximatelyEqual(
                        to: below, relativeTolerance: 1e-12))
                }
                var margin = 0.0
                for notional in stride(from: 0, through: tiers[tiers.count - 1].upperBoundNotional,
                                       by: tiers[tiers.count - 1].upperBoundNotional / 97) {
                    let next = tiers.maintenanceMargin(forNotional: notional)
                    #expect(next >= margin * (1 - 1e-12))
                    margin = next
                }
                previous = result
            }
        }
    }

    @Test("Tier bounds follow ADV on a 1-2-5 grid; liquidation cost grows with the square root of size")
    func tierBounds() throws {
        var configuration = bareConfiguration(measure: .valueAtRisk)
        configuration.liquidation.fixedCostFraction = 0.0005
        var optimizer = try MarginOptimizer(configuration: configuration, symbols: ["X"])
        let ring = Self.residuals(count: 2_000, seed: 4)
        let sigma = 0.0005
        let result = ring.withWindow {
            optimizer.update(asset: 0, inputs: Self.inputs($0, sigma: sigma, time: 0, adv: 1.3e9))
        }
        let bounds = result.targetTiers.map(\.lowerBoundNotional)
        #expect(bounds == [0, 1e6, 5e6, 2e7, 1e8])
        #expect(result.targetTiers[4].upperBoundNotional == 2e8)
        let daily = sigma * (86_400.0).squareRoot()
        let risk = max(result.longTailLoss, result.shortTailLoss)
        for tier in result.targetTiers {
            let cost = 0.0005 + daily * (tier.upperBoundNotional / 1.3e9).squareRoot()
            #expect(tier.maintenanceMarginFraction.isApproximatelyEqual(to: risk + cost, relativeTolerance: 1e-12))
        }
        // Without ADV: a single tier and the unknown-liquidity reason.
        var other = try MarginOptimizer(configuration: configuration, symbols: ["X"])
        let single = ring.withWindow { other.update(asset: 0, inputs: Self.inputs($0, sigma: sigma, time: 0)) }
        #expect(single.targetTiers.count == 1 && single.reasons.contains(.liquidityUnknown))
    }

    @Test("Floors, caps and the per-asset leverage cap shape the target")
    func floorsAndCaps() throws {
        var configuration = MarginModelConfiguration()
        configuration.assetOverrides["CAP"] = AssetOverrides(maximumLeverage: 10)
        configuration.assetOverrides["HOT"] = AssetOverrides(maximumInitialMarginFraction: 0.5)
        var optimizer = try MarginOptimizer(configuration: configuration, symbols: ["CAP", "HOT", "CALM"])
        let ring = Self.residuals(count: 2_000, seed: 8)
        let capped = ring.withWindow { optimizer.update(asset: 0, inputs: Self.inputs($0, sigma: 1e-6, time: 0)) }
        #expect(capped.target.initialMarginFraction >= 0.1 && capped.target.maxLeverage == 10)
        #expect(capped.reasons.contains(.leverageCapped))
        let hot = ring.withWindow { optimizer.update(asset: 1, inputs: Self.inputs($0, sigma: 0.5, time: 0)) }
        #expect(hot.target.initialMarginFraction == 0.5 && hot.reasons.contains(.capApplied))
        #expect(hot.target.maxLeverage == 2)
        let calm = ring.withWindow {
            optimizer.update(asset: 2, inputs: Self.inputs($0, sigma: 0, time: 0, adv: 1e9))
        }
        #expect(calm.target.maintenanceMarginFraction >= 0.005)
        #expect(calm.target.initialMarginFraction >= 0.01 && calm.target.maxLeverage == 100)
        #expect(calm.reasons.contains(.floorApplied))
    }

    @Test("Anti-procyclicality: stressed-volatility floor, buffer, and buffer release under stress")
    func antiProcyclicality() throws {
        let ring = Self.residuals(count: 2_000, seed: 12)
        var floorConfiguration = bareConfiguration(measure: .expectedShortfall)
        floorConfiguration.antiProcyclicality.mode = .stressedVolatilityFloor
        var floor = try MarginOptimizer(configuration: floorConfiguration, symbols: ["X"])
        let floored = ring.withWindow {
            floor.update(asset: 0, inputs: Self.inputs($0, sigma: 0.001, time: 0, stressed: 0.003))
        }
        var plain = try MarginOptimizer(configuration: bareConfiguration(measure: .expectedShortfall), symbols: ["X"])
        let atStressed = ring.withWindow { plain.update(asset: 0, inputs: Self.inputs($0, sigma: 0.003, time: 0)) }
        #expect(floored.reasons.contains(.antiProcyclicalFloor))
        #expect(floored.target.maintenanceMarginFraction.isApproximatelyEqual(
            to: atStressed.target.maintenanceMarginFraction, relativeTolerance: 1e-12))

        var bufferConfiguration = bareConfiguration(measure: .expectedShortfall)
        bufferConfiguration.antiProcyclicality.mode = .buffer
        var buffer = try MarginOptimizer(configuration: bufferConfiguration, symbols: ["X"])
        let buffered = ring.withWindow { buffer.update(asset: 0, inputs: Self.inputs($0, sigma: 0.003, time: 0)) }
        #expect(buffered.reasons.contains(.antiProcyclicalBuffer))
        #expect(buffered.target.maintenanceMarginFraction.isApproximatelyEqual(
            to: 1.25 * atStressed.target.maintenanceMarginFraction, relativeTolerance: 1e-12))
        // Under stress the buffer is released: the stressed level is σ × 1.5 without the 25 %.
        let stressed = ring.withWindow {
            buffer.update(asset: 0, inputs: Self.inputs($0, sigma: 0.003, time: Self.grid, shock: 9))
        }
        #expect(!stressed.reasons.contains(.antiProcyclicalBuffer))
        #expect(stressed.inputs.effectiveSigmaStep.isApproximatelyEqual(to: 0.0045, relativeTolerance: 1e-12))
    }

    @Test("Circuit breaker: shocks and stale feeds raise published margins to the stressed level at once")
    func circuitBreaker() throws {
        var configuration = MarginModelConfiguration()
        configuration.governance.hysteresisBasisPoints = 0
        var optimizer = try MarginOptimizer(configuration: configuration, symbols: ["X"])
        let ring = Self.residuals(count: 2_000, seed: 13)
        var time: Int64 = 0
        let input = { (w: ResidualWindow, time: Int64, shock: Double, staleness: Int64) in
            Self.inputs(w, sigma: 0.0004, time: time, adv: 1e9, stressed: 0.0004, shock: shock, staleness: staleness)
        }
        let calm = ring.withWindow { optimizer.update(asset: 0, inputs: input($0, time, 0, 0)) }
        #expect(calm.status == .ready)
        time += Self.grid
        let shock = ring.withWindow { optimizer.update(asset: 0, inputs: input($0, time, -7.5, 0)) }
        #expect(shock.status == .stressed && shock.reasons.contains(.circuitBreakerShock))
        #expect(shock.published.maintenanceMarginFraction == shock.target.maintenanceMarginFraction)
        #expect(shock.published.initialMarginFraction == shock.target.initialMarginFraction)
        #expect(shock.target.maintenanceMarginFraction > 1.4 * calm.target.maintenanceMarginFraction)
        #expect(shock.changed)
        // Held for the hold period, then released gradually.
        time += configuration.circuitBreaker.holdNs - Self.grid
        let held = ring.withWindow { optimizer.update(asset: 0, inputs: input($0, time, 0, 0)) }
        #expect(held.status == .stressed)
        time += 2 * Self.grid
        let released = ring.withWindow { optimizer.update(asset: 0, inputs: input($0, time, 0, 0)) }
        #expect(released.status == .ready)
        #expect(released.published.maintenanceMarginFraction
                    >= 0.9 * shock.published.maintenanceMarginFraction * (1 - 1e-12))
        #expect(released.etaSteps > 0)
        // A stale feed.
        time += Self.grid
        let stale = ring.withWindow { optimizer.update(asset: 0, inputs: input($0, time, 0, 31_000_000_000)) }
        #expect(stale.status == .stale && stale.reasons.contains(.circuitBreakerStale))
        #expect(stale.published.maintenanceMarginFraction >= stale.target.maintenanceMarginFraction)
    }

    /// One randomized scenario of updates; checks every governance rule on every update.
    @Test("Random update sequences never break step, cooldown, invariant or breaker rules", arguments: 0..<6)
    func governanceProperties(seed: UInt64) throws {
        var rng = SplitMix64(seed: 1_000 + seed)
        var configuration = MarginModelConfiguration()
        configuration.governance.cooldownNs = Int64(rng.nextDouble(in: 0, 900)) * Self.grid
        configuration.circuitBreaker.holdNs = Int64(rng.nextDouble(in: 0, 600)) * Self.grid
        configuration.governance.maximumRelativeStep = rng.nextDouble(in: 0.02, 0.3)
        configuration.governance.hysteresisBasisPoints = rng.nextDouble(in: 0, 10)
        configuration.governance.refreshIntervalNs = Int64(rng.nextDouble(in: 600, 7_200)) * Self.grid
        configuration.antiProcyclicality.mode = [.off, .buffer, .stressedVolatilityFloor][Int(rng.next() % 3)]
        let step = configuration.governance.maximumRelativeStep
        let cooldown = configuration.governance.cooldownNs
        var optimizer = try MarginOptimizer(configuration: configuration, symbols: ["X"])
        var ring = Self.residuals(count: 1_500, seed: rng.next())
        var time: Int64 = 0
        var sigma = 0.0005
        var previous: AssetParameters?
        var lastLimited: Int64 = .min
        var limitedChanges = 0
        var breakerUpdates = 0
        for _ in 0..<2_000 {
            time += Self.grid * Int64(1 + rng.next() % 90)
            let u = rng.nextUnit()
            if u < 0.05 { sigma *= rng.nextDouble(in: 0.2, 5) } else { sigma *= exp(0.05 * rng.nextGaussian()) }
            sigma = min(max(sigma, 2e-5), 0.002)
            ring.append(rng.nextStudentT(degreesOfFreedom: 4) * 0.5.squareRoot())
            let shock = rng.nextUnit() < 0.005 ? 8.0 : rng.nextGaussian()
            let staleness: Int64 = rng.nextUnit() < 0.005 ? 60 * Self.grid : 0
            let adv: Double? = rng.nextUnit() < 0.1 ? nil : 5e8
            let inputs = { (w: ResidualWindow) in
                Self.inputs(w, sigma: sigma, time: time, adv: adv, stressed: 0.0004, shock: shock, staleness: staleness)
            }
            let result = ring.withWindow { optimizer.update(asset: 0, inputs: inputs($0)) }
            Self.expectSane(result, configuration: configuration)
            let breaker = result.status == .stressed || result.status == .stale
            if breaker {
                breakerUpdates += 1
                // The breaker always wins: published is at least the (stressed) target.
                for (p, t) in zip(result.publishedTiers, result.targetTiers) {
                    #expect(p.maintenanceMarginFraction >= t.maintenanceMarginFraction)
                    #expect(p.initialMarginFraction >= t.initialMarginFraction)
                }
            }
            if let previous, previous.publishedTiers.count == result.publishedTiers.count {
                var limited = false
                for (now, before) in zip(result.publishedTiers, previous.publishedTiers) {
                    let imfDown = now.initialMarginFraction < before.initialMarginFraction
                    let mmfChanged = now.maintenanceMarginFraction != before.maintenanceMarginFraction
                    let mmfUpInBreaker = breaker && now.maintenanceMarginFraction > before.maintenanceMarginFraction
                    if imfDown {
                        #expect(now.initialMarginFraction >= before.initialMarginFraction * (1 - step) * (1 - 1e-12))
                        limited = true
                    }
                    if mmfChanged && !mmfUpInBreaker {
                        let ratio = now.maintenanceMarginFraction / before.maintenanceMarginFraction
                        #expect(ratio <= (1 + step) * (1 + 1e-12) && ratio >= (1 - step) * (1 - 1e-12))
                        limited = true
                    }
                }
                if limited {
                    #expect(lastLimited == .min || time - lastLimited >= cooldown,
                            "limited change \(time - lastLimited) ns after the previous one")
                    lastLimited = time
                    limitedChanges += 1
                }
                if !result.changed {
                    #expect(result.publishedTiers == previous.publishedTiers && result.status == previous.status)
                }
            }
            previous = result
        }
        #expect(limitedChanges > 10 && breakerUpdates > 10, "the scenario must exercise the rules")

        // Inputs settle: the published values reach the target, exactly when the ETA said.
        time += 2 * configuration.circuitBreaker.holdNs
        // Updates every minute from here (σ per minute), so that the wait for cooldowns and refreshes stays short.
        let minute = 60 * Self.grid
        let settled = { (w: ResidualWindow) in
            AssetRiskInputs(eventTimeNs: time, sigmaStep: 0.002, gridIntervalNs: minute, residuals: w,
                            stressedSigmaStep: 0.0015, averageDailyVolumeNotional: 5e8)
        }
        var result = ring.withWindow { optimizer.update(asset: 0, inputs: settled($0)) }
        let predictedNs = result.etaNs
        let predictedSteps = result.etaSteps
        let start = time
        var updates = 0
        var published = result.publishedTiers
        var changes = 0
        while result.etaSteps > 0 && updates < 10_000 {
            time += minute
            result = ring.withWindow { optimizer.update(asset: 0, inputs: settled($0)) }
            if result.publishedTiers != published { changes += 1 }
            published = result.publishedTiers
            updates += 1
        }
        #expect(result.publishedTiers.elementsEqual(result.targetTiers) {
            $0.initialMarginFraction == $1.initialMarginFraction
                && $0.maintenanceMarginFraction == $1.maintenanceMarginFraction
        })
        #expect(result.etaNs == 0)
        #expect(time - start == predictedNs)
        #expect(changes == predictedSteps)
    }

    @Test("Checkpointed state restores the governance memory")
    func restore() throws {
        let configuration = MarginModelConfiguration()
        var optimizer = try MarginOptimizer(configuration: configuration, symbols: ["X"])
        let ring = Self.residuals(count: 1_200, seed: 30)
        _ = ring.withWindow { optimizer.update(asset: 0, inputs: Self.inputs($0, sigma: 0.002, time: 0)) }
        let state = optimizer.state(ofAsset: 0)
        let data = try JSONEncoder().encode(state)
        var restored = try MarginOptimizer(configuration: configuration, symbols: ["X"])
        try restored.restore(try JSONDecoder().decode(AssetMarginState.self, from: data), asset: 0)
        let a = ring.withWindow { optimizer.update(asset: 0, inputs: Self.inputs($0, sigma: 0.0005, time: Self.grid)) }
        let b = ring.withWindow { restored.update(asset: 0, inputs: Self.inputs($0, sigma: 0.0005, time: Self.grid)) }
        #expect(a == b)
        var broken = state
        broken.published[0].maintenanceMarginFraction = .nan
        #expect(throws: MarginModelError.self) { try restored.restore(broken, asset: 0) }
        #expect(throws: MarginModelError.self) { try restored.restore(state, asset: 3) }
    }
}
