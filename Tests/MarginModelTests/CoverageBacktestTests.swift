import Foundation
import FulcrumTestSupport
import Testing
@testable import MarginModel

/// Coverage of the maintenance margin on simulated returns of known distribution.
///
/// The residual history is the ideal sample of the distribution (its n-point quantile grid), so the FHS margin is
/// the model's margin for that distribution rather than for one noisy draw; then 200,000 fresh horizon returns are
/// simulated and the exceptions (loss > MMF) counted per side. With the VaR measure the rate must sit in the
/// Kupiec 95 % acceptance band of ε (LR < 3.841); with expected shortfall in the band of the exceedance probability
/// the known distribution gives the ES level.
@Suite("Coverage backtest")
struct CoverageBacktestTests {
    enum Model: String, CaseIterable, Sendable {
        case normal
        case studentT4
    }

    static let horizons = 200_000
    static let sampleSize = 10_000

    static func idealSample(_ model: Model) -> [Double] {
        let t4 = StudentTDistribution(degreesOfFreedom: 4)
        return (1...sampleSize).map { i in
            let p = (Double(i) - 0.5) / Double(sampleSize)
            switch model {
            case .normal: return NormalDistribution.quantile(p)
            case .studentT4: return t4.quantile(p) * t4.unitVarianceScale
            }
        }
    }

    /// Standardized draw of the model (unit variance).
    static func draw(_ model: Model, _ rng: inout SplitMix64) -> Double {
        switch model {
        case .normal: return rng.nextGaussian()
        case .studentT4: return rng.nextStudentT(degreesOfFreedom: 4) * 0.5.squareRoot()
        }
    }

    /// P(Z ≤ z) under the model.
    static func cdf(_ model: Model, _ z: Double) -> Double {
        switch model {
        case .normal: return NormalDistribution.cumulativeProbability(z)
        case .studentT4: return StudentTDistribution(degreesOfFreedom: 4).cumulativeProbability(z / 0.5.squareRoot())
        }
    }

    @Test("Exception rates of long and short MMF sit in the Kupiec 95 % band",
          arguments: [(Model.normal, RiskMeasure.valueAtRisk), (.studentT4, .valueAtRisk),
                      (.normal, .expectedShortfall), (.studentT4, .expectedShortfall)])
    func exceptionRate(model: Model, measure: RiskMeasure) throws {
        let epsilon = 0.01
        // Normal returns aggregate exactly under √(H/Δ) scaling, so the normal case uses a 16-step horizon.
        let horizonSteps: Int64 = model == .normal ? 16 : 1
        let configuration = bareConfiguration(measure: measure, epsilon: epsilon, horizonSteps: horizonSteps)
        var optimizer = try MarginOptimizer(configuration: configuration, symbols: ["X"])
        var ring = ResidualRing(capacity: Self.sampleSize)
        for z in Self.idealSample(model) { ring.append(z) }
        let sigma = 0.004
        let result = ring.withWindow {
            optimizer.update(asset: 0, inputs: AssetRiskInputs(eventTimeNs: 0, sigmaStep: sigma,
                                                               gridIntervalNs: 1_000_000_000, residuals: $0))
        }
        let longMargin = result.longMaintenanceMarginFraction
        let shortMargin = result.shortMaintenanceMarginFraction
        let horizonSigma = sigma * Double(horizonSteps).squareRoot()

        // Target exception probabilities: ε for VaR; for ES the probability the known distribution puts beyond it.
        let longTarget: Double
        let shortTarget: Double
        switch measure {
        case .valueAtRisk:
            longTarget = epsilon
            shortTarget = epsilon
        case .expectedShortfall:
            longTarget = Self.cdf(model, log(1 - longMargin) / horizonSigma)
            shortTarget = 1 - Self.cdf(model, log(1 + shortMargin) / horizonSigma)
            #expect(longTarget < epsilon && shortTarget < epsilon)
        }

        // Fixed seeds: each of the Kupiec checks is a 95 % test, so a given seed fails by chance 5 % of the time.
        var rng = SplitMix64(seed: model == .normal ? 17 : 5)
        var long = CoverageStatistics(targetRate: longTarget)
        var short = CoverageStatistics(targetRate: shortTarget)
        for _ in 0..<Self.horizons {
            let r: Double
            if model == .normal {
                // The sum of 16 one-step normal returns.
                var sum = 0.0
                for _ in 0..<horizonSteps { sum += sigma * Self.draw(model, &rng) }
                r = sum
            } else {
                r = horizonSigma * Self.draw(model, &rng)
            }
            long.record(exception: 1 - exp(r) > longMargin)
            short.record(exception: exp(r) - 1 > shortMargin)
        }
        #expect(long.kupiec.statistic < 3.841,
                "long: \(long.exceptions) exceptions in \(long.observations), target \(longTarget)")
        #expect(short.kupiec.statistic < 3.841,
                "short: \(short.exceptions) exceptions in \(short.observations), target \(shortTarget)")
        // Draws are independent, so Christoffersen's test should not reject either (checked at 99.9 %).
        #expect(long.independence.statistic < 10.83 && short.independence.statistic < 10.83)
    }

    @Test("Streaming FHS on simulated Student-t returns: rolling exception rate near ε, incremental = full sort")
    func streaming() throws {
        let epsilon = 0.01
        let configuration = bareConfiguration(measure: .valueAtRisk, epsilon: epsilon, horizonSteps: 1)
        var optimizer = try MarginOptimizer(configuration: configuration, symbols: ["X"])
        var rng = SplitMix64(seed: 4_242)
        var ring = ResidualRing(capacity: 4_000)
        for _ in 0..<4_000 { ring.append(Self.draw(.studentT4, &rng)) }
        var statistics = CoverageStatistics(targetRate: epsilon)
        let sigma = 0.003
        for step in 0..<40_000 {
            let result = ring.withWindow {
                optimizer.update(asset: 0, inputs: AssetRiskInputs(eventTimeNs: Int64(step) * 1_000_000_000,
                                                                   sigmaStep: sigma, gridIntervalNs: 1_000_000_000,
                                                                   residuals: $0))
            }
            if step % 4_001 == 0 {
                let expected = bruteForceTailLosses(ring.values, epsilon: epsilon, horizonSigma: sigma,
                                                    measure: .valueAtRisk)
                #expect(result.longTailLoss.isApproximatelyEqual(to: expected.long, relativeTolerance: 1e-13))
                #expect(result.shortTailLoss.isApproximatelyEqual(to: expected.short, relativeTolerance: 1e-13))
            }
            let z = Self.draw(.studentT4, &rng)
            statistics.record(exception: 1 - exp(sigma * z) > result.longMaintenanceMarginFraction)
            ring.append(z)
        }
        // The margin here is estimated from a finite rolling window, which adds its own sampling noise to the
        // binomial noise of the exceptions, so the band is Kupiec's at 99.9 % (χ²₁ 10.83) rather than 95 %.
        #expect(statistics.kupiec.statistic < 10.83,
                "\(statistics.exceptions) exceptions in \(statistics.observations)")
    }
}
