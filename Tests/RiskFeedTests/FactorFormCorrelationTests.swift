import FulcrumProtocol
import FulcrumTestSupport
import MarginModel
import Testing
@testable import RiskFeed

/// The portfolio correlation in factor form (protocols/README.md, "Factor form") read by the client library: the
/// same correlations, readiness and portfolio margins as the full-form message of the same matrix, the document's
/// worked example, and messages whose counts do not fit refused.
@Suite("Portfolio correlation in factor form")
struct FactorFormCorrelationTests {
    /// A factor-form message over n symbols with k factors: loading rows of norm up to 1.1 (so the clamp binds now
    /// and then), about a fifth of the symbols not admitted and a fifth not ready.
    static func factorMessage(symbols n: Int, factors k: Int, intensity: Double, target: Double,
                              random: inout SplitMix64) -> WirePortfolioUpdate {
        var message = WirePortfolioUpdate()
        message.symbols = (0..<n).map { "S\($0)" }
        message.sigmaHorizon = (0..<n).map { _ in Double.random(in: 0.005...0.05, using: &random) }
        message.maxOffsetFraction = 0.6
        message.coverageEpsilon = 0.01
        message.shrinkageIntensity = intensity
        message.shrinkageTarget = target
        message.factorCount = UInt32(k)
        for _ in 0..<n {
            let row = (0..<k).map { _ in Double.random(in: -1...1, using: &random) }
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let scale = norm > 0 ? Double.random(in: 0.2...1.1, using: &random) / norm : 0
            message.correlationLoadings += row.map { $0 * scale }
        }
        message.correlationAdmitted = (0..<n).map { _ in Double.random(in: 0..<1, using: &random) > 0.2 }
        message.symbolReady = (0..<n).map { _ in Double.random(in: 0..<1, using: &random) > 0.2 }
        return message
    }

    /// The expansion rule written out on its own, entry (i, j) of the n×n matrix.
    static func expanded(_ message: WirePortfolioUpdate, _ i: Int, _ j: Int) -> Double {
        if i == j { return 1 }
        if !message.correlationAdmitted[i] || !message.correlationAdmitted[j] { return 0 }
        let k = Int(message.factorCount)
        var s = 0.0
        for f in 0..<k {
            let product = message.correlationLoadings[i * k + f] * message.correlationLoadings[j * k + f]
            s = s + product
        }
        let clamped = s > 1 ? 1 : (s < -1 ? -1 : s)
        let w = message.shrinkageIntensity
        let kept = (1 - w) * clamped
        let shrunk = w * message.shrinkageTarget
        return kept + shrunk
    }

    /// The full-form message of the same matrix: the triangle of the expansion, pair_ready from symbol_ready.
    static func fullForm(_ message: WirePortfolioUpdate) -> WirePortfolioUpdate {
        var full = message
        full.factorCount = 0
        full.correlationLoadings = []
        full.correlationAdmitted = []
        full.symbolReady = []
        full.shrinkageTarget = 0
        let n = message.symbols.count
        for row in 0..<n {
            for column in row..<n {
                full.correlation.append(expanded(message, row, column))
                full.pairReady.append(message.symbolReady[row] && message.symbolReady[column])
            }
        }
        return full
    }

    static func state(_ portfolio: WirePortfolioUpdate) -> RiskFeedState {
        var state = RiskFeedState()
        for (index, symbol) in portfolio.symbols.enumerated() {
            var parameters = WireRiskParameters()
            parameters.symbol = symbol
            parameters.mmf = 0.03 + 0.001 * Double(index % 7)
            state.parameters[symbol] = parameters
        }
        state.portfolio = portfolio
        return state
    }

    @Test("Correlations, readiness and portfolio margins equal the full form's, bit for bit",
          arguments: [(1, 1), (7, 3), (40, 16), (100, 3), (60, 1)])
    func sameAsFullForm(symbols: Int, factors: Int) throws {
        var random = SplitMix64(seed: UInt64(symbols * 100 + factors))
        for (intensity, target) in [(0.0, 0.0), (0.3, 0.0), (0.25, 0.37)] {
            let message = Self.factorMessage(symbols: symbols, factors: factors, intensity: intensity, target: target,
                                             random: &random)
            let full = Self.fullForm(message)
            let factor = try #require(PortfolioCorrelation(message))
            let triangle = try #require(PortfolioCorrelation(full))
            #expect(factor.isFactorForm && !triangle.isFactorForm)
            for i in 0..<symbols {
                for j in 0..<symbols {
                    let (a, b) = (factor.correlation(i, j), triangle.correlation(i, j))
                    #expect(a.bitPattern == b.bitPattern, "(\(i), \(j)): \(a) vs \(b)")
                    #expect(factor.isPairReady(i, j) == triangle.isPairReady(i, j), "(\(i), \(j))")
                }
            }
            let (factorState, fullState) = (Self.state(message), Self.state(full))
            var credited = 0
            for _ in 0..<20 {
                let chosen = (0..<Int.random(in: 1...min(symbols, 8), using: &random)).map { _ in
                    Int.random(in: 0..<symbols, using: &random)
                }
                let positions = Dictionary(chosen.map { ("S\($0)", Double.random(in: -1e6...1e6, using: &random)) },
                                           uniquingKeysWith: { first, _ in first })
                let result = try #require(factorState.portfolioMargin(positions: positions))
                #expect(result == fullState.portfolioMargin(positions: positions), "\(positions)")
                if result.credit > 0 { credited += 1 }
            }
            #expect(symbols == 1 || credited > 0, "some portfolio earned credit")
            let (first, last) = ("S0", "S\(symbols - 1)")
            #expect(factorState.correlation(first, last) == fullState.correlation(first, last))
        }
    }

    @Test("The protocol document's worked example: the table's bits and its full-form triangle")
    func documentExample() throws {
        var message = WirePortfolioUpdate()
        message.symbols = ["BTC", "ETH", "SOL", "DOGE"]
        message.sigmaHorizon = [0.02, 0.03, 0.05, 0.08]
        message.factorCount = 2
        message.correlationLoadings = [1, 0, 0.8, 0.6, 0.5, 0.5, 0.3, 0.1]
        message.correlationAdmitted = [true, true, true, false]
        message.symbolReady = [true, true, false, true]
        message.shrinkageIntensity = 0.2
        message.shrinkageTarget = 0.5
        let state = Self.state(message)
        #expect(state.correlation("BTC", "ETH") == 0.7400000000000001)
        #expect(state.correlation("SOL", "BTC") == 0.5)
        #expect(state.correlation("ETH", "SOL") == 0.6599999999999999)
        #expect(["BTC", "ETH", "SOL"].map { state.correlation("DOGE", $0) } == [0, 0, 0])
        #expect(state.correlation("DOGE", "DOGE") == 1)
        let matrix = try #require(state.portfolioCorrelation)
        #expect(matrix.isPairReady(0, 1) && !matrix.isPairReady(0, 2) && matrix.isPairReady(3, 1)
                && !matrix.isPairReady(3, 2) && !matrix.isPairReady(2, 2))
        let full = Self.fullForm(message)
        #expect(full.correlation == [1, 0.7400000000000001, 0.5, 0, 1, 0.6599999999999999, 0, 1, 0, 1])
        #expect(full.pairReady == [true, true, false, true, true, false, true, false, false, true])
    }

    @Test("Not admitted: the identity's row whatever the target; readiness per symbol; the clamp before shrinkage")
    func admittedReadyAndClamp() throws {
        var message = WirePortfolioUpdate()
        message.symbols = ["A", "B", "C", "D"]
        message.factorCount = 2
        // D's loadings give s(A, D) = 1.25: clamped to 1 before the shrinkage.
        message.correlationLoadings = [1, 0.5, 0.9, 0, 0.9, 0, 1, 0.5]
        message.correlationAdmitted = [true, true, false, true]
        message.symbolReady = [true, false, true, true]
        message.shrinkageIntensity = 0.5
        message.shrinkageTarget = 0.8
        let matrix = try #require(PortfolioCorrelation(message))
        #expect(matrix.correlation(0, 1) == 0.5 * 0.9 + 0.5 * 0.8)
        #expect(matrix.correlation(0, 2) == 0 && matrix.correlation(2, 1) == 0 && matrix.correlation(2, 2) == 1)
        #expect(matrix.correlation(3, 0) == 0.5 * 1 + 0.5 * 0.8)
        #expect(matrix.isPairReady(0, 2) && matrix.isPairReady(0, 0))
        #expect(!matrix.isPairReady(0, 1) && !matrix.isPairReady(1, 2) && !matrix.isPairReady(1, 1))
    }

    @Test("Counts that do not fit the symbols are refused, in factor form as in the full form")
    func badCountsRefused() throws {
        var random = SplitMix64(seed: 9)
        let good = Self.factorMessage(symbols: 5, factors: 3, intensity: 0.1, target: 0, random: &random)
        let positions = ["S0": 1e5, "S1": -5e4]
        #expect(Self.state(good).portfolioMargin(positions: positions) != nil)
        #expect(Self.state(good).correlation("S0", "S1") != nil)
        var broken: [WirePortfolioUpdate] = []
        for change in 0..<6 {
            var message = good
            switch change {
            case 0: message.correlationLoadings.removeLast()
            case 1: message.correlationLoadings.append(0.1)
            case 2: message.correlationAdmitted.removeLast()
            case 3: message.symbolReady.append(true)
            case 4: message.factorCount = 4
            default: message.correlationLoadings = []
            }
            broken.append(message)
        }
        var full = Self.fullForm(good)
        full.pairReady.removeLast()
        broken.append(full)
        full = Self.fullForm(good)
        full.correlation = []  // a factor-form message read as the full form: no factor_count, no triangle
        broken.append(full)
        for (index, message) in broken.enumerated() {
            #expect(PortfolioCorrelation(message) == nil, "case \(index)")
            #expect(Self.state(message).portfolioMargin(positions: positions) == nil, "case \(index)")
            #expect(Self.state(message).correlation("S0", "S1") == nil, "case \(index)")
        }
        #expect(RiskFeedState().correlation("S0", "S1") == nil)
        #expect(Self.state(good).correlation("S0", "X") == nil)
    }

    @Test("The wire round trip: fields 13–17 survive encoding and decoding")
    func wireRoundTrip() throws {
        var random = SplitMix64(seed: 4)
        let message = Self.factorMessage(symbols: 9, factors: 4, intensity: 0.2, target: 0.3, random: &random)
        let decoded = try WirePortfolioUpdate(serializedBytes: try message.serializedBytes() as [UInt8])
        #expect(decoded == message)
        #expect(decoded.correlation.isEmpty && decoded.pairReady.isEmpty && decoded.correlationLoadings.count == 36)
    }
}
