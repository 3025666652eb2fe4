import Foundation
import ProtocolHealth
import Testing

/// The parametric scenarios: joint Student-t shocks with the estimated correlation.
@Suite("Joint Student-t stress scenarios")
struct StressScenarioTests {
    static let correlation: [Double] = [1, 0.8, 0.3, 0.8, 1, 0.5, 0.3, 0.5, 1]
    static let sigma: [Double] = [0.02, 0.03, 0.05]

    static func logShocks(seed: UInt64, count: Int) throws -> [[Double]] {
        try StressScenarios.studentT(correlation: correlation, horizonVolatility: sigma, count: count, seed: seed)
            .map { $0.map { log1p($0) } }
    }

    static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let mx = x.reduce(0, +) / Double(x.count)
        let my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        return sxy / (sxx * syy).squareRoot()
    }

    @Test("The same seed gives the same scenarios; another seed others")
    func reproducible() throws {
        #expect(try Self.logShocks(seed: 9, count: 50) == Self.logShocks(seed: 9, count: 50))
        #expect(try Self.logShocks(seed: 9, count: 50) != Self.logShocks(seed: 10, count: 50))
    }

    /// 40,000 draws: the Pearson correlation of a multivariate t is its correlation matrix, and the standard
    /// deviation of the log shock is σ (the t is scaled to unit variance); with ν = 4 the fourth moment is infinite,
    /// so the tolerances are wide (0.05 on correlation, 10 % on σ) and the seed is fixed.
    @Test("Log shocks have the target correlation and σ, and fatter tails than a normal")
    func moments() throws {
        let draws = try Self.logShocks(seed: 42, count: 40_000)
        let columns = (0..<3).map { index in draws.map { $0[index] } }
        for i in 0..<3 {
            for j in (i + 1)..<3 {
                let measured = Self.pearson(columns[i], columns[j])
                #expect(abs(measured - Self.correlation[i * 3 + j]) < 0.05, "ρ(\(i),\(j)) = \(measured)")
            }
            let deviation = (columns[i].map { $0 * $0 }.reduce(0, +) / Double(draws.count)).squareRoot()
            #expect(abs(deviation / Self.sigma[i] - 1) < 0.1, "σ\(i) = \(deviation)")
            // Beyond 4σ a normal puts 6.3e-5 of its mass; a unit-variance t₄ about 2.5e-3.
            let beyond = columns[i].count { abs($0) > 4 * Self.sigma[i] }
            #expect(beyond > 40, "only \(beyond) draws beyond 4σ")
        }
    }

    @Test("A correlation matrix that is not positive definite is shrunk, not refused; a wrong size is refused")
    func indefiniteMatrix() throws {
        // ρ₁₂ = ρ₁₃ = 0.9, ρ₂₃ = −0.9: no such three variables exist.
        let impossible: [Double] = [1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1]
        let shocks = try StressScenarios.studentT(correlation: impossible, horizonVolatility: Self.sigma,
                                                  count: 100, seed: 1)
        #expect(shocks.count == 100 && shocks.allSatisfy { $0.allSatisfy(\.isFinite) })
        #expect(throws: HealthError.self) {
            try StressScenarios.studentT(correlation: [1], horizonVolatility: Self.sigma, count: 1, seed: 1)
        }
    }
}
