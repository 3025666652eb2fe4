import FulcrumTestSupport
import Testing
@testable import MarginModel

@Suite("Special functions against SciPy")
struct SpecialFunctionTests {
    @Test("Normal quantile matches scipy.stats.norm.ppf to 1e-9 relative")
    func normalQuantile() {
        for (p, expected) in ScipyReferenceValues.normalQuantiles {
            let value = NormalDistribution.quantile(p)
            #expect(value.isApproximatelyEqual(to: expected, relativeTolerance: 1e-9), "p = \(p): \(value)")
        }
    }

    @Test("Normal quantile inverts the normal CDF and handles the ends")
    func normalQuantileRoundTrip() {
        // Only lower-tail probabilities are exact in binary floating point; the upper tail uses symmetry.
        for x in stride(from: -30.0, through: -0.01, by: 0.37) {
            let p = NormalDistribution.cumulativeProbability(x)
            #expect(NormalDistribution.quantile(p).isApproximatelyEqual(to: x, relativeTolerance: 1e-9))
            #expect(NormalDistribution.quantile(NormalDistribution.survivalProbability(-x))
                .isApproximatelyEqual(to: x, relativeTolerance: 1e-9))
        }
        #expect(NormalDistribution.quantile(0) == -.infinity)
        #expect(NormalDistribution.quantile(1) == .infinity)
        #expect(NormalDistribution.quantile(.nan).isNaN)
    }

    @Test("Student-t quantile matches scipy.stats.t.ppf to 1e-9 relative")
    func studentTQuantile() {
        for (nu, p, expected) in ScipyReferenceValues.studentTQuantiles {
            let value = StudentTDistribution(degreesOfFreedom: nu).quantile(p)
            #expect(value.isApproximatelyEqual(to: expected, relativeTolerance: 1e-9), "ν = \(nu), p = \(p): \(value)")
        }
    }

    @Test("Student-t tail and density match scipy.stats.t.sf and .pdf to 1e-9 relative")
    func studentTTails() {
        for (nu, t, survival, density) in ScipyReferenceValues.studentTTails {
            let distribution = StudentTDistribution(degreesOfFreedom: nu)
            #expect(distribution.survivalProbability(t).isApproximatelyEqual(to: survival, relativeTolerance: 1e-9),
                    "ν = \(nu), t = \(t)")
            #expect(distribution.cumulativeProbability(-t).isApproximatelyEqual(to: survival,
                                                                                relativeTolerance: 1e-9))
            #expect(distribution.density(t).isApproximatelyEqual(to: density, relativeTolerance: 1e-9))
        }
    }

    @Test("Expected-shortfall factors match numerical integration of the tail")
    func expectedShortfall() {
        for (nu, alpha, expected) in ScipyReferenceValues.expectedShortfalls {
            let value = nu == 0
                ? NormalDistribution.expectedShortfall(tailProbability: alpha)
                : StudentTDistribution(degreesOfFreedom: nu).expectedShortfall(tailProbability: alpha)
            #expect(value.isApproximatelyEqual(to: expected, relativeTolerance: 1e-9), "ν = \(nu), α = \(alpha)")
        }
    }

    @Test("Normal ES at 97.5 % is close to VaR at 99 % (DOMAIN: 2.338σ vs 2.326σ)")
    func frtbEquivalence() {
        let es = NormalDistribution.expectedShortfall(tailProbability: 0.025)
        let varianceAtRisk = -NormalDistribution.quantile(0.01)
        #expect(es.isApproximatelyEqual(to: 2.338, relativeTolerance: 1e-3))
        #expect(varianceAtRisk.isApproximatelyEqual(to: 2.326, relativeTolerance: 1e-3))
    }
}
