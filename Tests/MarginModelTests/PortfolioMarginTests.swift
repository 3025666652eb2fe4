import FulcrumSettings
import FulcrumTestSupport
import Testing
@testable import MarginModel

@Suite("Portfolio margin")
struct PortfolioMarginTests {
    static func matrix(_ rho: Double) -> CorrelationMatrix {
        CorrelationMatrix(dimension: 2, layout: .rowMajor, values: [1, rho, rho, 1])
    }

    @Test("Risk multiplier is the standardized ES or VaR of the configured distribution")
    func multiplier() throws {
        let normal = try PortfolioMargin(configuration: PortfolioMarginConfiguration(degreesOfFreedom: nil))
        // ES₉₉ of a standard normal: φ(2.3263)/0.01 = 2.6652.
        #expect(normal.riskMultiplier.isApproximatelyEqual(to: 2.665214220345808, relativeTolerance: 1e-9))
        let tVaR = try PortfolioMargin(configuration: PortfolioMarginConfiguration(riskMeasure: .valueAtRisk,
                                                                                   degreesOfFreedom: 4))
        // scipy.stats.t.ppf(0.99, 4) = 3.746947387979196, times √(2/4).
        #expect(tVaR.riskMultiplier.isApproximatelyEqual(to: 3.746947387979196 * 0.5.squareRoot(),
                                                         relativeTolerance: 1e-9))
    }

    @Test("Perfectly correlated longs get no credit; a hedge gets the capped credit")
    func correlatedAndHedged() throws {
        let calculator = try PortfolioMargin()
        let same = calculator.compute(notionals: [1e6, 2e6], horizonSigmas: [0.02, 0.03],
                                      correlations: Self.matrix(1), standaloneMargins: [30_000, 80_000])
        #expect(same.credit.isApproximatelyEqual(to: 0, absoluteTolerance: 1e-9))
        #expect(same.margin.isApproximatelyEqual(to: 110_000, relativeTolerance: 1e-12))

        let hedge = calculator.compute(notionals: [1e6, -1e6], horizonSigmas: [0.02, 0.02],
                                       correlations: Self.matrix(0.95), standaloneMargins: [30_000, 30_000])
        // σ_p/Σ|w|σ = √(2 − 2·0.95)/2 ≈ 0.158: 84 % credit uncapped, 50 % after the cap.
        #expect(hedge.uncappedCredit.isApproximatelyEqual(to: (1 - 0.1.squareRoot() / 2) * 60_000,
                                                          relativeTolerance: 1e-12))
        #expect(hedge.creditCapped && hedge.credit.isApproximatelyEqual(to: 30_000, relativeTolerance: 1e-12))
        #expect(hedge.margin.isApproximatelyEqual(to: 30_000, relativeTolerance: 1e-12))
    }

    @Test("Uncorrelated positions: credit from √(Σ x²) versus Σ |x|, below the cap")
    func uncorrelated() throws {
        let calculator = try PortfolioMargin(configuration: PortfolioMarginConfiguration(maximumCreditFraction: 1))
        let result = calculator.compute(notionals: [1e6, 1e6, 1e6], horizonSigmas: [0.01, 0.01, 0.01],
                                        correlations: CorrelationMatrix(dimension: 3, layout: .packedLowerTriangle,
                                                                        values: [1, 0, 1, 0, 0, 1]))
        let m = calculator.riskMultiplier
        #expect(result.standaloneSum.isApproximatelyEqual(to: 3 * m * 1e4, relativeTolerance: 1e-12))
        #expect(result.diversifiedRisk.isApproximatelyEqual(to: 3.0.squareRoot() * m * 1e4, relativeTolerance: 1e-12))
        #expect(result.margin.isApproximatelyEqual(to: 3.0.squareRoot() * m * 1e4, relativeTolerance: 1e-12))
    }

    @Test("Pairs still warming get no credit")
    func warmingPairs() throws {
        let calculator = try PortfolioMargin(configuration: PortfolioMarginConfiguration(maximumCreditFraction: 1))
        let correlations = CorrelationMatrix(dimension: 3, layout: .rowMajor,
                                             values: [1, -0.8, 0, -0.8, 1, 0, 0, 0, 1])
        let ready = calculator.compute(notionals: [1e6, 1e6, 0], horizonSigmas: [0.01, 0.01, 0.01],
                                       correlations: correlations)
        let warming = calculator.compute(notionals: [1e6, 1e6, 0], horizonSigmas: [0.01, 0.01, 0.01],
                                         correlations: correlations, pairReady: { i, j in !(i == 0 && j == 1) })
        #expect(ready.credit > 0)
        #expect(warming.credit.isApproximatelyEqual(to: 0, absoluteTolerance: 1e-9))
        #expect(warming.pairsWithoutCredit == 1)
        // Credit never exceeds the standalone sum's cap, and never makes the margin negative.
        #expect(ready.margin >= 0 && ready.margin <= ready.standaloneSum)
    }

    @Test("Row-major and packed layouts agree; credit never exceeds the cap on random books")
    func randomBooks() throws {
        let calculator = try PortfolioMargin()
        var rng = SplitMix64(seed: 77)
        for _ in 0..<200 {
            let n = 1 + Int(rng.next() % 6)
            var factors = (0..<n).map { _ in (rng.nextGaussian(), rng.nextGaussian()) }
            factors = factors.map { f in
                let norm = (f.0 * f.0 + f.1 * f.1).squareRoot()
                return (f.0 / norm, f.1 / norm)
            }
            var full = [Double](repeating: 0, count: n * n)
            var packed: [Double] = []
            for i in 0..<n {
                for j in 0..<n {
                    let rho = i == j ? 1 : factors[i].0 * factors[j].0 + factors[i].1 * factors[j].1
                    full[i * n + j] = rho
                    if j <= i { packed.append(rho) }
                }
            }
            let notionals = (0..<n).map { _ in rng.nextDouble(in: -1e6, 1e6) }
            let sigmas = (0..<n).map { _ in rng.nextDouble(in: 0.001, 0.05) }
            let a = calculator.compute(notionals: notionals, horizonSigmas: sigmas,
                                       correlations: CorrelationMatrix(dimension: n, layout: .rowMajor, values: full))
            let b = calculator.compute(notionals: notionals, horizonSigmas: sigmas,
                                       correlations: CorrelationMatrix(dimension: n, layout: .packedLowerTriangle,
                                                                       values: packed))
            #expect(a.margin.isApproximatelyEqual(to: b.margin, relativeTolerance: 1e-12))
            #expect(a.credit <= 0.5 * a.standaloneSum * (1 + 1e-12))
            #expect(a.margin >= 0.5 * a.standaloneSum * (1 - 1e-12) && a.margin <= a.standaloneSum * (1 + 1e-12))
            #expect(a.diversifiedRisk <= a.undiversifiedRisk * (1 + 1e-12))
        }
    }

    @Test("Unusable inputs withhold the credit instead of producing NaN")
    func invalidInputs() throws {
        let calculator = try PortfolioMargin()
        let cases: [PortfolioMarginResult] = [
            calculator.compute(notionals: [1e6, 1e6], horizonSigmas: [0.01], correlations: Self.matrix(0)),
            calculator.compute(notionals: [1e6, 1e6], horizonSigmas: [0.01, .nan], correlations: Self.matrix(0)),
            calculator.compute(notionals: [1e6, 1e6], horizonSigmas: [0.01, 0.01],
                               correlations: CorrelationMatrix(dimension: 2, layout: .rowMajor, values: [1, 0, 0])),
            calculator.compute(notionals: [1e6, 1e6], horizonSigmas: [0.01, 0.01], correlations: Self.matrix(0),
                               standaloneMargins: [1, -1]),
        ]
        for result in cases {
            #expect(result.invalidInput && result.credit == 0 && result.margin.isFinite)
        }
        let nanCorrelation = calculator.compute(notionals: [1e6, -1e6], horizonSigmas: [0.01, 0.01],
                                                correlations: Self.matrix(.nan))
        #expect(nanCorrelation.credit == 0 && nanCorrelation.pairsWithoutCredit == 1)
        let empty = calculator.compute(notionals: [], horizonSigmas: [],
                                       correlations: CorrelationMatrix(dimension: 0, layout: .rowMajor, values: []))
        #expect(empty.margin == 0 && !empty.invalidInput)
        let error = #expect(throws: ConfigurationError.self) {
            try PortfolioMargin(configuration: PortfolioMarginConfiguration(tailProbability: 0))
        }
        #expect(error?.key == "portfolio.tailProbability" && error?.value == "0.0"
                    && error?.allowed == "a probability in (0, 0.5)")
    }
}
