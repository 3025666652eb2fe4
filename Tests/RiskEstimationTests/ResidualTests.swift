import Foundation
import FulcrumTestSupport
import RiskEstimation
import Testing

@Suite("Standardized residuals and largest move")
struct ResidualTests {
    @Test("z_k = r_k/σ_{k−1} in a bounded ring, read in order without copying; skipped while σ_{k−1} = 0")
    func ring() {
        var configuration = EstimatorConfiguration.testing(halfLifeSteps: 5)
        configuration.residualCapacity = 7
        var driver = GridDriver(configuration: configuration, assets: 1)
        let lambda = Foundation.pow(2.0, -1.0 / 5)
        // Constant price first (σ stays 0: no residuals), then moves.
        var prices: [Double] = Array(repeating: 100, count: 4)
        var generator = SplitMix64(seed: 2)
        for _ in 0..<20 { prices.append(prices.last! * Foundation.exp(0.01 * generator.normal())) }
        var expected: [Double] = []
        var sum = 0.0, weight = 0.0
        for (k, price) in prices.enumerated() {
            driver.tick(interval: Int64(k), prices: [price])
            driver.close(through: Int64(k + 1))
            guard k >= 1 else { continue }
            let r = Foundation.log(price / prices[k - 1])
            let previous = weight > 0 ? sum / weight : 0
            if previous > 0 {
                expected.append(r / previous.squareRoot())
                #expect((driver.estimator.lastStandardizedReturn(0) ?? .nan)
                    .isApproximatelyEqual(to: expected.last!, relativeTolerance: 1e-12))
            } else {
                #expect(driver.estimator.lastStandardizedReturn(0) == nil)
            }
            sum = lambda * sum + r * r
            weight = lambda * weight + 1
        }
        #expect(expected.count == prices.count - 5)
        let estimator = driver.estimator
        #expect(estimator.residualCount(0) == 7)
        let stored = estimator.withResiduals(asset: 0) { older, newer in
            #expect(older.count + newer.count == 7)
            return Array(older) + Array(newer)
        }
        let last = Array(expected.suffix(7))
        #expect(zip(stored, last).allSatisfy { $0.isApproximatelyEqual(to: $1, relativeTolerance: 1e-12) })
        for index in 0..<7 {
            #expect(estimator.residual(asset: 0, at: index).isApproximatelyEqual(to: last[index],
                                                                                 relativeTolerance: 1e-12))
        }
    }

    /// Reference for `residualsAppended`: every grid step of the asset's history (a silent gap contributes zero
    /// returns), the configured method's previous variance formed directly from the list of squared returns,
    /// and a residual r/σ_prev wherever that variance is positive.
    static func referenceResiduals(returns: [Double], method: VolatilityMethod, lambda: Double,
                                   window: Int) -> [Double] {
        var residuals: [Double] = []
        for (k, r) in returns.enumerated() {
            let history = returns[..<k].map { $0 * $0 }
            var previous = 0.0
            switch method {
            case .ewma:
                var sum = 0.0, weight = 0.0
                for (age, square) in history.reversed().enumerated() {
                    let w = Foundation.pow(lambda, Double(age))
                    sum += w * square
                    weight += w
                }
                previous = weight > 0 ? sum / weight : 0
            case .window:
                let recent = history.suffix(window)
                previous = recent.isEmpty ? 0 : recent.reduce(0, +) / Double(recent.count)
            }
            if previous > 0 { residuals.append(r / previous.squareRoot()) }
        }
        return residuals
    }

    @Test("residualsAppended grows by exactly the residuals each step writes: ring wrap, σ = 0, fast-forward",
          arguments: [VolatilityMethod.ewma, .window])
    func appendedCount(method: VolatilityMethod) {
        var configuration = EstimatorConfiguration.testing(halfLifeSteps: 5, window: 6, warmup: 2)
        configuration.method = method
        configuration.residualCapacity = 7
        configuration.maxCatchUpSteps = 10
        var estimator = RiskEstimator(configuration: configuration, assetCapacity: 1)
        _ = estimator.addAsset()
        // Intervals 0..<4 constant (σ = 0: no residuals), moves until 40, silent 40..<140 (100 intervals, 90 of
        // them fast-forwarded, far more than the ring holds), moves again until 160.
        var generator = SplitMix64(seed: 31)
        var prices: [Double?] = []
        var last = 100.0
        for k in 0..<160 {
            if k >= 40 && k < 140 {
                prices.append(nil)
                continue
            }
            if k >= 4 { last *= Foundation.exp(0.01 * generator.normal()) }
            prices.append(last)
        }
        // The asset's grid return at step k ≥ 1 (0 in the gap: the price does not change).
        var sampled: [Double] = []
        for price in prices { sampled.append(price ?? sampled.last!) }
        let returns = (1..<sampled.count).map { Foundation.log(sampled[$0] / sampled[$0 - 1]) }
        let expected = Self.referenceResiduals(returns: returns, method: method,
                                               lambda: Foundation.pow(2.0, -1.0 / 5), window: 6)
        // Residuals up to step index i: those of returns 1...i.
        func expectedCount(through index: Int64) -> Int {
            index < 1 ? 0 : Self.referenceResiduals(returns: Array(returns.prefix(Int(index))), method: method,
                                                    lambda: Foundation.pow(2.0, -1.0 / 5), window: 6).count
        }
        var seen: UInt64 = 0
        var visits = 0
        var sawFastForward = false
        for k in 0...160 where k == 160 || prices[k] != nil {
            let time = GridDriver.origin + Int64(k) * configuration.gridInterval + 1
            while let step = estimator.closeNextInterval(upTo: time) {
                visits += 1
                sawFastForward = sawFastForward || step.closedBoundaries > 1
                let appended = estimator.residualsAppended(0)
                let wanted = expectedCount(through: step.index)
                #expect(appended == UInt64(wanted), "step \(step.index)")
                // What a reader that last looked at `seen` can take as new: the newest min(new, stored).
                let fresh = Int(min(appended - seen, UInt64(estimator.residualCount(0))))
                let stored = estimator.withResiduals(asset: 0) { Array($0) + Array($1) }
                let newest = Array(stored.suffix(fresh))
                let reference = Array(expected.prefix(wanted).suffix(fresh))
                #expect(newest.count == reference.count && zip(newest, reference).allSatisfy {
                    $0.isApproximatelyEqual(to: $1, relativeTolerance: 1e-12)
                }, "step \(step.index)")
                seen = appended
            }
            if k < 160, let price = prices[k] { estimator.record(asset: 0, timestamp: time, price: price) }
        }
        #expect(sawFastForward)
        #expect(visits == 160 - 90 + 1)
        #expect(estimator.residualsAppended(0) == UInt64(expected.count))
        #expect(expected.count > 50)
    }

    @Test("Largest |r/σ_prev| across assets at the last step")
    func largestMove() {
        var driver = GridDriver(configuration: .testing(halfLifeSteps: 10), assets: 3)
        var generator = SplitMix64(seed: 8)
        var logPrices = [0.0, 0.0, 0.0]
        for k in 0..<30 {
            for asset in 0..<3 { logPrices[asset] += 0.01 * generator.normal() }
            if k == 29 { logPrices[1] += 0.2 }  // a 20σ move
            driver.tick(interval: Int64(k), prices: logPrices.map { Optional(100 * Foundation.exp($0)) })
        }
        driver.close(through: 30)
        let move = driver.estimator.largestStandardizedMove
        #expect(move?.asset == 1)
        let z = (0..<3).compactMap { driver.estimator.lastStandardizedReturn($0) }
        #expect(z.count == 3)
        #expect(move.map { abs($0.value) } == z.map { abs($0) }.max())
        #expect((move?.value ?? 0) > 10)
    }
}
