import Foundation
import FulcrumTestSupport
import MarginModel
import MarketData
import MarketLiquidity
import Testing

/// Books sent through cryptofeed's own `BookZMQ` (full book, deltas, `snapshots_only`), decoded and kept by the
/// ingestor, walked by ``LiquidityTracker``: the impact curve equals numpy's walk of the same frames to 1e-12.
@Suite("Impact curve against the Python reference", .serialized, .timeLimit(.minutes(2)))
struct ImpactCurveReferenceTests {
    struct Reference: Decodable {
        let frames: [String]
        let time: Int64
        let notionals: [Double]
        let long: [Double]
        let short: [Double]
        let depth: Double
    }

    /// Runs `fulcrum_tools.reference.book_impact` and decodes its answer.
    static func reference(seed: Int, scale: Double) throws -> Reference {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "fulcrum_tools.reference.book_impact", "\(seed)", "\(scale)"]
        process.currentDirectoryURL = repositoryRoot
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = repositoryRoot.appendingPathComponent("tools").path
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "book_impact failed")
        return try JSONDecoder().decode(Reference.self, from: data)
    }

    /// The ingestor after every frame of the reference, and the tracker's inputs at the reference's time.
    static func curve(_ reference: Reference) throws -> (LiquidityInputs, TickIngestor) {
        var ingestor = TickIngestor(encoding: .cryptofeed)
        for frame in reference.frames {
            let outcome = Array(frame.utf8).withUnsafeBytes {
                ingestor.ingest(frameCount: 1, $0, receiptTime: reference.time + 1_000_000)
            }
            guard case .market(let event) = outcome else {
                Issue.record("frame not accepted as a book: \(outcome)")
                continue
            }
            #expect(event.channel == .book)
        }
        var configuration = LiquidityConfiguration()
        configuration.impactNotionals = reference.notionals
        var tracker = LiquidityTracker(configuration: configuration)
        let symbol = try #require(ingestor.symbols.id(of: "BTC-USDT"))
        let inputs = tracker.inputs(symbol: SymbolID(rawValue: symbol), books: ingestor.books, now: reference.time,
                                    price: 43_000)
        return (inputs, ingestor)
    }

    @Test("book → impact curve equals numpy's walk of the same book, to 1e-12", arguments: [(7, 1.0), (11, 0.2)])
    func matchesReference(seed: Int, scale: Double) throws {
        let reference = try Self.reference(seed: seed, scale: scale)
        #expect(reference.frames.count == 6)
        let (inputs, ingestor) = try Self.curve(reference)
        #expect(ingestor.books.count == 3)
        let curve = try #require(inputs.impact)
        #expect(curve.notionals == reference.notionals)
        for i in reference.notionals.indices {
            #expect(curve.longCost[i].isApproximatelyEqual(to: reference.long[i], relativeTolerance: 1e-12),
                    "long at \(reference.notionals[i]): \(curve.longCost[i]) vs \(reference.long[i])")
            #expect(curve.shortCost[i].isApproximatelyEqual(to: reference.short[i], relativeTolerance: 1e-12),
                    "short at \(reference.notionals[i]): \(curve.shortCost[i]) vs \(reference.short[i])")
        }
        let depth = try #require(inputs.visibleDepthNotional)
        #expect(depth.isApproximatelyEqual(to: reference.depth, relativeTolerance: 1e-12))
        // Beyond the visible depth the square-root law continues the walk: the largest notional costs more.
        #expect(curve.longCost.last! > curve.longCost.first!)
    }

    @Test("a thinner book costs more at every notional beyond the touch")
    func thinnerCostsMore() throws {
        let deep = try Self.curve(try Self.reference(seed: 7, scale: 1.0)).0
        let thin = try Self.curve(try Self.reference(seed: 7, scale: 0.2)).0
        let deepCurve = try #require(deep.impact)
        let thinCurve = try #require(thin.impact)
        for i in deepCurve.notionals.indices where deepCurve.notionals[i] >= 1e5 {
            #expect(thinCurve.cost(at: deepCurve.notionals[i]) > deepCurve.cost(at: deepCurve.notionals[i]))
        }
    }
}
