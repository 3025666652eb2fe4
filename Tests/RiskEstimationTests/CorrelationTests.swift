import Foundation
import FulcrumTestSupport
import RiskEstimation
import Testing

@Suite("Correlation matrix: PSD, shrinkage, late joiners")
struct CorrelationTests {
    static let shrinkages: [Shrinkage] = [
        .none, .fixed(intensity: 0.3, target: .identity), .fixed(intensity: 0.3, target: .constantCorrelation),
        .ledoitWolf(target: .identity), .ledoitWolf(target: .constantCorrelation),
    ]

    static func matrix(_ estimator: RiskEstimator) -> [[Double]] {
        (0..<estimator.assetCount).map { i in (0..<estimator.assetCount).map { j in estimator.correlation(i, j) } }
    }

    /// Unit diagonal, symmetric, entries in [−1, 1], smallest eigenvalue ≥ −1e-12 (rounding of a PSD matrix of
    /// size ≤ 40 with unit diagonal: a few ulps per entry times the size).
    static func checkCorrelationMatrix(_ estimator: RiskEstimator, _ label: String) {
        let r = matrix(estimator)
        let n = r.count
        for i in 0..<n {
            #expect(r[i][i] == 1, "\(label): diagonal")
            for j in 0..<n {
                #expect(r[i][j] == r[j][i], "\(label): symmetry")
                #expect(r[i][j] >= -1 && r[i][j] <= 1, "\(label): range")
            }
        }
        let smallest = symmetricEigenvalues(r).first ?? 0
        #expect(smallest >= -1e-12, "\(label): smallest eigenvalue \(smallest)")
    }

    @Test("PSD by construction on random and adversarial inputs, for every shrinkage", arguments: shrinkages)
    func positiveSemidefinite(shrinkage: Shrinkage) {
        // 30 assets, fewer steps than assets at first (rank-deficient Gram matrix), staggered joins, a constant
        // price, an exact copy, an exact mirror (same start), a 1e6 jump and 1e-12 moves.
        let assets = 30
        var driver = GridDriver(configuration: .testing(halfLifeSteps: 8, warmup: 2, shrinkage: shrinkage,
                                                        admission: 0.5), assets: assets)
        var generator = SplitMix64(seed: 17)
        var logPrices = [Double](repeating: 0, count: assets)
        for k in 0..<120 {
            let market = 0.01 * generator.normal()
            var prices: [Double?] = []
            for asset in 0..<assets {
                let joins = (asset % 5) * 12
                if k < joins { prices.append(nil); continue }
                switch asset {
                case 0: logPrices[asset] = 0
                case 4: logPrices[asset] += 1e-12 * (generator.normal() > 0 ? 1 : -1)
                case 6: logPrices[asset] += (k == 60 ? Foundation.log(1e6) : 0.001 * generator.normal())
                default: logPrices[asset] += (0.5 + Double(asset % 3)) * market + 0.004 * generator.normal()
                }
                prices.append(100 * Foundation.exp(logPrices[asset]))
            }
            // Assets 7 and 12 join with asset 2 and quote it exactly, resp. its inverse (r₁₂ = −r₂).
            if let base = prices[2] {
                prices[7] = base
                prices[12] = 100 * 100 / base
            }
            driver.tick(interval: Int64(k), prices: prices)
            driver.close(through: Int64(k + 1))
            if k % 6 == 5 { Self.checkCorrelationMatrix(driver.estimator, "\(shrinkage) step \(k)") }
        }
        #expect(!driver.estimator.isInCorrelation(0))  // constant price: zero variance, identity row
        #expect(driver.estimator.isInCorrelation(2))
        #expect(driver.estimator.rawCorrelation(7, 2).isApproximatelyEqual(to: 1, relativeTolerance: 1e-12))
        #expect(driver.estimator.rawCorrelation(2, 12).isApproximatelyEqual(to: -1, relativeTolerance: 1e-12))
        let delta = driver.estimator.shrinkageIntensity
        #expect(delta >= 0 && delta <= 1)
    }

    @Test("A row stored in one pass has the bits of correlation(i, j), entry by entry", arguments: shrinkages)
    func storedRowsMatchEntries(shrinkage: Shrinkage) {
        // Staggered joins (assets outside the correlation while they warm up), a constant price (never admitted),
        // an exact mirror (entries clamped at −1) and every shrinkage target.
        let assets = 13
        var driver = GridDriver(configuration: .testing(halfLifeSteps: 6, warmup: 2, shrinkage: shrinkage,
                                                        admission: 0.3), assets: assets)
        var generator = SplitMix64(seed: 29)
        var logPrices = [Double](repeating: 0, count: assets)
        var compared = 0
        for k in 0..<60 {
            let market = 0.01 * generator.normal()
            var prices: [Double?] = []
            for asset in 0..<assets {
                if k < (asset % 4) * 9 { prices.append(nil); continue }
                if asset != 0 { logPrices[asset] += Double(asset % 3) * market + 0.003 * generator.normal() }
                prices.append(50 * Foundation.exp(logPrices[asset]))
            }
            if let base = prices[1] { prices[5] = 2_500 / base }
            driver.tick(interval: Int64(k), prices: prices)
            driver.close(through: Int64(k + 1))
            let estimator = driver.estimator
            for row in 0..<assets {
                // Unaligned on purpose: the packed field starts wherever its length prefix ends.
                var stored = [UInt8](repeating: 0xA5, count: 8 * (assets - row) + 3)
                stored.withUnsafeMutableBytes { raw in
                    estimator.storeCorrelations(row: row, count: assets - row, into: raw.baseAddress! + 3)
                }
                let values = (0..<(assets - row)).map { index in
                    stored[(3 + 8 * index)..<(11 + 8 * index)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                }
                let expected = (row..<assets).map { estimator.correlation(row, $0).bitPattern }
                #expect(values == expected, "\(shrinkage) step \(k) row \(row)")
                #expect(stored[0..<3] == [0xA5, 0xA5, 0xA5])
                compared += assets - row
            }
        }
        #expect(!driver.estimator.isInCorrelation(0) && driver.estimator.isInCorrelation(5))
        #expect(compared == 60 * assets * (assets + 1) / 2)
    }

    @Test("Pairwise common-span correlations can be non-PSD; the published Gram matrix is not")
    func pairwiseIsNotPSD() {
        // A and B move together for 200 steps, then C joins; from then on A and B move opposite, C = A = −B.
        var driver = GridDriver(configuration: .testing(halfLifeSteps: 20, warmup: 2, admission: 0.99), assets: 3)
        var generator = SplitMix64(seed: 5)
        var a = 0.0, b = 0.0
        var returns: [[Double]] = [[], [], []]
        let join = 200
        for k in 0..<(join + 10) {
            let move = 0.01 * generator.normal()
            a += move
            b += k <= join ? move : -move
            if k > 0 {
                returns[0].append(move)
                returns[1].append(k <= join ? move : -move)
                returns[2].append(k > join ? move : 0)
            }
            driver.tick(interval: Int64(k), prices: [100 * Foundation.exp(a), 100 * Foundation.exp(b),
                                                     k >= join ? 100 * Foundation.exp(a) : nil])
        }
        driver.close(through: Int64(join + 10))
        // Pairwise estimates, each over the pair's own common span (computed here from the returns).
        let lambda = Foundation.pow(2.0, -1.0 / 20)
        func pairwise(_ i: Int, _ j: Int) -> Double {
            let start = (i == 2 || j == 2) ? join : 0
            var cross = 0.0, first = 0.0, second = 0.0
            for k in start..<returns[0].count {
                let w = Foundation.pow(lambda, Double(returns[0].count - 1 - k))
                cross += w * returns[i][k] * returns[j][k]
                first += w * returns[i][k] * returns[i][k]
                second += w * returns[j][k] * returns[j][k]
            }
            return cross / (first * second).squareRoot()
        }
        let naive = [[1, pairwise(0, 1), pairwise(0, 2)], [pairwise(0, 1), 1, pairwise(1, 2)],
                     [pairwise(0, 2), pairwise(1, 2), 1]]
        #expect((symmetricEigenvalues(naive).first ?? 0) < -0.1)
        #expect(driver.estimator.isInCorrelation(2))
        Self.checkCorrelationMatrix(driver.estimator, "published")
    }

    @Test("Shrinkage intensity 0 reproduces the raw matrix exactly", arguments: [
        ShrinkageTarget.identity, ShrinkageTarget.constantCorrelation,
    ])
    func zeroIntensity(target: ShrinkageTarget) {
        var raw = GridDriver(configuration: .testing(halfLifeSteps: 10, warmup: 2), assets: 6)
        var shrunk = GridDriver(configuration: .testing(halfLifeSteps: 10, warmup: 2,
                                                        shrinkage: .fixed(intensity: 0, target: target)), assets: 6)
        var generator = SplitMix64(seed: 23)
        var logPrices = [Double](repeating: 0, count: 6)
        for k in 0..<80 {
            let market = generator.normal()
            for asset in 0..<6 { logPrices[asset] += 0.01 * (market + generator.normal()) }
            let prices = logPrices.map { Optional(100 * Foundation.exp($0)) }
            raw.tick(interval: Int64(k), prices: prices)
            shrunk.tick(interval: Int64(k), prices: prices)
        }
        raw.close(through: 80)
        shrunk.close(through: 80)
        for i in 0..<6 {
            for j in 0..<6 {
                // Exactness is the requirement under test: (1 − 0)·R + 0·F must equal R.
                #expect(shrunk.estimator.correlation(i, j) == raw.estimator.correlation(i, j))
                #expect(shrunk.estimator.correlation(i, j) == raw.estimator.rawCorrelation(i, j))
            }
        }
        #expect(raw.estimator.rawCorrelation(0, 1) != 0)
    }

    @Test("Fixed shrinkage blends with the target: R* = (1−δ)R + δF")
    func fixedBlend() {
        let delta = 0.25
        var driver = GridDriver(configuration: .testing(halfLifeSteps: 10, warmup: 2,
                                                        shrinkage: .fixed(intensity: delta, target: .constantCorrelation)),
                                assets: 4)
        var generator = SplitMix64(seed: 29)
        var logPrices = [Double](repeating: 0, count: 4)
        for k in 0..<60 {
            let market = generator.normal()
            for asset in 0..<4 { logPrices[asset] += 0.01 * (Double(asset) * market + generator.normal()) }
            driver.tick(interval: Int64(k), prices: logPrices.map { Optional(100 * Foundation.exp($0)) })
        }
        driver.close(through: 60)
        let estimator = driver.estimator
        var sum = 0.0
        for i in 0..<4 { for j in 0..<i { sum += estimator.rawCorrelation(i, j) } }
        let mean = sum / 6
        #expect(estimator.targetCorrelation.isApproximatelyEqual(to: mean, relativeTolerance: 1e-14))
        #expect(estimator.shrinkageIntensity == delta)
        for i in 0..<4 {
            for j in 0..<4 where i != j {
                #expect(estimator.correlation(i, j)
                    .isApproximatelyEqual(to: (1 - delta) * estimator.rawCorrelation(i, j) + delta * mean,
                                          relativeTolerance: 1e-14, scale: 1))
            }
        }
    }

    @Test("Late joiner: identity row until it misses ≤ the admission share of weight, then the Gram value")
    func lateJoiner() {
        let admission = 0.05
        let halfLife = 10.0
        var driver = GridDriver(configuration: .testing(halfLifeSteps: halfLife, warmup: 5, admission: admission),
                                assets: 2)
        let lambda = Foundation.pow(2.0, -1 / halfLife)
        var generator = SplitMix64(seed: 31)
        var logPrice = 0.0
        var returns: [Double] = []
        let join = 100
        var admittedAt: Int?
        for k in 0..<200 {
            let move = 0.01 * generator.normal()
            logPrice += move
            if k > 0 { returns.append(move) }
            let price = 100 * Foundation.exp(logPrice)
            // Asset 1 quotes the same instrument (twice the price) from interval `join` on.
            driver.tick(interval: Int64(k), prices: [price, k >= join ? 2 * price : nil])
            driver.close(through: Int64(k + 1))
            let estimator = driver.estimator
            let younger = Double(max(k - join, 0))  // returns of asset 1 after this step
            let older = Double(k)
            let weightRatio = (1 - Foundation.pow(lambda, younger)) / (1 - Foundation.pow(lambda, older))
            let shouldBeAdmitted = younger > 0 && weightRatio >= 1 - admission
            #expect(estimator.isInCorrelation(1) == shouldBeAdmitted, "step \(k)")
            if younger == 0 {
                #expect(estimator.status(1) == .noData)
                #expect(estimator.pairStatus(0, 1) == .noData)
                continue
            }
            // Over the common span the two return series are identical: covariance = asset 0's variance there.
            let n = returns.count
            var common = 0.0, commonWeight = 0.0, all = 0.0
            for (index, r) in returns.enumerated() {
                let w = Foundation.pow(lambda, Double(n - 1 - index))
                all += w * r * r
                if index >= n - Int(younger) {
                    common += w * r * r
                    commonWeight += w
                }
            }
            #expect(estimator.covariance(0, 1).isApproximatelyEqual(to: common / commonWeight,
                                                                    relativeTolerance: 1e-12))
            #expect(estimator.pairESS(0, 1).isApproximatelyEqual(to: estimator.ess(1), relativeTolerance: 1e-15))
            if shouldBeAdmitted {
                admittedAt = admittedAt ?? k
                // Zero-filled Gram correlation: √(S_common / S_all), documented bias towards 0.
                #expect(estimator.rawCorrelation(0, 1).isApproximatelyEqual(to: (common / all).squareRoot(),
                                                                            relativeTolerance: 1e-12))
                #expect(estimator.rawCorrelation(0, 1) > 0.9)
            } else {
                #expect(estimator.rawCorrelation(0, 1) == 0)
                #expect(estimator.correlation(0, 1) == 0)
            }
        }
        // log2(1/0.05)·h ≈ 43 steps after joining.
        #expect(admittedAt.map { $0 - join } == Int((Foundation.log2(1 / admission) * halfLife).rounded(.up)))
    }
}
