import Foundation
import FulcrumService
import FulcrumTestSupport
import MarketData
import Testing

/// The impact curve the fulcrum binary computes from books sent through cryptofeed's own `BookZMQ` sockets (full
/// book then deltas, and `snapshots_only`), read from `/parameters`, against numpy's walk of the same frames
/// (`fulcrum_tools.reference.book_impact`), to 1e-12 relative at every notional.
@Suite("Impact curve through the fulcrum binary against the Python reference", .serialized, .timeLimit(.minutes(3)))
struct ImpactCurveBinaryTests {
    struct Reference: Decodable {
        let frames: [String]
        let notionals: [Double]
        let long: [Double]
        let short: [Double]
    }

    /// The part of `/parameters` read here (`HTTPParametersDocument`: assets, each with its impact curve).
    struct Document: Decodable {
        struct Impact: Decodable {
            let notionals: [Double]
            let longCost: [Double]
            let shortCost: [Double]
        }
        struct Asset: Decodable {
            let symbol: String
            let impactCurve: Impact?
        }
        let assets: [Asset]
    }

    @Test("BookZMQ frames → the binary's published curve equals numpy's walk, to 1e-12", arguments: [(7, 1.0), (11, 0.2)])
    func curveThroughTheBinary(seed: Int, scale: Double) async throws {
        let ports = try FreePorts.take(2)
        var configuration = FulcrumConfiguration.smallEngine(
            feeds: [.bound(toPort: ports[0], name: "cryptofeed", encoding: .cryptofeed)], symbols: [], warmupESS: 3)
        configuration.http.sampleInterval = .milliseconds(100)
        let fulcrum = try FulcrumProcess(configuration: configuration, httpPort: ports[1])
        let session = Operations.session()
        defer { session.invalidateAndCancel() }
        let url = "http://127.0.0.1:\(ports[1])/parameters"
        try await Operations.poll(url, session: session, timeout: .seconds(60)) { status, _ in status == 200 }

        let feeder = try await Python.run(
            ["Tests/FulcrumIntegrationTests/Scripts/cryptofeed_book_impact.py", "\(ports[0])", "\(seed)", "\(scale)",
             "3"], timeout: .seconds(90))
        try #require(feeder.status == 0, "cryptofeed feeder failed: \(feeder.error)")
        let line = try #require(feeder.output.split(separator: "\n").last, "no reference printed")
        let reference = try JSONDecoder().decode(Reference.self, from: Data(line.utf8))
        #expect(reference.frames.count == 6)

        // The curve of BTC-USDT as the binary published it after its last grid step.
        var curve: Document.Impact?
        try await Operations.poll(url, session: session, timeout: .seconds(30)) { status, body in
            guard status == 200, let document = try? JSONDecoder().decode(Document.self, from: body),
                  let asset = document.assets.first(where: { $0.symbol == "BTC-USDT" }) else { return false }
            curve = asset.impactCurve
            return curve != nil
        }
        let published = try #require(curve, "no impact curve in /parameters; log:\n\(fulcrum.log)")
        #expect(published.notionals == reference.notionals)
        try #require(published.longCost.count == reference.long.count && published.shortCost.count == reference.short.count)
        for i in reference.notionals.indices {
            #expect(published.longCost[i].isApproximatelyEqual(to: reference.long[i], relativeTolerance: 1e-12),
                    "long at \(reference.notionals[i]): \(published.longCost[i]) vs \(reference.long[i])")
            #expect(published.shortCost[i].isApproximatelyEqual(to: reference.short[i], relativeTolerance: 1e-12),
                    "short at \(reference.notionals[i]): \(published.shortCost[i]) vs \(reference.short[i])")
        }
        #expect(try await fulcrum.stop() == 0)
    }
}
