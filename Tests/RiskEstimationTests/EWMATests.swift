import Foundation
import FulcrumTestSupport
import RiskEstimation
import Testing

@Suite("EWMA, ESS, warm-up and horizon scaling")
struct EWMATests {
    /// Half-life in steps that gives λ = 0.94: h = ln 2 / −ln 0.94 ≈ 11.2.
    static let riskMetricsHalfLife = Foundation.log(2) / -Foundation.log(0.94)

    @Test("RiskMetrics worked example: 0.94 × 0.000324 + 0.06 × 0.000529 = 0.0003363, σ ≈ 1.834 %")
    func riskMetricsExample() {
        var driver = GridDriver(configuration: .testing(halfLifeSteps: Self.riskMetricsHalfLife), assets: 1)
        #expect(driver.estimator.configuration.decay.isApproximatelyEqual(to: 0.94, relativeTolerance: 1e-9))
        // A long history of |r| = 1.8 % (σ² = 0.000324), so the bias correction has converged (λ^1000 ≈ 1e-27).
        var price = 100.0
        driver.tick(interval: 0, prices: [price])
        for k in 1...1_000 {
            price *= Foundation.exp(k % 2 == 0 ? 0.018 : -0.018)
            driver.tick(interval: Int64(k), prices: [price])
        }
        driver.close(through: 1_001)
        #expect(driver.estimator.variance(0).isApproximatelyEqual(to: 0.000324, relativeTolerance: 1e-9))
        price *= Foundation.exp(0.023)
        driver.tick(interval: 1_001, prices: [price])
        driver.close(through: 1_002)
        #expect(driver.estimator.variance(0).isApproximatelyEqual(to: 0.0003363, relativeTolerance: 1e-8))
        #expect(driver.estimator.volatility(0).isApproximatelyEqual(to: 0.01834, relativeTolerance: 1e-3))
    }

    @Test("Bias correction: the first return's variance is r², the second the weighted mean")
    func biasCorrection() {
        var driver = GridDriver(configuration: .testing(halfLifeSteps: 10), assets: 1)
        let lambda = Foundation.pow(2.0, -0.1)
        driver.tick(interval: 0, prices: [100])
        driver.tick(interval: 1, prices: [101])
        driver.tick(interval: 2, prices: [99])
        driver.close(through: 2)
        let first = Foundation.log(101.0 / 100.0)
        #expect(driver.estimator.ewmaVariance(0).isApproximatelyEqual(to: first * first, relativeTolerance: 1e-14))
        #expect(driver.estimator.ess(0) == 1)
        driver.close(through: 3)
        let second = Foundation.log(99.0 / 101.0)
        let expected = (lambda * first * first + second * second) / (lambda + 1)
        #expect(driver.estimator.ewmaVariance(0).isApproximatelyEqual(to: expected, relativeTolerance: 1e-14))
        let ess = (1 + lambda) * (1 + lambda) / (1 + lambda * lambda)
        #expect(driver.estimator.ess(0).isApproximatelyEqual(to: ess, relativeTolerance: 1e-14))
    }

    @Test("Warm-up: noData → warming → ready exactly when ESS = (Σw)²/Σw² reaches the threshold")
    func warmUp() {
        var configuration = EstimatorConfiguration.testing(halfLifeSteps: 20, warmup: 10)
        configuration.method = .ewma
        var driver = GridDriver(configuration: configuration, assets: 2)
        let lambda = Foundation.pow(2.0, -1.0 / 20)
        func closedFormESS(_ n: Double) -> Double {
            let weight = (1 - Foundation.pow(lambda, n)) / (1 - lambda)
            let squares = (1 - Foundation.pow(lambda, 2 * n)) / (1 - lambda * lambda)
            return weight * weight / squares
        }
        #expect(driver.estimator.status(0) == .noData)
        var seenWarming = false
        for k in 0..<40 {
            driver.tick(interval: Int64(k), prices: [100 + Double(k % 3), k >= 10 ? 50 + Double(k % 2) : nil])
            driver.close(through: Int64(k + 1))
            let n = Double(driver.estimator.returnCount(0))
            if n == 0 {
                #expect(driver.estimator.status(0) == .noData)
                continue
            }
            let ess = closedFormESS(n)
            #expect(driver.estimator.ess(0).isApproximatelyEqual(to: ess, relativeTolerance: 1e-12))
            #expect(driver.estimator.status(0) == (ess >= 10 ? .ready : .warming))
            seenWarming = seenWarming || driver.estimator.status(0) == .warming
            let younger = Double(driver.estimator.returnCount(1))
            if younger > 0 {
                #expect(driver.estimator.pairESS(0, 1).isApproximatelyEqual(to: closedFormESS(younger),
                                                                            relativeTolerance: 1e-12))
                #expect(driver.estimator.pairStatus(0, 1) == (closedFormESS(younger) >= 10 ? .ready : .warming))
            } else {
                #expect(driver.estimator.pairStatus(0, 1) == .noData)
            }
            #expect((driver.estimator.pairStatus(0, 1) == .ready)
                    == (driver.estimator.isReadyForPairs(0) && driver.estimator.isReadyForPairs(1)))
        }
        #expect(seenWarming)
        #expect(driver.estimator.status(0) == .ready)
    }

    @Test("Horizon scaling σ_H = σ_Δ·√(H/Δ) and 365-day annualization")
    func horizonScaling() {
        var configuration = EstimatorConfiguration.testing(halfLifeSteps: 10)
        configuration.gridInterval = 250_000_000
        configuration.lateness = 0
        var driver = GridDriver(configuration: configuration, assets: 1)
        for k in 0..<30 { driver.tick(interval: Int64(k), prices: [100 * (1 + 0.001 * Double(k % 4))]) }
        driver.close(through: 30)
        let sigma = driver.estimator.volatility(0)
        #expect(sigma > 0)
        // One hour = 14,400 steps of 250 ms → factor 120.
        #expect(driver.estimator.horizonVolatility(0, horizon: 3_600_000_000_000)
            .isApproximatelyEqual(to: sigma * 120, relativeTolerance: 1e-14))
        let stepsPerYear = 365.0 * 86_400 * 4
        #expect(driver.estimator.annualizedVolatility(0).isApproximatelyEqual(to: sigma * stepsPerYear.squareRoot(),
                                                                              relativeTolerance: 1e-14))
    }
}
