import Foundation
import FulcrumSettings
import FulcrumTestSupport
import RiskEstimation
import Testing

/// One scripted tick stream fed to several estimators alike: random-walk prices with `trueFactors` common factors
/// (or none), some assets joining late, and unless `gaps` is off, skipped ticks, gaps long enough to
/// fast-forward, invalid and late ticks.
private struct TickStream {
    var random: SplitMix64
    let assets: Int
    let trueFactors: Int
    let idiosyncraticShare: Double
    let betas: [Double]
    var prices: [Double]
    var interval: Int64 = 0
    /// Interval from which each asset ticks.
    let joins: [Int64]

    init(seed: UInt64, assets: Int, trueFactors: Int, idiosyncraticShare: Double, joins: [Int64]) {
        random = SplitMix64(seed: seed)
        self.assets = assets
        self.trueFactors = trueFactors
        self.idiosyncraticShare = idiosyncraticShare
        var generator = SplitMix64(seed: seed ^ 0x5eed)
        // The first factor is market-like (loadings 1 ± 0.5), so correlations lean positive.
        betas = (0..<(assets * max(trueFactors, 1))).map { index in
            index % max(trueFactors, 1) == 0 ? 1 + 0.5 * generator.normal() : generator.normal()
        }
        prices = (0..<assets).map { 100 + Double($0) }
        self.joins = joins
    }

    /// Each asset's log return for one interval: a √(1−s)-weighted factor part of unit-norm loadings plus a
    /// √s-weighted idiosyncratic part, σ = 1e-3, so s is every asset's idiosyncratic variance share.
    mutating func returns() -> [Double] {
        let common = (0..<trueFactors).map { _ in random.normal() }
        return (0..<assets).map { asset in
            var factorPart = 0.0
            var norm = 0.0
            for factor in 0..<trueFactors {
                let beta = betas[asset * trueFactors + factor]
                factorPart += beta * common[factor]
                norm += beta * beta
            }
            let systematic = trueFactors > 0 ? factorPart / norm.squareRoot() : 0
            return 1e-3 * ((1 - idiosyncraticShare).squareRoot() * systematic
                           + idiosyncraticShare.squareRoot() * random.normal())
        }
    }

    /// Feeds one interval's ticks to every estimator (the same calls in the same order), with occasional gaps,
    /// skipped ticks, invalid prices and late ticks. Returns the grid steps the first estimator closed.
    mutating func advance(_ estimators: inout [RiskEstimator], gaps: Bool = true,
                          onStep: (GridStep, RiskEstimator) -> Void = { _, _ in }) -> [GridStep] {
        let gridInterval = estimators[0].configuration.gridInterval
        if gaps && Double.random(in: 0..<1, using: &random) < 0.01 {
            interval += Int64.random(in: 5...40, using: &random)
        }
        interval += 1
        let moves = returns()
        var steps: [GridStep] = []
        let start = GridDriver.origin + interval * gridInterval
        for asset in 0..<assets where interval >= joins[asset] {
            prices[asset] *= Foundation.exp(moves[asset])
            if gaps && Double.random(in: 0..<1, using: &random) < 0.05 { continue }
            let time = start + Int64(asset) * 1_000 + Int64.random(in: 0..<(gridInterval / 2), using: &random)
            var price = prices[asset]
            if gaps && Double.random(in: 0..<1, using: &random) < 0.01 {
                price = [Double.nan, -1, 0][Int.random(in: 0..<3, using: &random)]
            }
            for index in estimators.indices {
                while let step = estimators[index].closeNextInterval(upTo: time) {
                    if index == 0 {
                        steps.append(step)
                        onStep(step, estimators[0])
                    }
                }
                estimators[index].record(asset: asset, timestamp: time, price: price)
            }
            if gaps && Double.random(in: 0..<1, using: &random) < 0.01 {
                for index in estimators.indices {
                    estimators[index].record(asset: asset, timestamp: start - 2 * gridInterval, price: price)
                }
            }
        }
        return steps
    }
}

private func configuration(_ model: CorrelationModel, shrinkage: Shrinkage = .none,
                           halfLifeSteps: Double = 10) -> EstimatorConfiguration {
    var configuration = EstimatorConfiguration.testing(halfLifeSteps: halfLifeSteps, window: 20, warmup: 5,
                                                       shrinkage: shrinkage, admission: 0.05)
    configuration.residualCapacity = 64
    configuration.maxCatchUpSteps = 4
    configuration.lateness = 100_000_000
    configuration.correlationModel = model
    return configuration
}

private func factors(_ count: Int) -> CorrelationModel {
    var configuration = FactorConfiguration()
    configuration.factors = count
    configuration.orthonormalizationPeriod = 50
    return .factors(configuration)
}

private func estimator(_ configuration: EstimatorConfiguration, assets: Int) -> RiskEstimator {
    var estimator = RiskEstimator(configuration: configuration, assetCapacity: assets)
    for _ in 0..<assets { _ = estimator.addAsset() }
    return estimator
}

/// The loadings of `asset` as `storeCorrelationLoadings` writes them.
private func storedLoadings(_ estimator: RiskEstimator, _ asset: Int) -> [Double] {
    let count = estimator.correlationFactorCount
    var bytes = [UInt8](repeating: 0xAB, count: 8 * count + 1)
    bytes.withUnsafeMutableBytes { estimator.storeCorrelationLoadings(asset: asset, into: $0.baseAddress!) }
    #expect(bytes[8 * count] == 0xAB, "nothing written beyond the k loadings")
    return (0..<count).map { factor in
        var bits: UInt64 = 0
        for byte in 0..<8 { bits |= UInt64(bytes[8 * factor + byte]) << (8 * byte) }
        return Double(bitPattern: bits)
    }
}

@Suite("Factor correlation mode of the estimator")
struct FactorModeTests {
    /// Everything per asset (variances of both methods, ESS, status, residuals, staleness, stressed EWMA,
    /// admission, standardized moves, counters) and the diagonal covariance never touch the correlation model, so
    /// they must agree bit for bit with the full mode over a stream with late joiners, fast-forwarded gaps, invalid
    /// and late ticks.
    @Test("Per-asset estimates are bit-identical to the full mode", arguments: [Shrinkage.none,
        Shrinkage.fixed(intensity: 0.25, target: .constantCorrelation)])
    func perAssetEstimatesMatchFullMode(shrinkage: Shrinkage) {
        let assets = 7
        var stream = TickStream(seed: 21, assets: assets, trueFactors: 2, idiosyncraticShare: 0.5,
                                joins: [0, 0, 0, 0, 30, 90, 400])
        var pair = [estimator(configuration(.full, shrinkage: shrinkage), assets: assets),
                    estimator(configuration(factors(3), shrinkage: shrinkage), assets: assets)]
        var fastForwarded = 0
        for _ in 0..<900 {
            let steps = stream.advance(&pair)
            fastForwarded += steps.filter { $0.closedBoundaries > 1 }.count
            let (full, factor) = (pair[0], pair[1])
            #expect(full.stepCount == factor.stepCount && full.lateTicks == factor.lateTicks
                    && full.invalidTicks == factor.invalidTicks)
            #expect(full.largestStandardizedMove == factor.largestStandardizedMove)
            #expect(full.shrinkageIntensity.bitPattern == factor.shrinkageIntensity.bitPattern)
            for i in 0..<assets {
                #expect(full.variance(i).bitPattern == factor.variance(i).bitPattern)
                #expect(full.ewmaVariance(i).bitPattern == factor.ewmaVariance(i).bitPattern)
                #expect(full.windowVariance(i).bitPattern == factor.windowVariance(i).bitPattern)
                #expect(full.covariance(i, i).bitPattern == factor.covariance(i, i).bitPattern)
                #expect(full.ess(i).bitPattern == factor.ess(i).bitPattern)
                #expect(full.stressedVariance(i).bitPattern == factor.stressedVariance(i).bitPattern)
                #expect(full.stressedVolatility(i).bitPattern == factor.stressedVolatility(i).bitPattern)
                #expect(full.status(i) == factor.status(i) && full.staleness(i) == factor.staleness(i))
                #expect(full.isInCorrelation(i) == factor.isInCorrelation(i))
                #expect(full.isReadyForPairs(i) == factor.isReadyForPairs(i))
                #expect(full.returnCount(i) == factor.returnCount(i))
                #expect(full.lastReturn(i).bitPattern == factor.lastReturn(i).bitPattern)
                #expect(full.lastStandardizedReturn(i)?.bitPattern == factor.lastStandardizedReturn(i)?.bitPattern)
                #expect(full.residualsAppended(i) == factor.residualsAppended(i))
                #expect(full.residualCount(i) == factor.residualCount(i))
                for index in 0..<full.residualCount(i) {
                    #expect(full.residual(asset: i, at: index).bitPattern
                            == factor.residual(asset: i, at: index).bitPattern)
                }
                for j in 0..<assets {
                    #expect(full.pairESS(i, j).bitPattern == factor.pairESS(i, j).bitPattern)
                    #expect(full.pairStatus(i, j) == factor.pairStatus(i, j))
                }
            }
        }
        #expect(fastForwarded >= 3, "the stream fast-forwarded some gaps")
        #expect(pair[0].lateTicks > 0 && pair[0].invalidTicks > 0)
        #expect((0..<assets).allSatisfy { pair[1].isInCorrelation($0) }, "the late joiners were admitted by the end")
    }

    /// The estimator's factor model is a `FactorCovariance` fed the step's returns (an asset present once it has
    /// had a first return) and, for a fast-forwarded gap, the closed form of that many zero steps. Driving one
    /// directly, one step at a time (gaps as single zero steps), must give the same correlations: with
    /// c_i = σ²_i·(1 − λ^(n_i)) the model's own EWMA sum (its C_ii) and W = 1 − λ^t,
    /// (U Λ Uᵀ)_ij / √(c_i c_j) = factorCovariance·W / √(c_i c_j). Tolerance 1e-12: both sides differ only by
    /// the rounding of λ^s against s products and of the two normalizations (a few ulps, contracted by λ each
    /// step); a wrong normalization (W in place of the assets' own weights, a missing 1−λ) shows at 1e-2 or more
    /// for the late joiners.
    @Test("Factor-mode correlations equal a factor model driven directly with the same returns")
    func matchesDirectFactorModel() {
        let assets = 7
        let model = factors(3)
        let configuration = configuration(model)
        var stream = TickStream(seed: 5, assets: assets, trueFactors: 2, idiosyncraticShare: 0.4,
                                joins: [0, 0, 0, 10, 40, 150, 500])
        var estimators = [estimator(configuration, assets: assets)]
        guard case .factors(var direct) = model else { return }
        direct.decay = configuration.decay
        var reference = FactorCovariance(configuration: direct, assetCount: assets)
        let lambda = configuration.decay
        var compared = 0
        var fastForwarded = 0
        var worst = 0.0
        for _ in 0..<1_200 {
            _ = stream.advance(&estimators) { step, estimator in
                let present = (0..<assets).map { estimator.returnCount($0) > 0 }
                if step.closedBoundaries > 1 {
                    fastForwarded += 1
                    for _ in 0..<step.closedBoundaries {
                        reference.update(returns: Array(repeating: 0, count: assets), present: present)
                    }
                } else {
                    reference.update(returns: (0..<assets).map { estimator.lastReturn($0) }, present: present)
                }
                let gridWeight = 1 - Foundation.pow(lambda, Double(reference.stepCount))
                let own = (0..<assets).map {
                    reference.variance($0) * (1 - Foundation.pow(lambda, Double(reference.returnCount($0))))
                }
                for i in 0..<assets {
                    for j in 0..<assets where i != j {
                        guard estimator.isInCorrelation(i) && estimator.isInCorrelation(j) else {
                            #expect(estimator.rawCorrelation(i, j) == 0)
                            continue
                        }
                        let expected = reference.factorCovariance(i, j) * gridWeight / (own[i] * own[j]).squareRoot()
                        let error = abs(estimator.rawCorrelation(i, j) - expected)
                        worst = max(worst, error)
                        #expect(error <= 1e-12, "ρ(\(i), \(j)) at step \(estimator.stepCount)")
                        compared += 1
                    }
                }
            }
        }
        print("factor mode vs a directly driven factor model: worst |Δρ| \(worst) over \(compared) entries")
        #expect(fastForwarded >= 3 && compared > 10_000)
        #expect((0..<assets).allSatisfy { estimators[0].isInCorrelation($0) })
    }

    /// `storeCorrelations` writes `correlation` bit for bit, `storeCorrelationLoadings` writes
    /// `correlationLoading`, and the plain ascending sum Σ_f L_if·L_jf, clamped, is `rawCorrelation` bit for bit:
    /// what a consumer of the loadings on the wire recomputes (a Python loop of `s += a * b` rounds alike).
    @Test("Stored rows and loadings reproduce the accessors bit for bit", arguments: [
        Shrinkage.none, Shrinkage.fixed(intensity: 0.2, target: .constantCorrelation),
        Shrinkage.fixed(intensity: 0.35, target: .identity),
    ])
    func storedValuesAreBitIdentical(shrinkage: Shrinkage) {
        let assets = 9
        var stream = TickStream(seed: 8, assets: assets, trueFactors: 3, idiosyncraticShare: 0.3,
                                joins: [0, 0, 0, 0, 0, 0, 20, 60, 100_000])
        var estimators = [estimator(configuration(factors(4), shrinkage: shrinkage), assets: assets)]
        #expect(estimators[0].correlationFactorCount == 4)
        var admittedPairs = 0
        for round in 0..<400 {
            _ = stream.advance(&estimators)
            guard round % 25 == 24 else { continue }
            let estimator = estimators[0]
            let loadings = (0..<assets).map { storedLoadings(estimator, $0) }
            for i in 0..<assets {
                for factor in 0..<4 {
                    #expect(loadings[i][factor].bitPattern == estimator.correlationLoading(i, factor: factor).bitPattern)
                }
                if !estimator.isInCorrelation(i) { #expect(loadings[i].allSatisfy { $0 == 0 }) }
                var row = [UInt8](repeating: 0, count: 8 * (assets - i))
                row.withUnsafeMutableBytes {
                    estimator.storeCorrelations(row: i, count: assets - i, into: $0.baseAddress!)
                }
                for offset in 0..<(assets - i) {
                    var bits: UInt64 = 0
                    for byte in 0..<8 { bits |= UInt64(row[8 * offset + byte]) << (8 * byte) }
                    #expect(bits == estimator.correlation(i, i + offset).bitPattern, "(\(i), \(i + offset))")
                }
                for j in 0..<assets where j != i && estimator.isInCorrelation(i) && estimator.isInCorrelation(j) {
                    var sum = 0.0
                    for factor in 0..<4 { sum += loadings[i][factor] * loadings[j][factor] }
                    #expect(min(max(sum, -1), 1).bitPattern == estimator.rawCorrelation(i, j).bitPattern)
                    #expect(estimator.rawCorrelation(i, j).bitPattern == estimator.rawCorrelation(j, i).bitPattern)
                    admittedPairs += 1
                }
            }
        }
        #expect(admittedPairs > 500)
        #expect(!estimators[0].isInCorrelation(8), "an asset without prices stays out")
    }

    /// With data driven by 3 factors, the factor mode (k = 3) must stay close to the full matrix. A rank-k model
    /// cannot reproduce the sample correlations of the idiosyncratic parts, which off the diagonal are
    /// ≈ N(0, s²/ESS) for an idiosyncratic share s (here 0.3 for every asset), so the RMS difference is about
    /// s/√ESS whatever the model (FactorCovarianceTests measures the batch truncation at 1.05 times that); bound:
    /// 1.25·s/√ESS. k = 1 misses two factors and must be at least twice as far. With k ≥ N the model is exact,
    /// late joiners and gaps included: 1e-10.
    @Test("Close to the full matrix with k true factors, exact with k ≥ N")
    func accuracyAgainstFullMode() {
        let assets = 24
        let share = 0.3
        var stream = TickStream(seed: 13, assets: assets, trueFactors: 3, idiosyncraticShare: share,
                                joins: (0..<assets).map { $0 < 22 ? 0 : 150 })
        var estimators = [configuration(.full, halfLifeSteps: 40), configuration(factors(3), halfLifeSteps: 40),
                          configuration(factors(1), halfLifeSteps: 40)].map { estimator($0, assets: assets) }
        for _ in 0..<1_500 { _ = stream.advance(&estimators, gaps: false) }
        func rms(_ estimator: RiskEstimator) -> Double {
            var squares = 0.0
            var count = 0
            for i in 0..<assets {
                for j in 0..<i {
                    let difference = estimator.rawCorrelation(i, j) - estimators[0].rawCorrelation(i, j)
                    squares += difference * difference
                    count += 1
                }
            }
            return (squares / Double(count)).squareRoot()
        }
        #expect((0..<assets).allSatisfy { estimators[1].isInCorrelation($0) })
        let noise = share / estimators[0].ewmaESS(0).squareRoot()
        let three = rms(estimators[1])
        let one = rms(estimators[2])
        print("factor mode vs full: RMS |Δρ| k = 3: \(three), k = 1: \(one), idiosyncratic noise s/√ESS \(noise)")
        #expect(three <= 1.25 * noise)
        #expect(one >= 2 * three)

        let small = 6
        var exactStream = TickStream(seed: 17, assets: small, trueFactors: 0, idiosyncraticShare: 1,
                                     joins: [0, 0, 0, 5, 50, 120])
        var exact = [estimator(configuration(.full), assets: small), estimator(configuration(factors(small)), assets: small)]
        var worst = 0.0
        for _ in 0..<600 {
            _ = exactStream.advance(&exact)
            for i in 0..<small {
                for j in 0..<small {
                    worst = max(worst, abs(exact[0].correlation(i, j) - exact[1].correlation(i, j)))
                    if i != j && exact[0].returnCount(i) > 0 && exact[0].returnCount(j) > 0 {
                        let scale = (exact[0].ewmaVariance(i) * exact[0].ewmaVariance(j)).squareRoot()
                        #expect(abs(exact[0].covariance(i, j) - exact[1].covariance(i, j)) <= 1e-10 * scale)
                    }
                }
            }
        }
        print("factor mode with k = N vs full: worst |Δρ| \(worst)")
        #expect(worst <= 1e-10)
    }

    /// The constant-correlation target's ρ̄ is formed in O(N·k) from the loadings; it must equal the brute-force
    /// mean of the raw correlations over the admitted pairs (1e-12: the O(N·k) form skips the clamp, which moves
    /// entries by rounding only, and sums in another order), and the published correlation must be
    /// (1 − δ)·raw + δ·ρ̄ for admitted pairs.
    @Test("The constant-correlation target is the mean factor correlation of the admitted pairs")
    func targetCorrelationMatchesBruteForce() {
        let assets = 10
        let intensity = 0.3
        var stream = TickStream(seed: 31, assets: assets, trueFactors: 2, idiosyncraticShare: 0.5,
                                joins: [0, 0, 0, 0, 0, 15, 80, 200, 300, 450])
        var estimators = [estimator(configuration(factors(3),
                                                  shrinkage: .fixed(intensity: intensity, target: .constantCorrelation)),
                                    assets: assets)]
        var checked = 0
        var partial = 0
        for _ in 0..<700 {
            _ = stream.advance(&estimators)
            let estimator = estimators[0]
            let admitted = (0..<assets).filter { estimator.isInCorrelation($0) }
            guard admitted.count >= 2 else {
                #expect(estimator.targetCorrelation == 0)
                continue
            }
            if admitted.count < assets { partial += 1 }
            var sum = 0.0
            var pairs = 0
            for (index, i) in admitted.enumerated() {
                for j in admitted[..<index] {
                    sum += estimator.rawCorrelation(i, j)
                    pairs += 1
                }
            }
            #expect(abs(estimator.targetCorrelation - sum / Double(pairs)) <= 1e-12)
            #expect(estimator.shrinkageIntensity == intensity)
            for i in admitted {
                for j in admitted where j != i {
                    let expected = (1 - intensity) * estimator.rawCorrelation(i, j)
                        + intensity * estimator.targetCorrelation
                    #expect(estimator.correlation(i, j).bitPattern == expected.bitPattern)
                }
            }
            checked += 1
        }
        #expect(checked > 500 && partial > 20, "checked with some assets outside the correlation")
        #expect(abs(estimators[0].targetCorrelation) > 0.05, "a target away from 0 (two common factors)")
    }

    @Test("Ledoit–Wolf shrinkage with factors is refused; the factor configuration is checked under its key")
    func validation() throws {
        var configuration = EstimatorConfiguration()
        configuration.correlationModel = factors(4)
        configuration.shrinkage = .ledoitWolf(target: .identity)
        do {
            try configuration.validate(keyPrefix: "estimation")
            Issue.record("Ledoit–Wolf with factors accepted")
        } catch {
            #expect(error.key == "estimation.correlationModel")
        }
        configuration.shrinkage = .fixed(intensity: 0.5, target: .constantCorrelation)
        try configuration.validate()
        configuration.shrinkage = .none
        try configuration.validate()
        guard case .factors(var factorConfiguration) = configuration.correlationModel else { return }
        // The payload's decay is not used, so not checked either.
        factorConfiguration.decay = 7
        configuration.correlationModel = .factors(factorConfiguration)
        try configuration.validate()
        factorConfiguration.factors = 65
        configuration.correlationModel = .factors(factorConfiguration)
        do {
            try configuration.validate()
            Issue.record("65 factors accepted")
        } catch {
            #expect(error.key == "correlationModel.factors.factors")
        }
        factorConfiguration.factors = 4
        factorConfiguration.idiosyncraticFloor = 1
        configuration.correlationModel = .factors(factorConfiguration)
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
    }

    @Test("The correlation model is coded like Shrinkage, without the ignored decay; a missing key is full")
    func configurationCoding() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var factorConfiguration = FactorConfiguration()
        factorConfiguration.factors = 4
        factorConfiguration.orthonormalizationPeriod = 77
        factorConfiguration.idiosyncraticFloor = 0.001
        factorConfiguration.decay = 0.5
        let model = CorrelationModel.factors(factorConfiguration)
        let text = String(decoding: try encoder.encode(model), as: UTF8.self)
        #expect(text == #"{"factors":{"factors":4,"idiosyncraticFloor":0.001,"orthonormalizationPeriod":77}}"#)
        #expect(String(decoding: try encoder.encode(CorrelationModel.full), as: UTF8.self) == #"{"full":{}}"#)
        let decoded = try JSONDecoder().decode(CorrelationModel.self, from: Data(text.utf8))
        #expect(decoded == model && decoded.hashValue == model.hashValue)
        guard case .factors(let decodedConfiguration) = decoded else { Issue.record("not factors"); return }
        #expect(decodedConfiguration.decay == FactorConfiguration().decay)
        let defaults = try JSONDecoder().decode(CorrelationModel.self, from: Data(#"{"factors":{"decay":0.1}}"#.utf8))
        #expect(defaults == .factors(FactorConfiguration()))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(CorrelationModel.self, from: Data(#"{"full":{},"factors":{}}"#.utf8))
        }

        var configuration = EstimatorConfiguration()
        #expect(String(decoding: try encoder.encode(configuration), as: UTF8.self)
            .contains(#""correlationModel":{"full":{}}"#))
        configuration.correlationModel = model
        configuration.halfLife = 30_000_000_000
        let data = try encoder.encode(configuration)
        #expect(try JSONDecoder().decode(EstimatorConfiguration.self, from: data) == configuration)
        #expect(try JSONDecoder().decode(EstimatorConfiguration.self, from: Data("{}".utf8)).correlationModel == .full)
        #expect(CorrelationModel.factors(FactorConfiguration(estimation: configuration, factors: 10))
            == .factors(FactorConfiguration()), "the decay plays no part in equality")
    }

    /// A checkpoint of the factor mode restores bit for bit and continues identically; its pair state is the N
    /// diagonal sums plus the factor model.
    @Test("Codable round trip of the factor mode, and identical continuation")
    func estimatorRoundTrip() throws {
        let assets = 6
        var stream = TickStream(seed: 41, assets: assets, trueFactors: 2, idiosyncraticShare: 0.5,
                                joins: [0, 0, 0, 0, 60, 200])
        let configuration = configuration(factors(3), shrinkage: .fixed(intensity: 0.1, target: .constantCorrelation))
        var estimators = [estimator(configuration, assets: assets)]
        for _ in 0..<300 { _ = stream.advance(&estimators) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(estimators[0])
        let object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((object["crossSum"] as? [Any])?.count == assets)
        #expect((object["fourthSum"] as? [Any])?.isEmpty == true)
        #expect(object["factorModel"] != nil)
        let restored = try JSONDecoder().decode(RiskEstimator.self, from: data)
        #expect(try encoder.encode(restored) == data)
        #expect(restored.configuration == configuration)
        estimators.append(restored)
        func expectIdentical(_ a: RiskEstimator, _ b: RiskEstimator) {
            #expect(a.targetCorrelation.bitPattern == b.targetCorrelation.bitPattern)
            for i in 0..<assets {
                for factor in 0..<3 {
                    #expect(a.correlationLoading(i, factor: factor).bitPattern
                            == b.correlationLoading(i, factor: factor).bitPattern)
                }
                for j in 0..<assets {
                    #expect(a.correlation(i, j).bitPattern == b.correlation(i, j).bitPattern)
                    #expect(a.covariance(i, j).bitPattern == b.covariance(i, j).bitPattern)
                }
            }
        }
        expectIdentical(estimators[0], estimators[1])
        for _ in 0..<400 { _ = stream.advance(&estimators) }
        expectIdentical(estimators[0], estimators[1])
        #expect(try encoder.encode(estimators[1]) == encoder.encode(estimators[0]))
    }

    @Test("A decoded state whose correlation model and arrays disagree is refused with the field named")
    func inconsistentStateIsRefused() throws {
        let assets = 4
        var stream = TickStream(seed: 43, assets: assets, trueFactors: 1, idiosyncraticShare: 0.5,
                                joins: [0, 0, 0, 0])
        var estimators = [estimator(configuration(factors(2)), assets: assets),
                          estimator(configuration(.full), assets: assets)]
        for _ in 0..<60 { _ = stream.advance(&estimators) }
        func object(_ estimator: RiskEstimator) throws -> [String: Any] {
            try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(estimator)) as? [String: Any])
        }
        func expectRefused(_ object: [String: Any], field: String) throws {
            let data = try JSONSerialization.data(withJSONObject: object)
            #expect {
                _ = try JSONDecoder().decode(RiskEstimator.self, from: data)
            } throws: { error in
                (error as? RiskEstimationError).map { $0.code == .invalidState && $0.context["field"] == field }
                    ?? false
            }
        }
        let factorState = try object(estimators[0])
        let fullState = try object(estimators[1])
        var missing = factorState
        missing["factorModel"] = nil
        try expectRefused(missing, field: "factorModel")
        var extra = fullState
        extra["factorModel"] = factorState["factorModel"]
        try expectRefused(extra, field: "factorModel")
        var triangle = factorState
        triangle["crossSum"] = fullState["crossSum"]
        try expectRefused(triangle, field: "crossSum")
        var otherFactors = factorState
        var configuration = try #require(otherFactors["configuration"] as? [String: Any])
        configuration["correlationModel"] = ["factors": ["factors": 3]]
        otherFactors["configuration"] = configuration
        try expectRefused(otherFactors, field: "factorModel")
        var otherDecay = factorState
        configuration = try #require(otherDecay["configuration"] as? [String: Any])
        configuration["halfLife"] = 20_000_000_000
        otherDecay["configuration"] = configuration
        try expectRefused(otherDecay, field: "factorModel")
        var fewer = factorState
        configuration = try #require(fewer["configuration"] as? [String: Any])
        var fewerModel = try #require(fewer["factorModel"] as? [String: Any])
        for key in ["ownSum", "ownWeight", "returnCount"] {
            fewerModel[key] = (fewerModel[key] as? [Any]).map { Array($0.dropLast()) }
        }
        fewerModel["loadings"] = (fewerModel["loadings"] as? [Any]).map { Array($0.dropLast(2)) }
        fewer["factorModel"] = fewerModel
        try expectRefused(fewer, field: "factorModel")
    }

    /// At N = 2,000 the factor mode holds O(N·k) correlation state: no N(N+1)/2 array (16 MB here), just the N
    /// diagonal sums, N·k loadings, per-asset scales and the factor model's 8·N·(k + 6) bytes.
    @Test("The factor mode allocates nothing quadratic in the assets")
    func memoryIsLinear() throws {
        let assets = 2_000
        let k = 8
        var factorEstimator = estimator(configuration(factors(k)), assets: assets)
        let base = GridDriver.origin
        for step in 0..<4 {
            for asset in 0..<assets {
                factorEstimator.record(asset: asset, timestamp: base + Int64(step) * 1_000_000_000 + 500_000_000 + Int64(asset),
                                       price: 100 + Double((asset * 7 + step * 3) % 11))
            }
        }
        #expect(factorEstimator.stepCount == 3)
        let bytes = factorEstimator.correlationMemoryBytes
        let bound = 8 * assets * (2 * k + 16) + 65_536
        print("correlation state at N = \(assets), k = \(k): \(bytes) bytes (the full triangle alone: "
              + "\(8 * assets * (assets + 1) / 2))")
        #expect(bytes <= bound)
        let fullEstimator = estimator(configuration(.full), assets: assets)
        #expect(fullEstimator.correlationMemoryBytes >= 8 * assets * (assets + 1) / 2)
        #expect(fullEstimator.correlationFactorCount == 0)
        let state = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(factorEstimator))
            as? [String: Any])
        #expect((state["crossSum"] as? [Any])?.count == assets)
    }
}
