import FulcrumTestSupport
import Testing
@testable import MarginModel

@Suite("Warm-up: conservative prior and no shock breaker on an unreliable σ")
struct WarmupTests {
    static let grid: Int64 = 1_000_000_000

    func inputs(sigma: Double, ess: Double, warming: Bool, shock: Double = 0) -> AssetRiskInputs {
        AssetRiskInputs(eventTimeNs: 10 * Self.grid, sigmaStep: sigma, gridIntervalNs: Self.grid,
                        effectiveSampleSize: ess, isWarming: warming, lastStandardizedReturn: shock)
    }

    @Test("A warming asset with a tiny σ estimate gets margins from the blend with the prior, not from the estimate")
    func priorBlend() throws {
        let configuration = MarginModelConfiguration()
        var warming = try MarginOptimizer(configuration: configuration, symbols: ["A"])
        var ready = try MarginOptimizer(configuration: configuration, symbols: ["A"])
        let tiny = 1e-6
        let blended = warming.update(asset: 0, inputs: inputs(sigma: tiny, ess: 3, warming: true))
        let raw = ready.update(asset: 0, inputs: inputs(sigma: tiny, ess: 3, warming: false))
        // σ² = (3·σ̂² + 30·σ₀²)/33 with σ₀ = 100 % annualized per second.
        let prior = 1.0 / (365.0 * 86_400).squareRoot()
        let expected = ((3 * tiny * tiny + 30 * prior * prior) / 33).squareRoot()
        let used = blended.inputs.effectiveSigmaStep
        #expect(used.isApproximatelyEqual(to: expected, relativeTolerance: 1e-12))
        #expect(blended.target.initialMarginFraction > raw.target.initialMarginFraction)
    }

    @Test("The prior fades as ESS grows")
    func priorFades() throws {
        var optimizer = try MarginOptimizer(configuration: MarginModelConfiguration(), symbols: ["A"])
        let sigma = 1e-4
        let early = optimizer.update(asset: 0, inputs: inputs(sigma: sigma, ess: 1, warming: true))
        let late = optimizer.update(asset: 0, inputs: inputs(sigma: sigma, ess: 1_000, warming: true))
        let prior = 1.0 / (365.0 * 86_400).squareRoot()
        #expect(abs(early.inputs.effectiveSigmaStep - sigma) > abs(late.inputs.effectiveSigmaStep - sigma))
        #expect(late.inputs.effectiveSigmaStep > sigma && late.inputs.effectiveSigmaStep < prior)
        // An estimate above the prior is used as it is.
        let high = optimizer.update(asset: 0, inputs: inputs(sigma: 2 * prior, ess: 5, warming: true))
        #expect(high.inputs.effectiveSigmaStep.isApproximatelyEqual(to: 2 * prior, relativeTolerance: 1e-15))
    }

    @Test("A huge standardized return trips the breaker only once σ is warm")
    func shockNeedsWarmSigma() throws {
        var optimizer = try MarginOptimizer(configuration: MarginModelConfiguration(), symbols: ["A", "B"])
        let warming = optimizer.update(asset: 0, inputs: inputs(sigma: 1e-4, ess: 5, warming: true, shock: 50))
        #expect(warming.status != .stressed)
        #expect(!warming.reasons.contains(.circuitBreakerShock))
        let warm = optimizer.update(asset: 1, inputs: inputs(sigma: 1e-4, ess: 100, warming: false, shock: 50))
        #expect(warm.status == .stressed)
        #expect(warm.reasons.contains(.circuitBreakerShock))
    }
}
