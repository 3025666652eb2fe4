import Foundation
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import RiskEstimation
import Testing

/// The factor correlation model through the whole path: ticks in over tcp, the portfolio out in factor form, and
/// the Python client library expanding it, against an independent EWMA correlation of the same returns.
@Suite("Factor correlation model end to end", .serialized, .timeLimit(.minutes(3)))
struct FactorPortfolioTests {
    static let symbols = EndToEndTests.symbols
    static let steps = EndToEndTests.steps

    /// Three symbols with three factors: the returns have rank three, so the factor model represents their EWMA
    /// covariance exactly and its correlations must equal the full matrix's up to rounding.
    static func configuration(feedPort: Int) -> FulcrumConfiguration {
        var configuration = EndToEndTests.configuration(feedPort: feedPort)
        // The grid starts with the warm-up symbol a minute before the three: they miss about 6 % of its EWMA
        // weight, which the default admission (1 %) would hold against them for another minute.
        configuration.estimation.correlationAdmission = 0.5
        configuration.estimation.correlationModel = .factors(
            FactorConfiguration(estimation: configuration.estimation, factors: 3))
        return configuration
    }

    /// Independent reference: ρ_ij = Σ λ^(K−k) r_i r_j / √(Σ λ^(K−k) r_i² · Σ λ^(K−k) r_j²) over r₁…r_K.
    static func referenceCorrelation(_ i: Int, _ j: Int, returnsThrough last: Int) -> Double {
        let lambda = pow(2, -1 / EndToEndTests.halfLifeSeconds)
        var cross = 0.0, first = 0.0, second = 0.0
        for k in 1...last {
            let a = EndToEndTests.logReturn(k, i), b = EndToEndTests.logReturn(k, j)
            cross = lambda * cross + a * b
            first = lambda * first + a * a
            second = lambda * second + b * b
        }
        return cross / (first * second).squareRoot()
    }

    @Test("The portfolio goes out in factor form; the Python client expands it to the EWMA correlation")
    func factorFormExpandedByPython() async throws {
        let feedPort = try FreePorts.take(1)[0]
        let fulcrum = try InProcessFulcrumHost(configuration: Self.configuration(feedPort: feedPort), httpPort: 0)
        let subscriber = try await EndToEndTests.subscribe(to: fulcrum)
        defer { subscriber.finish() }

        let (_, lastBoundary) = try await EndToEndTests.sendSeries(feedPort: feedPort, subscriber: subscriber,
                                                                   log: fulcrum.log)
        let frames = try await EndToEndTests.framesThroughLastPortfolio(subscriber, lastBoundary: lastBoundary)
        let last = try #require(frames.first {
            $0.topic == "portfolio" && (try? WirePortfolioUpdate(serializedBytes: $0.payload))?.asOfNs == lastBoundary
        })
        let json = try #require(frames.first { $0.topic == "json.portfolio" && $0.sequence == last.sequence })

        // Factor form on the wire: n·k loadings, no triangle.
        let message = try WirePortfolioUpdate(serializedBytes: last.payload)
        let n = message.symbols.count
        #expect(message.factorCount == 3)
        #expect(message.correlation.isEmpty && message.pairReady.isEmpty)
        #expect(message.correlationLoadings.count == n * 3)
        #expect(message.correlationAdmitted.count == n && message.symbolReady.count == n)
        // ZZZ never moved: no variance, so not admitted.
        let zzz = try #require(message.symbols.firstIndex(of: "ZZZ"))
        #expect(!message.correlationAdmitted[zzz])

        // Both encodings expanded by the Python client library.
        let hex = { (bytes: [UInt8]) in bytes.map { String(format: "%02x", $0) }.joined() }
        let result = try await Python.run([
            "Tests/FulcrumIntegrationTests/Scripts/factor_portfolio.py", "portfolio", hex(last.payload),
            "json.portfolio", hex(json.payload),
        ])
        #expect(result.status == 0, "python failed: \(result.error)")
        let lines = result.output.split(separator: "\n")
        try #require(lines.count == 2, "python printed \(result.output)")
        let expanded = try lines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        let protobufMatrix = try #require(expanded[0]["correlation"] as? [[Double]])
        let jsonMatrix = try #require(expanded[1]["correlation"] as? [[Double]])
        #expect(protobufMatrix == jsonMatrix, "both encodings expand to the same bits")
        #expect(expanded[0]["factors"] as? Int == 3)

        // The last boundary samples series[steps]: its returns are r₁…r_steps.
        let returns = Self.steps
        for (a, symbolA) in Self.symbols.enumerated() {
            for (b, symbolB) in Self.symbols.enumerated() {
                let i = try #require(message.symbols.firstIndex(of: symbolA))
                let j = try #require(message.symbols.firstIndex(of: symbolB))
                let value = protobufMatrix[i][j]
                let expected = a == b ? 1 : Self.referenceCorrelation(a, b, returnsThrough: returns)
                #expect(abs(value - expected) <= 1e-9, "ρ(\(symbolA), \(symbolB)) = \(value), reference \(expected)")
                #expect(protobufMatrix[i][j] == protobufMatrix[j][i])
            }
            let i = try #require(message.symbols.firstIndex(of: symbolA))
            #expect(protobufMatrix[i][zzz] == 0 && protobufMatrix[zzz][zzz] == 1)
        }
        #expect(try await fulcrum.stop() == 0)
    }
}
