import Foundation
import FulcrumTestSupport
import Testing
@testable import MarginModel

@Suite("Coverage statistics")
struct CoverageStatisticsTests {
    @Test("Kupiec worked examples from DOMAIN.md")
    func kupiecWorkedExamples() {
        let first = CoverageStatistics.kupiecStatistic(observations: 30, exceptions: 7, targetRate: 0.01)
        #expect(first.isApproximatelyEqual(to: 32.34, relativeTolerance: 5e-4))
        let second = CoverageStatistics.kupiecStatistic(observations: 60, exceptions: 4, targetRate: 0.05)
        #expect(second.isApproximatelyEqual(to: 0.319, relativeTolerance: 2e-3))
    }

    @Test("Kupiec with no exceptions and with only exceptions")
    func kupiecEdges() {
        // x = 0: LR = −2n·ln(1 − p); x = n: LR = −2n·ln p.
        let none = CoverageStatistics.kupiecStatistic(observations: 250, exceptions: 0, targetRate: 0.01)
        #expect(none.isApproximatelyEqual(to: -500 * log(0.99), relativeTolerance: 1e-12))
        let all = CoverageStatistics.kupiecStatistic(observations: 20, exceptions: 20, targetRate: 0.05)
        #expect(all.isApproximatelyEqual(to: -40 * log(0.05), relativeTolerance: 1e-12))
        #expect(CoverageStatistics.kupiecStatistic(observations: 0, exceptions: 0, targetRate: 0.01) == 0)
        #expect(CoverageStatistics.kupiecStatistic(observations: 100, exceptions: 1, targetRate: 0.01) < 1e-12)
        #expect(CoverageStatistics.kupiecStatistic(observations: 10, exceptions: 11, targetRate: 0.01).isNaN)
    }

    @Test("χ² survival functions match SciPy")
    func chiSquared() {
        for (x, one, two) in ScipyReferenceValues.chiSquaredSurvival {
            #expect(CoverageStatistics.chiSquaredSurvivalOneDegree(x).isApproximatelyEqual(to: one,
                                                                                         relativeTolerance: 1e-9))
            #expect(CoverageStatistics.chiSquaredSurvivalTwoDegrees(x).isApproximatelyEqual(to: two,
                                                                                          relativeTolerance: 1e-9))
        }
        // 95 % critical values quoted in DOMAIN.md.
        #expect(CoverageStatistics.chiSquaredSurvivalOneDegree(3.841).isApproximatelyEqual(to: 0.05,
                                                                                          relativeTolerance: 1e-3))
        #expect(CoverageStatistics.chiSquaredSurvivalTwoDegrees(5.991).isApproximatelyEqual(to: 0.05,
                                                                                           relativeTolerance: 1e-3))
    }

    @Test("Binomial CDF matches SciPy")
    func binomial() {
        for (n, x, p, expected) in ScipyReferenceValues.binomialCDF {
            let value = CoverageStatistics.binomialCumulativeProbability(x, trials: n, probability: p)
            #expect(value.isApproximatelyEqual(to: expected, relativeTolerance: 1e-9), "n=\(n) x=\(x) p=\(p)")
        }
    }

    @Test("Basel traffic light at 99 % over 250 days: green 0–4, yellow 5–9, red ≥ 10")
    func baselTable() {
        for x in 0...15 {
            let zone = CoverageStatistics.trafficLight(observations: 250, exceptions: x, targetRate: 0.01)
            let expected: TrafficLightZone = x <= 4 ? .green : x <= 9 ? .yellow : .red
            #expect(zone == expected, "x = \(x)")
        }
        #expect(CoverageStatistics.trafficLight(observations: 0, exceptions: 0, targetRate: 0.01) == .green)
    }

    @Test("Christoffersen independence on a hand-counted series")
    func christoffersen() {
        var statistics = CoverageStatistics(targetRate: 0.1)
        let series = [false, false, true, true, false, false, false, true, false, false, true, true, true, false]
        for exception in series { statistics.record(exception: exception) }
        #expect(statistics.observations == 14)
        #expect(statistics.exceptions == 6)
        #expect(statistics.n00 == 4 && statistics.n01 == 3 && statistics.n10 == 3 && statistics.n11 == 3)
        // LR_ind = −2[ln L(π) − ln L(π₀, π₁)], π₀ = 3/7, π₁ = 3/6, π = 6/13.
        func xlogy(_ n: Double, _ q: Double) -> Double { n == 0 ? 0 : n * log(q) }
        let restricted = xlogy(7, 7.0 / 13) + xlogy(6, 6.0 / 13)
        let unrestricted = xlogy(4, 4.0 / 7) + xlogy(3, 3.0 / 7) + xlogy(3, 0.5) + xlogy(3, 0.5)
        let expected = -2 * (restricted - unrestricted)
        #expect(statistics.independence.statistic.isApproximatelyEqual(to: expected, relativeTolerance: 1e-12))
        #expect(statistics.conditionalCoverage.statistic.isApproximatelyEqual(
            to: statistics.kupiec.statistic + expected, relativeTolerance: 1e-12))
        #expect(statistics.conditionalCoverage.degreesOfFreedom == 2)
        #expect(statistics.conditionalCoverage.pValue.isApproximatelyEqual(
            to: exp(-statistics.conditionalCoverage.statistic / 2), relativeTolerance: 1e-12))
    }

    @Test("Independence statistic is zero without clustering information and never negative")
    func independenceEdges() {
        #expect(CoverageStatistics.independenceStatistic(n00: 0, n01: 0, n10: 0, n11: 0) == 0)
        #expect(CoverageStatistics.independenceStatistic(n00: 50, n01: 0, n10: 0, n11: 0) == 0)
        #expect(CoverageStatistics.independenceStatistic(n00: 0, n01: 0, n10: 0, n11: 9) == 0)
        var statistics = CoverageStatistics(targetRate: 0.01)
        #expect(statistics.kupiec.pValue == 1)
        statistics.record(exception: true)
        #expect(statistics.kupiec.statistic.isFinite && statistics.independence.statistic == 0)
    }
}
