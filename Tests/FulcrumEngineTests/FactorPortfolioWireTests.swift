import Foundation
import FulcrumService
import FulcrumTestSupport
import MarketData
import RiskEstimation
import Testing
@testable import FulcrumEngine
@testable import FulcrumProtocol

/// The engine's portfolio update with the factor correlation model: the factor form on the wire, and its
/// expansion by the protocol's rule equal to the engine's own correlations bit for bit.
@Suite("Portfolio update in factor form")
struct FactorPortfolioWireTests {
    static let second: Int64 = 1_000_000_000
    static let start: Int64 = 1_700_000_000_000_000_000
    static let symbols = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF"]

    /// Six symbols driven by two common factors and their own noise; FFF joins late (its pairs stay warming
    /// longer), and the shrinkage is fixed with the constant-correlation target, so that every term of the
    /// expansion rule is exercised. `factors` 0 is the full matrix.
    static func engine(factors: Int) throws -> RiskEngine {
        var configuration = FulcrumConfiguration.smallEngine(
            feeds: [FeedConfiguration(name: "test", endpoint: "tcp://127.0.0.1:5999")], symbols: symbols)
        configuration.estimation.shrinkage = .fixed(intensity: 0.2, target: .constantCorrelation)
        if factors > 0 {
            configuration.estimation.correlationModel = .factors(
                FactorConfiguration(estimation: configuration.estimation, factors: factors))
        }
        return try RiskEngine(configuration: configuration.engine, epoch: 3)
    }

    static func drive(_ engine: inout RiskEngine, steps: Range<Int>, emit: (RiskEngine.Update) -> Void) throws {
        var random = SplitMix64(seed: 29)
        var logPrices = symbols.indices.map { Double($0) + 2 }
        var sequence: UInt64 = 0
        for k in steps {
            let market = 0.01 * random.nextGaussian(), sector = 0.01 * random.nextGaussian()
            for (index, symbol) in symbols.enumerated() where index < 5 || k >= 30 {
                let exposure = index < 3 ? (1.0, 0.5) : (0.6, -0.8)
                logPrices[index] += exposure.0 * market + exposure.1 * sector + 0.004 * random.nextGaussian()
                sequence += 1
                let time = start + Int64(k) * second + Int64(index + 1) * 10_000_000
                let frames = try tickFrames(symbol, price: exp(logPrices[index]), at: time, sequence: sequence)
                frames.topic.withUnsafeBytes { first in
                    frames.payload.withUnsafeBytes { second in
                        _ = engine.ingest(feed: 0, frameCount: 2, first, second, receiptTime: time + 1_000_000,
                                          emit: emit)
                    }
                }
            }
        }
    }

    /// The protocol's rule (protocols/README.md, "Factor form"), written out independently of the estimator.
    static func expand(_ message: WirePortfolioUpdate, _ i: Int, _ j: Int) -> Double {
        if i == j { return 1 }
        guard message.correlationAdmitted[i] && message.correlationAdmitted[j] else { return 0 }
        let k = Int(message.factorCount)
        var sum = 0.0
        for f in 0..<k {
            sum += message.correlationLoadings[i * k + f] * message.correlationLoadings[j * k + f]
        }
        let raw = min(max(sum, -1), 1)
        return (1 - message.shrinkageIntensity) * raw + message.shrinkageIntensity * message.shrinkageTarget
    }

    @Test("The factor form carries n·k loadings; expanded by the rule it equals the engine's correlations bit for bit",
          arguments: [1, 2, 4])
    func expansionEqualsEngine(factors: Int) throws {
        var engine = try Self.engine(factors: factors)
        var portfolios: [WirePortfolioUpdate] = []
        try Self.drive(&engine, steps: 0..<120) { update in
            guard update.topic == RiskEngine.portfolioTopic else { return }
            if let message = try? WirePortfolioUpdate(serializedBytes: update.payload) { portfolios.append(message) }
        }
        try #require(!portfolios.isEmpty)
        var republished: [RiskEngine.Update] = []
        engine.republishAll { republished.append($0) }
        let message = try WirePortfolioUpdate(serializedBytes: try #require(republished.last).payload)
        let n = Self.symbols.count
        #expect(message.symbols == Self.symbols)
        #expect(message.factorCount == UInt32(factors))
        #expect(message.correlation.isEmpty && message.pairReady.isEmpty)
        #expect(message.correlationLoadings.count == n * factors)
        #expect(message.correlationAdmitted == (0..<n).map { engine.estimator.isInCorrelation($0) })
        #expect(message.symbolReady == (0..<n).map { engine.estimator.isReadyForPairs($0) })
        #expect(message.shrinkageIntensity == 0.2)
        #expect(message.shrinkageTarget == engine.estimator.targetCorrelation)
        #expect(message.correlationAdmitted.allSatisfy { $0 }, "every symbol has moved for 90 steps or more")
        for i in 0..<n {
            for j in 0..<n {
                #expect(Self.expand(message, i, j).bitPattern == engine.estimator.correlation(i, j).bitPattern,
                        "ρ(\(i), \(j)) with \(factors) factors")
            }
        }
        // Every step's portfolio was in factor form too.
        #expect(portfolios.allSatisfy { $0.factorCount == UInt32(factors) && $0.correlation.isEmpty })
    }

    /// RMS over the off-diagonal pairs of the factor model's correlations against the full matrix's, on the same
    /// ticks.
    static func distanceToFullMatrix(factors: Int) throws -> Double {
        var model = try engine(factors: factors)
        var full = try engine(factors: 0)
        try drive(&model, steps: 0..<120) { _ in }
        try drive(&full, steps: 0..<120) { _ in }
        var sum = 0.0, pairs = 0.0
        for i in symbols.indices {
            for j in symbols.indices where j > i {
                let difference = model.estimator.correlation(i, j) - full.estimator.correlation(i, j)
                sum += difference * difference
                pairs += 1
            }
        }
        return (sum / pairs).squareRoot()
    }

    /// Six symbols on two common factors: one factor cannot carry the second (RMS error about 0.25 on this
    /// path), four leave only what a rank-4-plus-diagonal model cannot hold of the sample's idiosyncratic
    /// correlations (≈ 0.04 here; the noise of one such correlation is about 1/√ESS ≈ 0.19 at the 10 s half-life).
    @Test("More factors bring the model's correlations to the full matrix's")
    func factorsApproachFullMatrix() throws {
        let one = try Self.distanceToFullMatrix(factors: 1)
        let four = try Self.distanceToFullMatrix(factors: 4)
        #expect(four < 0.1, "RMS |Δρ| with 4 factors: \(four)")
        #expect(one > 2 * four, "RMS |Δρ| with 1 factor \(one), with 4 \(four)")
    }
}
