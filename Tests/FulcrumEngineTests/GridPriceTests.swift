import FulcrumEngine
import FulcrumProtocol
import FulcrumTestSupport
import MarketData
import Testing

/// `ingest.gridPrice` through the engine: which price each grid step samples and publishes, with trades, books,
/// quotes and funding marks on one protobuf feed, and the fallback to the robust trade price when the chosen
/// source goes stale.
@Suite("Grid price source through the engine")
struct GridPriceTests {
    static let second: Int64 = 1_000_000_000
    static let start: Int64 = 1_800_000_000 * 1_000_000_000

    /// A `MarketUpdate` of venue TEST for BTC at `time`.
    static func update(at time: Int64, _ configure: (inout Fulcrum_V1_MarketUpdate) -> Void) throws
        -> (topic: [UInt8], payload: [UInt8]) {
        var update = Fulcrum_V1_MarketUpdate()
        update.venue = "TEST"
        update.symbol = "BTC"
        update.exchangeTimeNs = time
        configure(&update)
        return (Array("md.TEST.BTC".utf8), try update.serializedBytes())
    }

    /// What an engine sampling `source` did with `frames` (in order): the asset's sampled price after each frame
    /// (NaN before its first tick) and the price of every update it published, by boundary.
    struct Run {
        var sampled: [Double] = []
        var published: [Int64: Double] = [:]
        var engine: RiskEngine
    }

    static func run(_ source: GridPriceSource, _ frames: [(topic: [UInt8], payload: [UInt8], time: Int64)]) throws
        -> Run {
        let engine = try RiskEngine(configuration: EngineConfiguration(ingest: IngestConfiguration(gridPrice: source)),
                                    epoch: 1)
        var run = Run(engine: engine)
        for frame in frames {
            frame.topic.withUnsafeBytes { topic in
                frame.payload.withUnsafeBytes { payload in
                    _ = run.engine.ingest(feed: 0, frameCount: 2, topic, payload, receiptTime: frame.time) { update in
                        guard update.topic == Array("risk.BTC".utf8),
                              let message = try? Fulcrum_V1_RiskParameters(serializedBytes: update.payload) else {
                            return
                        }
                        run.published[update.eventTime] = message.price
                    }
                }
            }
            run.sampled.append(run.engine.prices.first ?? .nan)
        }
        #expect(run.engine.ingestor.totals.accepted == UInt64(frames.count), "every frame accepted")
        return run
    }

    /// Trades at 100 + 0.1·k every 500 ms from `from` for `count` ticks.
    static func trades(from: Int64, count: Int, sequence: inout UInt64) throws
        -> [(topic: [UInt8], payload: [UInt8], time: Int64)] {
        try (0..<count).map { k in
            sequence += 1
            let time = from + Int64(k) * second / 2
            let frames = try tickFrames("BTC", price: 100 + 0.1 * Double(k % 3), at: time, sequence: sequence)
            return (frames.topic, frames.payload, time)
        }
    }

    @Test("mark: the grid samples the funding mark while it is fresh, the robust trade price once it is stale")
    func mark() throws {
        var sequence: UInt64 = 0
        let funding = try Self.update(at: Self.start) {
            $0.funding.markPrice = 100.5
            $0.funding.indexPrice = 100.4
        }
        // Ticks for 8 s (the mark is fresh: 10 s), then 20 s later for 3 s (the mark is stale).
        var frames = [(funding.topic, funding.payload, Self.start)]
        frames += try Self.trades(from: Self.start, count: 16, sequence: &sequence)
        frames += try Self.trades(from: Self.start + 28 * Self.second, count: 6, sequence: &sequence)
        let marked = try Self.run(.mark, frames)
        let traded = try Self.run(.trade, frames)
        // Frames 1 … 16 (fresh mark): the mark, where `trade` samples the trades' robust prices.
        for index in 1...16 {
            #expect(marked.sampled[index] == 100.5)
            #expect((100...100.2).contains(traded.sampled[index]))
        }
        // Frames 17 … 22 (stale mark): what `trade` samples.
        for index in 17...22 { #expect(marked.sampled[index] == traded.sampled[index]) }
        // What was published during the fresh stretch carries the mark, and after it the trade price.
        let fresh = marked.published.filter { $0.key <= Self.start + 8 * Self.second }
        #expect(!fresh.isEmpty && fresh.values.allSatisfy { $0 == 100.5 }, "\(fresh)")
        let stale = marked.published.filter { $0.key > Self.start + 28 * Self.second }
        #expect(!stale.isEmpty && stale.values.allSatisfy { (100...100.2).contains($0) }, "\(stale)")
        #expect(marked.engine.gridPriceFallbacks == 6 && traded.engine.gridPriceFallbacks == 0)
        // The index stays the source's, so the basis is the mark's against it, whichever price the grid samples.
        let inputs = try #require(marked.engine.marketInputs(asset: 0))
        #expect(inputs.markPrice == 100.5 && inputs.indexPrice == 100.4)
    }

    @Test("mid: the grid samples the median of the venues' book and quote mids, trades only move time")
    func mid() throws {
        var sequence: UInt64 = 0
        var level = Fulcrum_V1_BookLevel()
        let book = try Self.update(at: Self.start) {
            $0.book.snapshot = true
            level.price = 99
            level.size = 1
            $0.book.bids = [level]
            level.price = 101
            $0.book.asks = [level]
        }
        var frames = [(book.topic, book.payload, Self.start)]
        frames += try Self.trades(from: Self.start, count: 8, sequence: &sequence)
        // A quote tick of the same venue, newer than its book: its mid (100.1) is the venue's from then on.
        var quote = WireTick()
        quote.venue = "TEST"
        quote.symbol = "BTC"
        quote.price = 100.1
        quote.bid = 100.05
        quote.ask = 100.15
        quote.exchangeTimeNs = Self.start + 4 * Self.second + Self.second / 4
        quote.feedSequence = 1
        frames.append((Array("tick.TEST.BTC".utf8), try quote.serializedBytes(), quote.exchangeTimeNs))
        frames += try Self.trades(from: Self.start + 4 * Self.second + Self.second / 2, count: 4, sequence: &sequence)
        let result = try Self.run(.mid, frames)
        // The book's mid until the quote (frame 9), then the quote's.
        #expect(result.sampled[1...8].allSatisfy { $0 == 100 }, "\(result.sampled)")
        #expect(result.sampled[9...].allSatisfy { $0.isApproximatelyEqual(to: 100.1, relativeTolerance: 1e-15) },
                "\(result.sampled)")
        #expect(!result.published.isEmpty && result.published.values.allSatisfy {
            $0 == 100 || $0.isApproximatelyEqual(to: 100.1, relativeTolerance: 1e-15)
        })
        #expect(result.engine.gridPriceFallbacks == 0)
    }
}
