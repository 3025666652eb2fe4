import Foundation
import FulcrumTestSupport
import RiskEstimation
import Testing

/// Checks the estimator against `fulcrum_tools.reference.estimation_vectors` (numpy/pandas).
///
/// Tolerance: 1e-10 relative. Both sides evaluate the same formulas in IEEE double precision, but in different
/// orders (pandas' recursive mean vs. running sums divided by the weight, `fsum` vs. a compensated running sum,
/// numpy's vs. glibc's log1p). Every recursion involved contracts its rounding errors (EWMA: factor λ per step;
/// window: exact recomputation every W steps), so the expected disagreement is a few hundred ulps at most
/// (≈ 1e-13); 1e-10 leaves three orders of margin while any formula error (a wrong weight, an off-by-one step,
/// a missing bias correction) shows up at 1e-6 or more. Covariances and correlations are compared relative to
/// their natural scale √(σᵢ²σⱼ²) (resp. 1), because their values can cancel to near 0.
private let tolerance = 1e-10

struct ExpectedSeries: Decodable {
    var returnCount: [[Int64]]
    var ewmaVariance: [[Double?]]
    var windowVariance: [[Double?]]
    var ess: [[Double]]
    var standardized: [[Double?]]
    var covariance: [[Double?]]
    var correlation: [[Double]]
    var pairESS: [[Double]]
    var admitted: [[Bool]]
    var lwIdentity: [Double]
    var lwConstant: [Double]
    var meanCorrelation: [Double]
    var stalenessSteps: [[Int64?]]?
    var stalenessNanoseconds: [[Int64?]]?
    var sampledPrice: [[String?]]?
}

struct SeriesCase: Decodable {
    var name: String
    var gridInterval: Int64
    var halfLife: Int64
    var window: Int
    var admission: Double
    var lambda: Double
    var starts: [Int]
    var prices: [[String]]
    var expected: ExpectedSeries
}

struct TickCase: Decodable {
    struct Tick: Decodable {
        var asset: Int
        var timestamp: Int64
        var price: String
        var late: Bool
        var valid: Bool
    }
    var name: String
    var gridInterval: Int64
    var lateness: Int64
    var halfLife: Int64
    var window: Int
    var admission: Double
    var lambda: Double
    var assets: Int
    var ticks: [Tick]
    var origin: Int64
    var boundaries: [Int64]
    var lateTicks: Int64
    var expected: ExpectedSeries
}

struct CaseList<Case: Decodable>: Decodable { var cases: [Case] }

struct LongSeries: Decodable {
    struct Checkpoint: Decodable {
        var step: Int
        var ewmaVariance: [Double]
        var covariance: Double
        var windowVariance: [Double]
        var ess: Double
        var lastReturn: [Double]
    }
    var gridInterval: Int64
    var halfLife: Int64
    var window: Int
    var lambda: Double
    var steps: Int
    var checkpoints: [Checkpoint]
}

/// One estimator per shrinkage setting the fixtures describe, fed identically.
struct EstimatorTriple {
    var plain: RiskEstimator
    var identity: RiskEstimator
    var constant: RiskEstimator

    init(gridInterval: Int64, lateness: Int64 = 0, halfLife: Int64, window: Int, admission: Double, assets: Int) {
        var configuration = EstimatorConfiguration()
        configuration.gridInterval = gridInterval
        configuration.lateness = lateness
        configuration.halfLife = halfLife
        configuration.window = window
        configuration.warmupESS = 2
        configuration.residualCapacity = 500
        configuration.correlationAdmission = admission
        plain = RiskEstimator(configuration: configuration, assetCapacity: assets)
        configuration.shrinkage = .ledoitWolf(target: .identity)
        identity = RiskEstimator(configuration: configuration, assetCapacity: assets)
        configuration.shrinkage = .ledoitWolf(target: .constantCorrelation)
        constant = RiskEstimator(configuration: configuration, assetCapacity: assets)
        for _ in 0..<assets {
            _ = plain.addAsset()
            _ = identity.addAsset()
            _ = constant.addAsset()
        }
    }

    /// Closes due boundaries one at a time, calling `body` after each so it sees that step's state.
    mutating func close(upTo time: Int64, _ body: (GridStep, EstimatorTriple) -> Void) {
        while let step = plain.closeNextInterval(upTo: time) {
            #expect(identity.closeNextInterval(upTo: time) == step)
            #expect(constant.closeNextInterval(upTo: time) == step)
            body(step, self)
        }
    }

    mutating func record(asset: Int, timestamp: Int64, price: Double) -> RecordOutcome {
        let outcome = plain.record(asset: asset, timestamp: timestamp, price: price)
        #expect(identity.record(asset: asset, timestamp: timestamp, price: price) == outcome)
        #expect(constant.record(asset: asset, timestamp: timestamp, price: price) == outcome)
        return outcome
    }
}

/// Compares every expectation of step `step` and appends a description of each mismatch to `failures`.
func compare(_ triple: EstimatorTriple, step: Int, with expected: ExpectedSeries, assets: Int, label: String,
             failures: inout [String]) {
    let estimator = triple.plain
    func check(_ ok: Bool, _ what: @autoclosure () -> String) {
        if !ok { failures.append("\(label) step \(step): \(what())") }
    }
    for asset in 0..<assets {
        let count = expected.returnCount[step][asset]
        check(estimator.returnCount(asset) == count, "returnCount[\(asset)] \(estimator.returnCount(asset)) ≠ \(count)")
        if let variance = expected.ewmaVariance[step][asset] {
            let actual = estimator.ewmaVariance(asset)
            check(actual.isApproximatelyEqual(to: variance, relativeTolerance: tolerance),
                  "ewmaVariance[\(asset)] \(actual) ≠ \(variance)")
            check(estimator.variance(asset).isApproximatelyEqual(to: variance, relativeTolerance: tolerance),
                  "variance[\(asset)]")
        }
        if let variance = expected.windowVariance[step][asset] {
            let actual = estimator.windowVariance(asset)
            check(actual.isApproximatelyEqual(to: variance, relativeTolerance: tolerance),
                  "windowVariance[\(asset)] \(actual) ≠ \(variance)")
        }
        check(estimator.ess(asset).isApproximatelyEqual(to: expected.ess[step][asset], relativeTolerance: tolerance),
              "ess[\(asset)] \(estimator.ess(asset)) ≠ \(expected.ess[step][asset])")
        if count > 0 {
            let z = estimator.lastStandardizedReturn(asset)
            switch (z, expected.standardized[step][asset]) {
            case (nil, nil): break
            case let (actual?, wanted?):
                check(actual.isApproximatelyEqual(to: wanted, relativeTolerance: tolerance),
                      "standardized[\(asset)] \(actual) ≠ \(wanted)")
            default:
                let wanted = String(describing: expected.standardized[step][asset])
                check(false, "standardized[\(asset)] \(String(describing: z)) ≠ \(wanted)")
            }
        }
        check(estimator.isInCorrelation(asset) == expected.admitted[step][asset], "admitted[\(asset)]")
        if let steps = expected.stalenessSteps?[step][asset], let nanoseconds = expected.stalenessNanoseconds?[step][asset] {
            check(estimator.staleness(asset) == Staleness(steps: steps, nanoseconds: nanoseconds),
                  "staleness[\(asset)] \(String(describing: estimator.staleness(asset))) ≠ \(steps), \(nanoseconds)")
        }
        if let prices = expected.sampledPrice {
            check(estimator.sampledPrice(asset) == prices[step][asset].map(Fixtures.hexDouble),
                  "sampledPrice[\(asset)] \(String(describing: estimator.sampledPrice(asset)))")
        }
    }
    var pair = 0
    for first in 0..<assets {
        for second in 0..<first {
            let scale = (estimator.ewmaVariance(first) * estimator.ewmaVariance(second)).squareRoot()
            if let covariance = expected.covariance[step][pair] {
                let actual = estimator.covariance(first, second)
                check(actual.isApproximatelyEqual(to: covariance, relativeTolerance: tolerance, scale: scale),
                      "covariance[\(first),\(second)] \(actual) ≠ \(covariance)")
            }
            let correlation = estimator.rawCorrelation(first, second)
            check(correlation.isApproximatelyEqual(to: expected.correlation[step][pair],
                                                   relativeTolerance: tolerance, scale: 1),
                  "correlation[\(first),\(second)] \(correlation) ≠ \(expected.correlation[step][pair])")
            check(estimator.correlation(first, second) == correlation, "published ≠ raw without shrinkage")
            check(estimator.pairESS(first, second).isApproximatelyEqual(to: expected.pairESS[step][pair],
                                                                        relativeTolerance: tolerance),
                  "pairESS[\(first),\(second)]")
            pair += 1
        }
    }
    // δ = Σπ/γ amplifies the rounding of γ = Σ(ρ−ρ̄)², which the estimator forms in one pass as
    // Σρ² − (Σρ)²/m
    // and the script in two passes; the loss is ε·Σρ²/γ, still far below 1e-10 for these inputs.
    check(triple.identity.shrinkageIntensity.isApproximatelyEqual(to: expected.lwIdentity[step],
                                                                  relativeTolerance: tolerance, scale: 1e-3),
          "LW identity δ \(triple.identity.shrinkageIntensity) ≠ \(expected.lwIdentity[step])")
    check(triple.constant.shrinkageIntensity.isApproximatelyEqual(to: expected.lwConstant[step],
                                                                  relativeTolerance: tolerance, scale: 1e-3),
          "LW constant δ \(triple.constant.shrinkageIntensity) ≠ \(expected.lwConstant[step])")
    check(triple.constant.targetCorrelation.isApproximatelyEqual(to: expected.meanCorrelation[step],
                                                                 relativeTolerance: tolerance, scale: 1),
          "ρ̄ \(triple.constant.targetCorrelation) ≠ \(expected.meanCorrelation[step])")
}

@Suite("Reference vectors (numpy/pandas)")
struct ReferenceVectorTests {
    @Test("Return series: random with late joiners, constant, huge jump, alternating, 1e-12 moves")
    func returnSeries() throws {
        let file = try Fixtures.load(CaseList<SeriesCase>.self, "return_series.json")
        #expect(file.cases.count == 5)
        for series in file.cases {
            let assets = series.prices.count
            var triple = EstimatorTriple(gridInterval: series.gridInterval, halfLife: series.halfLife,
                                         window: series.window, admission: series.admission, assets: assets)
            #expect(triple.plain.configuration.decay.isApproximatelyEqual(to: series.lambda, relativeTolerance: 1e-15))
            let prices = series.prices.map { $0.map(Fixtures.hexDouble) }
            let steps = series.expected.returnCount.count
            let origin = GridDriver.origin
            var failures: [String] = []
            var closed = 0
            for interval in 0...steps {
                let time = origin + Int64(interval) * series.gridInterval + series.gridInterval / 2
                triple.close(upTo: time) { step, current in
                    #expect(step.index == Int64(closed))
                    #expect(step.boundary == origin + Int64(closed + 1) * series.gridInterval)
                    compare(current, step: closed, with: series.expected, assets: assets, label: series.name,
                            failures: &failures)
                    closed += 1
                }
                guard interval < steps else { break }
                for asset in 0..<assets where interval >= series.starts[asset] {
                    let outcome = triple.record(asset: asset, timestamp: time + Int64(asset),
                                                price: prices[asset][interval - series.starts[asset]])
                    #expect(outcome == .accepted)
                }
            }
            #expect(closed == steps, "\(series.name)")
            #expect(failures.isEmpty, "\(failures.count) mismatches, first: \(failures.prefix(8))")
        }
    }

    @Test("Irregular ticks: late ticks, gaps, boundary ticks, late joiner, lateness; pandas previous-tick grid")
    func irregularTicks() throws {
        let file = try Fixtures.load(CaseList<TickCase>.self, "tick_grid.json")
        #expect(file.cases.count == 2)
        for tickCase in file.cases {
            var triple = EstimatorTriple(gridInterval: tickCase.gridInterval, lateness: tickCase.lateness,
                                         halfLife: tickCase.halfLife, window: tickCase.window,
                                         admission: tickCase.admission, assets: tickCase.assets)
            var failures: [String] = []
            var closed = 0
            var invalid = 0
            for tick in tickCase.ticks {
                let price = Fixtures.hexDouble(tick.price)
                if tick.valid {
                    triple.close(upTo: tick.timestamp) { step, current in
                        #expect(step.closedBoundaries == 1)
                        #expect(step.boundary == tickCase.boundaries[closed])
                        compare(current, step: closed, with: tickCase.expected, assets: tickCase.assets,
                                label: tickCase.name, failures: &failures)
                        closed += 1
                    }
                } else {
                    invalid += 1
                }
                let outcome = triple.record(asset: tick.asset, timestamp: tick.timestamp, price: price)
                let wanted: RecordOutcome = !tick.valid ? .invalid : (tick.late ? .late : .accepted)
                if outcome != wanted { failures.append("\(tickCase.name): tick \(tick.timestamp) → \(outcome)") }
            }
            #expect(closed == tickCase.boundaries.count)
            #expect(triple.plain.stepCount == Int64(tickCase.boundaries.count))
            #expect(triple.plain.lastBoundary == tickCase.boundaries.last)
            #expect(triple.plain.lateTicks == tickCase.lateTicks)
            #expect(triple.plain.invalidTicks == Int64(invalid))
            #expect(failures.isEmpty, "\(failures.count) mismatches, first: \(failures.prefix(8))")
        }
    }

    @Test("10⁶-step closed-form series: EWMA, window, covariance, ESS at checkpoints")
    func longSeries() throws {
        let file = try Fixtures.load(LongSeries.self, "long_series.json")
        func priceA(_ k: Int) -> Double {
            let m = (k * 7919) % 2003 - 1001
            var price = 100.0 * (1.0 + Double(m) * 1e-4)
            if (k / 250_000) % 2 == 1 { price = price * 1000.0 }
            return price
        }
        func priceB(_ k: Int) -> Double {
            let m = (k * 104_729 + 17) % 1999 - 999
            var price = 50.0 * (1.0 + Double(m) * 2e-4)
            if k % 100_000 == 50_000 { price = price * 1e-6 }
            return price
        }
        var configuration = EstimatorConfiguration()
        configuration.halfLife = file.halfLife
        configuration.window = file.window
        configuration.residualCapacity = 100
        var estimator = RiskEstimator(configuration: configuration, assetCapacity: 2)
        _ = estimator.addAsset()
        _ = estimator.addAsset()
        #expect(configuration.decay.isApproximatelyEqual(to: file.lambda, relativeTolerance: 1e-15))
        var checkpoints = file.checkpoints[...]
        let origin = GridDriver.origin
        let interval = file.gridInterval
        for k in 0...file.steps {
            let time = origin + Int64(k) * interval + 1
            while let step = estimator.closeNextInterval(upTo: time) {
                guard let checkpoint = checkpoints.first, Int64(checkpoint.step) == step.index else { continue }
                checkpoints.removeFirst()
                for asset in 0..<2 {
                    #expect(estimator.ewmaVariance(asset)
                        .isApproximatelyEqual(to: checkpoint.ewmaVariance[asset],
                                              relativeTolerance: tolerance), "step \(checkpoint.step)")
                    #expect(estimator.windowVariance(asset)
                        .isApproximatelyEqual(to: checkpoint.windowVariance[asset],
                                              relativeTolerance: tolerance), "step \(checkpoint.step)")
                    #expect(estimator.lastReturn(asset)
                        .isApproximatelyEqual(to: checkpoint.lastReturn[asset],
                                              relativeTolerance: tolerance), "step \(checkpoint.step)")
                }
                let scale = (estimator.ewmaVariance(0) * estimator.ewmaVariance(1)).squareRoot()
                #expect(estimator.covariance(0, 1).isApproximatelyEqual(to: checkpoint.covariance,
                                                                        relativeTolerance: tolerance, scale: scale))
                #expect(estimator.ess(0).isApproximatelyEqual(to: checkpoint.ess, relativeTolerance: tolerance))
            }
            guard k < file.steps else { break }
            estimator.record(asset: 0, timestamp: time, price: priceA(k))
            estimator.record(asset: 1, timestamp: time + 1, price: priceB(k))
        }
        #expect(checkpoints.isEmpty)
    }
}
