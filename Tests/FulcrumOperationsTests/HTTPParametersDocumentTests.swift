import Foundation
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import MarginModel
import Testing
@testable import FulcrumEngine
@testable import FulcrumOperations

@Suite("The /parameters document")
struct HTTPParametersDocumentTests {
    static func observation(symbols: Int) -> MetricsObservation {
        var snapshot = EngineSnapshot()
        snapshot.symbols = (0..<symbols).map { "S\($0)" }
        snapshot.prices = (0..<symbols).map { $0 == 0 ? .nan : Double($0) }
        snapshot.annualVolatility = Array(repeating: 0.5, count: symbols)
        snapshot.estimateStatus = Array(repeating: "ready", count: symbols)
        snapshot.parameters = Array(repeating: nil, count: symbols)
        snapshot.correlation = (0..<symbols * symbols).map { Double($0) }
        return MetricsObservation(snapshot: snapshot, feedAges: [], feedsHeard: [], heartbeatAge: nil,
                                  lastSequence: 0, uptime: .zero)
    }

    @Test("The correlation matrix covers the first correlationLimit assets, row by row")
    func correlationLimit() {
        let observation = Self.observation(symbols: 4)
        let readiness = HTTPHealth(ok: true, reasons: [])
        let full = HTTPParametersDocument(observation: observation, readiness: readiness, feedNames: [])
        #expect(full.correlation.count == 4)
        #expect(full.correlation[2][3] == 11)
        let limited = HTTPParametersDocument(observation: observation, readiness: readiness, feedNames: [],
                                             correlationLimit: 2)
        #expect(limited.correlation == [[0, 1], [4, 5]])
        #expect(limited.assets.count == 4)
        let none = HTTPParametersDocument(observation: observation, readiness: readiness, feedNames: [],
                                          correlationLimit: 0)
        #expect(none.correlation.isEmpty)
    }

    @Test("A snapshot that keeps the correlations of fewer assets than it lists is read with its own dimension")
    func correlationDimension() {
        // As EngineStatus keeps it with a limit of 3: the first 3 × 3 block of the 5 assets' matrix.
        var observation = Self.observation(symbols: 5)
        observation.snapshot.correlation = (0..<9).map { Double(10 * ($0 / 3) + $0 % 3) }
        observation.snapshot.correlationDimension = 3
        let readiness = HTTPHealth(ok: true, reasons: [])
        let limited = HTTPParametersDocument(observation: observation, readiness: readiness, feedNames: [],
                                             correlationLimit: 2)
        #expect(limited.correlation == [[0, 1], [10, 11]])
        let beyond = HTTPParametersDocument(observation: observation, readiness: readiness, feedNames: [],
                                            correlationLimit: 64)
        #expect(beyond.correlation == [[0, 1, 2], [10, 11, 12], [20, 21, 22]])
        #expect(beyond.assets.count == 5)
    }

    @Test("Numbers that are not finite are null, and an asset without parameters has no margins")
    func missingValues() {
        let document = HTTPParametersDocument(observation: Self.observation(symbols: 2),
                                              readiness: HTTPHealth(ok: false, reasons: ["x"]), feedNames: [])
        #expect(document.assets[0].price == nil)
        #expect(document.assets[1].price == 1)
        #expect(document.assets[0].imf == nil && document.assets[0].status == nil)
        #expect(!document.ready && document.notReadyReasons == ["x"])
    }

    @Test("Each asset's coverage is the snapshot's; statistics that are not finite are null; none when off")
    func coverageRows() throws {
        var observation = Self.observation(symbols: 3)
        // 9 exceptions in 250 horizons against 2ε = 2 %: the Basel yellow zone (cumulative binomial ≈ 0.96).
        observation.snapshot.coverage = [
            EngineSnapshot.AssetCoverage(observations: 250, exceptions: 9, exceptionRate: 0.036, targetRate: 0.02,
                                         kupiecStatistic: 2.7, kupiecPValue: 0.1, zone: .yellow, window: 250,
                                         horizonNs: 3_600_000_000_000, widened: true),
            nil,
            EngineSnapshot.AssetCoverage(observations: 0, exceptions: 0, exceptionRate: 0, targetRate: 1,
                                         kupiecStatistic: .nan, kupiecPValue: .nan, zone: .green, window: 20,
                                         horizonNs: 500_000_000, widened: false),
        ]
        let document = HTTPParametersDocument(observation: observation, readiness: HTTPHealth(ok: true, reasons: []),
                                              feedNames: [])
        let first = try #require(document.assets[0].coverage)
        #expect(first.observations == 250 && first.exceptions == 9 && first.window == 250)
        #expect(first.exceptionRate == 0.036 && first.targetRate == 0.02)
        #expect(first.kupiecStatistic == 2.7 && first.kupiecPValue == 0.1)
        #expect(first.zone == "yellow" && first.widened)
        #expect(first.horizonSeconds.isApproximatelyEqual(to: 3_600, relativeTolerance: 1e-9))
        #expect(document.assets[1].coverage == nil)
        let third = try #require(document.assets[2].coverage)
        #expect(third.kupiecStatistic == nil && third.kupiecPValue == nil && third.targetRate == 1)
        #expect(third.horizonSeconds.isApproximatelyEqual(to: 0.5, relativeTolerance: 1e-9))

        // The JSON the endpoint serves: encodable despite the NaNs, an asset without coverage has no such key.
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(document)) as? [String: Any]
        let assets = try #require(json?["assets"] as? [[String: Any]])
        let coverage = try #require(assets[0]["coverage"] as? [String: Any])
        #expect(coverage["zone"] as? String == "yellow")
        #expect(coverage["kupiecPValue"] as? Double == 0.1)
        #expect(assets[1]["coverage"] == nil)
    }

    @Test("The snapshot carries each asset's live coverage exactly as the engine publishes it on the wire")
    func coverageFromTheEngine() throws {
        var configuration = FulcrumConfiguration.smallEngine()
        configuration.model.coverage.liquidationHorizonNs = 3_000_000_000
        configuration.coverage.window = 20
        // Score from the first step: the warming margins are published margins too.
        configuration.coverage.includeWarming = true
        var engine = try RiskEngine(configuration: configuration.engine, epoch: 5)
        let start: Int64 = 1_700_000_000_000_000_000
        var sequence: UInt64 = 0
        for k in 0...60 {
            for (index, symbol) in ["AAA", "BBB"].enumerated() {
                sequence += 1
                let time = start + Int64(k) * 1_000_000_000 + Int64(index + 1) * 100_000_000
                // AAA never moves; BBB triples at step 40 and stays there: a move no maintenance margin covers.
                let price = index == 0 ? 100.0 : (k < 40 ? 20.0 : 60.0)
                let frames = try tickFrames(symbol, price: price, at: time, sequence: sequence)
                ingest(&engine, topic: frames.topic, payload: frames.payload, receiptTime: time + 1_000_000)
            }
        }
        let status = EngineStatus()
        status.publish(engine)
        let snapshot = status.snapshot
        var wire: [String: WireRiskParameters] = [:]
        engine.republishAll { update in
            if let message = try? WireRiskParameters(serializedBytes: update.payload), !message.symbol.isEmpty {
                wire[message.symbol] = message
            }
        }
        #expect(snapshot.coverage.count == 2)
        for (index, symbol) in ["AAA", "BBB"].enumerated() {
            let coverage = try #require(snapshot.coverage[index], "\(symbol) has no coverage")
            let published = try #require(wire[symbol]?.coverage, "\(symbol) was not republished")
            #expect(coverage.observations > 0, "\(symbol): no horizon completed")
            #expect(UInt64(coverage.observations) == published.observations)
            #expect(UInt64(coverage.exceptions) == published.exceptions)
            #expect(coverage.exceptionRate
                .isApproximatelyEqual(to: Double(coverage.exceptions) / Double(coverage.observations),
                                      relativeTolerance: 1e-9))
            #expect(coverage.exceptionRate.isApproximatelyEqual(to: published.exceptionRate, relativeTolerance: 1e-9))
            #expect(coverage.targetRate.isApproximatelyEqual(to: 2 * configuration.model.coverage.tailProbability,
                                                             relativeTolerance: 1e-9))
            #expect(coverage.targetRate.isApproximatelyEqual(to: published.targetRate, relativeTolerance: 1e-9))
            #expect(coverage.kupiecStatistic.isApproximatelyEqual(to: published.kupiecLr, relativeTolerance: 1e-9))
            #expect(coverage.kupiecPValue.isApproximatelyEqual(to: published.kupiecPValue, relativeTolerance: 1e-9))
            let zones: [Fulcrum_V1_CoverageZone: String] = [.green: "green", .yellow: "yellow", .red: "red"]
            #expect(zones[published.zone] == coverage.zone.rawValue)
            #expect(coverage.window == 20 && coverage.horizonNs == 3_000_000_000)
        }
        #expect(snapshot.coverage[0]?.exceptions == 0)
        #expect((snapshot.coverage[1]?.exceptions ?? 0) >= 1)

        let document = HTTPParametersDocument(
            observation: MetricsObservation(snapshot: snapshot, feedAges: [], feedsHeard: [], heartbeatAge: nil,
                                            lastSequence: 0, uptime: .zero),
            readiness: HTTPHealth(ok: true, reasons: []), feedNames: [])
        #expect(document.assets.map { $0.coverage?.exceptions } == snapshot.coverage.map { $0?.exceptions })

        configuration.coverage.enabled = false
        let untracked = try RiskEngine(configuration: configuration.engine, epoch: 5)
        let quiet = EngineStatus()
        quiet.publish(untracked)
        #expect(quiet.snapshot.coverage.allSatisfy { $0 == nil })
    }
}
