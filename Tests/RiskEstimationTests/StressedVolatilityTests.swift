import Foundation
import FulcrumTestSupport
import RiskEstimation
import Testing

/// One case of `stressed_series.json` (see `fulcrum_tools.reference.estimation_vectors`, `stressed_case`).
struct StressedSeries: Decodable {
    struct Checkpoint: Decodable {
        var step: Int64
        var returnCount: [Int64]
        var stressedVariance: [Double?]
        var stressedESS: [Double]
        var ewmaVariance: [Double?]
    }

    var name: String
    var gridInterval: Int64
    var halfLife: Int64
    var stressedHalfLife: Int64
    var warmupESS: Double
    var maxCatchUpSteps: Int
    var starts: [Int]
    /// Silent intervals [gap[0], gap[1]): no ticks, so the estimator fast-forwards most of them.
    var gap: [Int]
    var steps: Int
    /// Asset 0's moves are `stress[2]` times larger in intervals [stress[0], stress[1]).
    var stress: [Double]
    var checkpoints: [Checkpoint]

    /// The script's closed-form prices, evaluated in the same order so that the doubles are identical.
    func price(asset: Int, interval k: Int) -> Double {
        if asset == 0 {
            let m = (k * 7919) % 2003 - 1001
            let scale = Double(k) >= stress[0] && Double(k) < stress[1] ? stress[2] : 1.0
            return 100.0 * (1.0 + Double(m) * 1e-5 * scale)
        }
        let m = (k * 104_729 + 17) % 1999 - 999
        return 50.0 * (1.0 + Double(m) * 3e-5)
    }
}

@Suite("Stressed (long-horizon) volatility")
struct StressedVolatilityTests {
    /// Same reasoning as the other reference vectors: both sides evaluate the same sums in double precision in
    /// different orders (here the reference sums exact weights e^(m·ln λ_s) with `fsum`), so they agree to a
    /// few hundred ulps at most, while a wrong weight or a step off by one shows at 1e-6 or more.
    static let tolerance = 1e-10

    @Test("Matches exact weighted sums (checked against pandas ewm), across a fast-forwarded gap, with warm-up floor")
    func referenceSeries() throws {
        let file = try Fixtures.load(CaseList<StressedSeries>.self, "stressed_series.json")
        #expect(file.cases.count == 2)
        var flooredByRegular = 0
        var rawAfterWarmUp = 0
        for series in file.cases {
            var configuration = EstimatorConfiguration()
            configuration.gridInterval = series.gridInterval
            configuration.halfLife = series.halfLife
            configuration.stressedHalfLife = series.stressedHalfLife
            configuration.warmupESS = series.warmupESS
            configuration.maxCatchUpSteps = series.maxCatchUpSteps
            configuration.residualCapacity = 16
            try configuration.validate()
            var estimator = RiskEstimator(configuration: configuration, assetCapacity: 2)
            _ = estimator.addAsset()
            _ = estimator.addAsset()
            var checkpoints = series.checkpoints[...]
            var fastForwards: [Int64] = []
            var failures: [String] = []
            let origin = GridDriver.origin
            for k in 0...series.steps where k < series.gap[0] || k >= series.gap[1] {
                let time = origin + Int64(k) * series.gridInterval + 1
                while let step = estimator.closeNextInterval(upTo: time) {
                    if step.closedBoundaries > 1 { fastForwards.append(step.closedBoundaries) }
                    guard let checkpoint = checkpoints.first, checkpoint.step == step.index else { continue }
                    checkpoints.removeFirst()
                    for asset in 0..<2 {
                        let label = "\(series.name) step \(checkpoint.step) asset \(asset)"
                        func check(_ ok: Bool, _ what: @autoclosure () -> String) {
                            if !ok { failures.append("\(label): \(what())") }
                        }
                        check(estimator.returnCount(asset) == checkpoint.returnCount[asset], "returnCount")
                        let ess = estimator.stressedESS(asset)
                        check(ess.isApproximatelyEqual(to: checkpoint.stressedESS[asset],
                                                       relativeTolerance: Self.tolerance),
                              "stressedESS \(ess) ≠ \(checkpoint.stressedESS[asset])")
                        guard let variance = checkpoint.stressedVariance[asset],
                              let regular = checkpoint.ewmaVariance[asset] else {
                            check(estimator.stressedVariance(asset) == 0 && estimator.stressedVolatility(asset) == 0,
                                  "nonzero stressed estimate without returns")
                            continue
                        }
                        let actual = estimator.stressedVariance(asset)
                        check(actual.isApproximatelyEqual(to: variance, relativeTolerance: Self.tolerance),
                              "stressedVariance \(actual) ≠ \(variance)")
                        var expected = variance.squareRoot()
                        if checkpoint.stressedESS[asset] < series.warmupESS {
                            if regular > variance { flooredByRegular += 1 }
                            expected = max(expected, regular.squareRoot())
                        } else {
                            rawAfterWarmUp += 1
                        }
                        let volatility = estimator.stressedVolatility(asset)
                        check(volatility.isApproximatelyEqual(to: expected, relativeTolerance: Self.tolerance),
                              "stressedVolatility \(volatility) ≠ \(expected)")
                    }
                }
                guard k < series.steps else { break }
                for asset in 0..<2 where k >= series.starts[asset] {
                    let price = series.price(asset: asset, interval: k)
                    estimator.record(asset: asset, timestamp: time + Int64(asset), price: price)
                }
            }
            #expect(checkpoints.isEmpty, "\(series.name): \(checkpoints.count) checkpoints not reached")
            #expect(fastForwards == [Int64(series.gap[1] - series.gap[0] - series.maxCatchUpSteps)], "\(series.name)")
            #expect(failures.isEmpty, "\(failures.count) mismatches, first: \(failures.prefix(8))")
        }
        // Both branches of the warm-up rule were exercised.
        #expect(flooredByRegular > 0)
        #expect(rawAfterWarmUp > 0)
    }

    @Test("After a stress episode the stressed σ stays well above the regular σ, which has already forgotten it")
    func remembersStress() {
        var configuration = EstimatorConfiguration.testing(halfLifeSteps: 10)
        configuration.stressedHalfLife = 500_000_000_000
        var driver = GridDriver(configuration: configuration, assets: 1)
        var generator = SplitMix64(seed: 21)
        var logPrice = 0.0
        for k in 0..<1_000 {
            // σ = 1 % per step, 5 % during steps 400..<600.
            logPrice += (k >= 400 && k < 600 ? 0.05 : 0.01) * generator.normal()
            driver.tick(interval: Int64(k), prices: [100 * Foundation.exp(logPrice)])
        }
        driver.close(through: 1_000)
        let regular = driver.estimator.volatility(0)
        let stressed = driver.estimator.stressedVolatility(0)
        #expect(driver.estimator.stressedESS(0) >= configuration.warmupESS)
        // Regular: 40 half-lives after the episode, σ ≈ 1 %. Stressed (h_s = 500 steps): the episode holds about
        // (2^(−0.8) − 2^(−1.2))/(1 − 2^(−2)) ≈ 19 % of the weight, so σ_s ≈ √(0.19·25 + 0.81·1) % ≈ 2.3 %.
        #expect(regular.isApproximatelyEqual(to: 0.01, relativeTolerance: 0.3))
        #expect(stressed > 1.6 * regular)
        #expect(stressed < 3 * regular)
    }

    @Test("A checkpoint with an inconsistent residualsAppended or a negative stressed sum is rejected")
    func corruptedCheckpoint() throws {
        var configuration = EstimatorConfiguration.testing(halfLifeSteps: 12)
        configuration.residualCapacity = 16
        var estimator = RiskEstimator(configuration: configuration, assetCapacity: 2)
        for _ in 0..<2 { _ = estimator.addAsset() }
        _ = CodableTests.feed(&estimator, seed: 5, from: GridDriver.origin, count: 200)
        #expect(estimator.residualsAppended(0) > 16)
        let original = try #require(
            JSONSerialization.jsonObject(with: JSONEncoder().encode(estimator)) as? [String: Any])
        let appended = try #require(original["residualsAppended"] as? [NSNumber]).map(\.uint64Value)
        for (key, value) in [("residualsAppended", [appended[0] + 1, appended[1]] as Any),
                             ("stressedSum", [-1.0, 0.0] as Any), ("stressedSum", [1.0] as Any)] {
            var object = original
            object[key] = value
            let data = try JSONSerialization.data(withJSONObject: object)
            #expect {
                _ = try JSONDecoder().decode(RiskEstimator.self, from: data)
            } throws: { error in
                (error as? RiskEstimationError).map { $0.code == .invalidState && $0.context["field"] == key } ?? false
            }
        }
    }
}
