import Foundation
import FulcrumSettings
import FulcrumTestSupport
import RiskEstimation
import Testing

/// Fixtures of `fulcrum_tools.reference.factor_vectors` (numpy).
struct FactorIncrementalFixture: Decodable {
    struct Checkpoint: Decodable {
        var step: Int
        var rank: Int
        var factorCovariance: [[Double]]
        var idiosyncratic: [Double]
        var variance: [Double]
        var correlation: [[Double]]
    }
    var assets: Int
    var factors: Int
    var decay: Double
    var period: Int
    var floor: Double
    var unit: Double
    var returns: [[Int64]]
    var present: [[Bool]]
    var checkpoints: [Checkpoint]
}

struct FactorAccuracyFixture: Decodable {
    struct Errors: Decodable {
        var factors: Int
        var incrementalMax: Double
        var incrementalRMS: Double
        var batchMax: Double
        var batchRMS: Double
    }
    var assets: Int
    var trueFactors: Int
    var decay: Double
    var unit: Double
    var effectiveSampleSize: Double
    var returns: [[Int64]]
    var variance: [Double]
    var correlation: [[Double]]
    var errors: [Errors]
}

/// Max and RMS |ρ_model − ρ_full| over the off-diagonal pairs.
private func correlationErrors(_ model: FactorCovariance, _ full: [[Double]]) -> (max: Double, rms: Double) {
    var worst = 0.0
    var squares = 0.0
    var pairs = 0
    for i in 0..<model.assetCount {
        for j in 0..<model.assetCount where i != j {
            let error = abs(model.correlation(i, j) - full[i][j])
            worst = max(worst, error)
            squares += error * error
            pairs += 1
        }
    }
    return (worst, (squares / Double(pairs)).squareRoot())
}

private func configuration(factors: Int, decay: Double, period: Int = 1_000,
                           floor: Double = 1e-4) -> FactorConfiguration {
    var configuration = FactorConfiguration()
    configuration.factors = factors
    configuration.decay = decay
    configuration.orthonormalizationPeriod = period
    configuration.idiosyncraticFloor = floor
    return configuration
}

/// Seeded returns with `factors` common factors and idiosyncratic noise, every asset present.
private func factorReturns(assets: Int, steps: Int, factors: Int, seed: UInt64) -> [[Double]] {
    var random = SplitMix64(seed: seed)
    let loadings = (0..<(assets * factors)).map { _ in random.normal() }
    return (0..<steps).map { _ in
        let common = (0..<factors).map { _ in random.normal() * 1e-3 }
        return (0..<assets).map { asset in
            var value = 5e-4 * random.normal()
            for factor in 0..<factors { value += loadings[asset * factors + factor] * common[factor] }
            return value
        }
    }
}

@Suite("Factor covariance")
struct FactorCovarianceTests {
    /// Against the independent numpy implementation of the same recursion (eigh for the small matrix, Householder
    /// QR for the re-orthonormalization). Tolerance 1e-9 relative to √(σ²_i σ²_j): both sides apply the same
    /// formulas in double precision in different orders (Jacobi vs LAPACK's eigh, MGS vs Householder), each step
    /// contracts earlier rounding by λ, and the truncation gap here (3 true factors, k = 3) is wide, so the
    /// expected disagreement is a few hundred ulps (observed ≈ 1e-13); any formula error (a missing λ, the wrong
    /// weight, a dropped correction of the projection) shows at 1e-4 or more.
    @Test func matchesNumpyIncrementalModel() throws {
        let fixture = try Fixtures.load(FactorIncrementalFixture.self, "factor_incremental.json")
        var model = FactorCovariance(configuration: configuration(
            factors: fixture.factors, decay: fixture.decay, period: fixture.period, floor: fixture.floor),
                                     assetCount: fixture.assets)
        var checkpoints = fixture.checkpoints.makeIterator()
        var next = checkpoints.next()
        var worst = 0.0
        for (index, row) in fixture.returns.enumerated() {
            model.update(returns: row.map { Double($0) * fixture.unit }, present: fixture.present[index])
            guard let expected = next, expected.step == index + 1 else { continue }
            #expect(model.rank == expected.rank, "rank at step \(expected.step)")
            for i in 0..<fixture.assets {
                let scaleI = expected.variance[i]
                #expect(model.variance(i).isApproximatelyEqual(to: expected.variance[i], relativeTolerance: 1e-12))
                if scaleI > 0 {
                    let error = abs(model.idiosyncraticVariance(i) - expected.idiosyncratic[i]) / scaleI
                    worst = max(worst, error)
                    #expect(error < 1e-9, "D[\(i)] at step \(expected.step)")
                }
                for j in 0..<fixture.assets {
                    let scale = (scaleI * expected.variance[j]).squareRoot()
                    guard scale > 0 else {
                        // An asset without returns has zero loadings, so its factor covariances are exactly 0.
                        #expect(model.factorCovariance(i, j) == 0)
                        continue
                    }
                    let error = abs(model.factorCovariance(i, j) - expected.factorCovariance[i][j]) / scale
                    worst = max(worst, error)
                    #expect(error < 1e-9, "F[\(i),\(j)] at step \(expected.step)")
                    #expect(abs(model.correlation(i, j) - expected.correlation[i][j]) < 1e-9)
                }
            }
            next = checkpoints.next()
        }
        #expect(next == nil, "every checkpoint visited")
        print("factor model vs numpy incremental: worst relative difference \(worst)")
    }

    /// Against the full EWMA correlation (plain numpy) of 60 assets driven by 3 factors (idiosyncratic share 0.4)
    /// over 2,000 steps, half-life 100 steps (ESS ≈ 289).
    ///
    /// Bound for k = 3: a rank-3-plus-diagonal model cannot reproduce the sample correlation of the idiosyncratic
    /// noises, whose off-diagonal entries are ≈ N(0, s²/ESS) with s = 0.4 the idiosyncratic share, so the RMS
    /// error is ≈ 0.4/√289 ≈ 0.024 for any such model; the batch truncation of the full matrix's eigenvectors
    /// (computed by numpy) attains 0.0251. The incremental model must stay within 10 % of that (RMS) and 20 %
    /// (max), and must match the numpy incremental model's figures to 1e-6 (same recursion). k = 1 misses two
    /// true factors and must be at least 4 times worse.
    @Test func accuracyAgainstFullMatrix() throws {
        let fixture = try Fixtures.load(FactorAccuracyFixture.self, "factor_accuracy.json")
        let returns = fixture.returns.map { $0.map { Double($0) * fixture.unit } }
        var byFactors: [Int: (max: Double, rms: Double)] = [:]
        for expected in fixture.errors {
            var model = FactorCovariance(configuration: configuration(factors: expected.factors, decay: fixture.decay),
                                         assetCount: fixture.assets)
            for row in returns { model.update(returns: row) }
            for i in 0..<fixture.assets {
                #expect(model.variance(i).isApproximatelyEqual(to: fixture.variance[i], relativeTolerance: 1e-10))
                #expect(model.covariance(i, i).isApproximatelyEqual(to: fixture.variance[i], relativeTolerance: 1e-10))
            }
            let errors = correlationErrors(model, fixture.correlation)
            byFactors[expected.factors] = errors
            print("k = \(expected.factors): max \(errors.max), RMS \(errors.rms) (batch \(expected.batchMax), "
                  + "\(expected.batchRMS))")
            #expect(abs(errors.max - expected.incrementalMax) < 1e-6)
            #expect(abs(errors.rms - expected.incrementalRMS) < 1e-6)
        }
        let three = try #require(byFactors[3])
        let one = try #require(byFactors[1])
        let batch = try #require(fixture.errors.first { $0.factors == 3 })
        let noise = 0.4 / fixture.effectiveSampleSize.squareRoot()
        #expect(three.rms <= 1.1 * batch.batchRMS)
        #expect(three.max <= 1.2 * batch.batchMax)
        #expect(three.rms <= 1.25 * noise)
        #expect(one.rms >= 4 * three.rms)
    }

    /// While fewer than k independent returns have arrived, the model is exact: rank t after t steps and
    /// U Λ Uᵀ/W equal to the full EWMA matrix.
    @Test func warmUpIsExact() {
        let lambda = 0.95
        let rows = factorReturns(assets: 8, steps: 3, factors: 3, seed: 11)
        var model = FactorCovariance(configuration: configuration(factors: 5, decay: lambda), assetCount: 8)
        for (step, row) in rows.enumerated() {
            model.update(returns: row)
            #expect(model.rank == step + 1)
            let weight = 1 - Foundation.pow(lambda, Double(step + 1))
            for i in 0..<8 {
                for j in 0..<8 {
                    var full = 0.0
                    for (age, past) in rows[0...step].reversed().enumerated() {
                        full += (1 - lambda) * Foundation.pow(lambda, Double(age)) * past[i] * past[j]
                    }
                    full /= weight
                    let scale = (model.variance(i) * model.variance(j)).squareRoot()
                    #expect(abs(model.factorCovariance(i, j) - full) <= 1e-12 * scale)
                }
                // The factors explain everything, so the floor binds and D is floor·σ².
                #expect(model.idiosyncraticVariance(i).isApproximatelyEqual(
                    to: 1e-4 * model.variance(i), relativeTolerance: 1e-6))
            }
        }
    }

    /// An all-zero return decays Λ by λ and leaves the loadings alone; before any data everything is 0.
    @Test func zeroReturnsDecay() {
        var model = FactorCovariance(configuration: configuration(factors: 3, decay: 0.9), assetCount: 4)
        #expect(model.covariance(0, 1) == 0 && model.correlation(0, 1) == 0 && model.correlation(2, 2) == 1)
        model.update(returns: [0, 0, 0, 0])
        #expect(model.rank == 0 && model.variance(0) == 0 && model.covariance(1, 1) == 0)
        for row in factorReturns(assets: 4, steps: 20, factors: 2, seed: 3) { model.update(returns: row) }
        let before = (0..<3).map { model.factorVariance($0) }
        let loadings = model.withLoadings { Array($0) }
        let variance = model.variance(2)
        model.update(returns: [0, 0, 0, 0])
        let weightBefore = 1 - Foundation.pow(0.9, 21.0)
        let weightAfter = 1 - Foundation.pow(0.9, 22.0)
        for factor in 0..<model.rank {
            #expect(model.factorVariance(factor).isApproximatelyEqual(
                to: before[factor] * 0.9 * weightBefore / weightAfter, relativeTolerance: 1e-12))
        }
        #expect(model.withLoadings { Array($0) } == loadings)
        // Present zeros count as returns: the own variance decays too (by λ, re-weighted).
        #expect(model.variance(2) < variance)
        #expect(model.returnCount(2) == 22)
    }

    /// `decay(steps:present:)` is the closed form of that many all-zero updates: the same counters, rank and
    /// re-orthonormalization schedule, and values equal up to rounding (λ^s as one power against s products:
    /// 1e-12 relative), also when continuing afterwards; a gap long enough to decay every factor below the
    /// normal range drops them all, as the zero steps one by one do (values below the normal range, where one by
    /// one a subnormal sum can stick at 2⁻¹⁰⁷⁴ while the closed form gives 0, count as equal).
    @Test(arguments: [(Int64(1), 20), (37, 20), (40, 1), (13, 1_000), (6_000, 20), (7_000, 20)])
    func closedFormDecay(steps: Int64, period: Int) {
        let rows = factorReturns(assets: 6, steps: 60, factors: 2, seed: 9)
        let present = [true, true, false, true, true, false]
        var stepwise = FactorCovariance(configuration: configuration(factors: 3, decay: 0.9, period: period),
                                        assetCount: 6)
        for (index, row) in rows[..<30].enumerated() {
            stepwise.update(returns: row, present: index < 10 ? present : nil)
        }
        stepwise.update(returns: [1e-3, -2e-3, 5e-4, 1e-3, 0, 0], present: present)
        var closed = stepwise
        for _ in 0..<steps { stepwise.update(returns: Array(repeating: 0, count: 6), present: present) }
        closed.decay(steps: steps, present: present)
        func expectClose(_ label: String) {
            #expect(closed.stepCount == stepwise.stepCount && closed.rank == stepwise.rank, "\(label)")
            for i in 0..<6 {
                #expect(closed.returnCount(i) == stepwise.returnCount(i))
                #expect(abs(closed.variance(i) - stepwise.variance(i))
                        <= 1e-12 * stepwise.variance(i) + Double.leastNormalMagnitude)
                for j in 0..<6 {
                    // √σ²_i·√σ²_j: after 6,000 steps of λ = 0.9 the variances are near 1e-281, their product
                    // would underflow.
                    let scale = stepwise.variance(i).squareRoot() * stepwise.variance(j).squareRoot()
                    #expect(abs(closed.covariance(i, j) - stepwise.covariance(i, j))
                            <= 1e-12 * scale + Double.leastNormalMagnitude,
                            "\(label): covariance (\(i), \(j))")
                }
            }
        }
        expectClose("after the gap")
        if steps >= 7_000 { #expect(closed.rank == 0) }
        for row in rows[30...] {
            stepwise.update(returns: row)
            closed.update(returns: row)
        }
        expectClose("after continuing")
        var unchanged = closed
        unchanged.decay(steps: 0)
        #expect(unchanged.stepCount == closed.stepCount
                && unchanged.withLoadings { Array($0) } == closed.withLoadings { Array($0) })
    }

    /// A non-finite return is treated as missing and counted, and the state evolves exactly as if the asset
    /// had been marked absent.
    @Test func invalidReturnsAreIgnored() {
        let rows = factorReturns(assets: 6, steps: 40, factors: 2, seed: 5)
        var clean = FactorCovariance(configuration: configuration(factors: 2, decay: 0.97), assetCount: 6)
        var dirty = clean
        for (step, row) in rows.enumerated() {
            var present = Array(repeating: true, count: 6)
            var corrupted = row
            if step == 10 {
                corrupted[2] = .nan
                corrupted[4] = .infinity
                present[2] = false
                present[4] = false
            }
            if step == 20 {
                corrupted[1] = 1e300
                present[1] = false
            }
            clean.update(returns: row, present: present)
            let outcome = dirty.update(returns: corrupted)
            if step == 10 { #expect(outcome == FactorUpdate(used: 4, missing: 0, invalid: 2)) }
        }
        #expect(dirty.invalidReturns == 3 && clean.invalidReturns == 0)
        for i in 0..<6 {
            #expect(dirty.variance(i) == clean.variance(i))
            #expect(dirty.variance(i).isFinite)
            for j in 0..<6 { #expect(dirty.covariance(i, j) == clean.covariance(i, j)) }
        }
        #expect(dirty.returnCount(2) == 39)
    }

    /// A missing asset keeps its own variance untouched while its loadings decay with the zero it enters as.
    @Test func missingReturnsLeaveOwnVariance() {
        let rows = factorReturns(assets: 5, steps: 30, factors: 2, seed: 9)
        var model = FactorCovariance(configuration: configuration(factors: 2, decay: 0.9), assetCount: 5)
        for row in rows { model.update(returns: row) }
        let variance = model.variance(3)
        let outcome = model.update(returns: rows[0], present: [true, true, true, false, true])
        #expect(outcome == FactorUpdate(used: 4, missing: 1, invalid: 0))
        #expect(model.variance(3) == variance)
        #expect(model.returnCount(3) == 30)
        #expect(model.returnCount(0) == 31)
    }

    /// Over 5,000 steps without re-orthonormalization, UᵀU stays within 1e-12 of I (the drift the period bounds);
    /// one call restores it to a few ulps without changing the covariance beyond rounding.
    @Test func orthonormalityDrift() {
        let rows = factorReturns(assets: 30, steps: 5_000, factors: 6, seed: 21)
        var model = FactorCovariance(configuration: configuration(factors: 8, decay: 0.99, period: 1_000_000),
                                     assetCount: 30)
        for row in rows { model.update(returns: row) }
        let drift = model.orthonormalityError
        print("orthonormality drift after 5,000 steps: \(drift)")
        #expect(drift < 1e-12)
        let before = (0..<30).map { i in (0..<30).map { j in model.covariance(i, j) } }
        model.orthonormalize()
        #expect(model.orthonormalityError < 1e-14)
        for i in 0..<30 {
            for j in 0..<30 {
                let scale = (before[i][i] * before[j][j]).squareRoot()
                #expect(abs(model.covariance(i, j) - before[i][j]) <= 1e-13 * scale)
            }
        }
    }

    /// Assets added after the start behave like assets absent so far.
    @Test func addedAssetMatchesAbsentAsset() {
        let rows = factorReturns(assets: 4, steps: 60, factors: 2, seed: 13)
        var grown = FactorCovariance(configuration: configuration(factors: 2, decay: 0.95), assetCount: 3,
                                     assetCapacity: 4)
        var absent = FactorCovariance(configuration: configuration(factors: 2, decay: 0.95), assetCount: 4)
        for (step, row) in rows.enumerated() {
            if step == 20 { #expect(grown.addAsset() == 3) }
            if step < 20 {
                grown.update(returns: Array(row[0..<3]))
                absent.update(returns: row, present: [true, true, true, false])
            } else {
                grown.update(returns: row)
                absent.update(returns: row)
            }
        }
        for i in 0..<4 {
            for j in 0..<4 {
                #expect(grown.covariance(i, j).isApproximatelyEqual(to: absent.covariance(i, j),
                                                                    absoluteTolerance: 1e-15))
            }
        }
    }

    /// A decoded checkpoint is bit-identical and evolves identically; an inconsistent one is refused.
    @Test func codableRoundTrip() throws {
        let rows = factorReturns(assets: 7, steps: 80, factors: 3, seed: 17)
        var model = FactorCovariance(configuration: configuration(factors: 4, decay: 0.96, period: 25),
                                     assetCount: 7)
        for row in rows[0..<50] { model.update(returns: row) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(model)
        var restored = try JSONDecoder().decode(FactorCovariance.self, from: data)
        #expect(try encoder.encode(restored) == data)
        for row in rows[50...] {
            model.update(returns: row)
            restored.update(returns: row)
        }
        for i in 0..<7 {
            for j in 0..<7 { #expect(model.covariance(i, j) == restored.covariance(i, j)) }
        }
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        object["rank"] = 9
        let bad = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: RiskEstimationError.self) { try JSONDecoder().decode(FactorCovariance.self, from: bad) }
    }

    /// The configuration names the bad key.
    @Test func configurationValidation() {
        var configuration = FactorConfiguration()
        configuration.factors = 65
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
        configuration.factors = 10
        configuration.decay = 1
        do {
            try configuration.validate(keyPrefix: "factorModel")
            Issue.record("decay 1 accepted")
        } catch {
            #expect(error.key == "factorModel.decay")
        }
    }

    /// Memory is O(N·k): at N = 1,000 and k = 10 about 8·N·(k + 6) = 128 kB, not the 4 MB of the full triangle.
    @Test func memoryIsLinearInAssets() {
        let model = FactorCovariance(configuration: configuration(factors: 10, decay: 0.99), assetCount: 1_000)
        #expect(model.memoryBytes >= 8 * 1_000 * 15)
        #expect(model.memoryBytes < 8 * 1_000 * 20)
    }
}
