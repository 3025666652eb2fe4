import Testing
@testable import FulcrumService

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

    @Test("Numbers that are not finite are null, and an asset without parameters has no margins")
    func missingValues() {
        let document = HTTPParametersDocument(observation: Self.observation(symbols: 2),
                                              readiness: HTTPHealth(ok: false, reasons: ["x"]), feedNames: [])
        #expect(document.assets[0].price == nil)
        #expect(document.assets[1].price == 1)
        #expect(document.assets[0].imf == nil && document.assets[0].status == nil)
        #expect(!document.ready && document.notReadyReasons == ["x"])
    }
}
