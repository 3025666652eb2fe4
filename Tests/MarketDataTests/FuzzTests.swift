import FulcrumProtocol
import FulcrumTestSupport
import MarketData
import Testing

@Suite("Ingest robustness")
struct FuzzTests {
    /// A corpus of valid messages to mutate.
    static let protobufSeeds: [[UInt8]] = [
        serialized(protobufTick()),
        serialized(protobufTick(bid: 43_000, ask: 43_001, sequence: 17)),
        serialized(protobufTick(venue: "KRAKEN", symbol: "ETH-USD", price: 2000, size: nil, side: .sell)),
        [0x5B, 0x08, 0x01, 0x5C] + serialized(protobufTick()),
    ]
    static let jsonSeeds: [[UInt8]] = CryptofeedFixtures.frames.map { Array($0.text.utf8) }
        + [cryptofeedTrade(), cryptofeedTicker()]

    static func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            switch Int.random(in: 0..<7, using: &rng) {
            case 0 where !bytes.isEmpty:
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            case 1 where !bytes.isEmpty:
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= 1 << UInt8.random(in: 0...7, using: &rng)
            case 2:
                bytes.insert(
                    [0x00, 0x80, 0xFF, 0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x2C, 0x3A, 0x2D, 0x65, 0x30].randomElement(using: &rng)!,
                    at: Int.random(in: 0...bytes.count, using: &rng))
            case 3 where !bytes.isEmpty:
                bytes.remove(at: Int.random(in: 0..<bytes.count, using: &rng))
            case 4:
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)))
            case 5 where bytes.count > 2:
                let start = Int.random(in: 0..<bytes.count, using: &rng)
                let end = Int.random(in: start...bytes.count, using: &rng)
                bytes.insert(contentsOf: bytes[start..<end], at: Int.random(in: 0...bytes.count, using: &rng))
            default:
                bytes += (0..<Int.random(in: 0...8, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            }
        }
        return bytes
    }

    @Test("100,000 random and mutated messages never crash the ingestor and are all counted")
    func neverCrashes() {
        var rng = SplitMix64(seed: 0xF022)
        var ingestor = TickIngestor(configuration: IngestConfiguration(
            feeds: [FeedConfiguration(name: "pb"), FeedConfiguration(name: "cf", encoding: .cryptofeed)],
            symbols: SymbolTableConfiguration(maximumDiscovered: 64),
            venues: SymbolTableConfiguration(maximumDiscovered: 8)))
        let messages = 100_000
        var outcomes: [String: Int] = [:]
        var level = 43_000.0
        for index in 0..<messages {
            level *= 1 + Double.random(in: -0.0001...0.0001, using: &rng)
            let receipt = baseTime + Int64(index) * 1_000_000 + Int64.random(in: -5...5, using: &rng) * second
            let outcome: IngestOutcome
            switch Int.random(in: 0..<5, using: &rng) {
            case 0:
                let venue = ["BINANCE", "KRAKEN", "COINBASE"].randomElement(using: &rng)!
                let symbol = ["BTC-USD", "ETH-USD"].randomElement(using: &rng)!
                let tick = protobufTick(
                    venue: venue, symbol: symbol, price: level * (1 + Double.random(in: -0.0005...0.0005, using: &rng)),
                    exchangeTime: receipt - Int64.random(in: 0...1_000_000, using: &rng),
                    sequence: Bool.random(using: &rng) ? UInt64(index) : nil)
                var payload = serialized(tick)
                if Bool.random(using: &rng) {
                    payload = Self.mutate(Self.protobufSeeds.randomElement(using: &rng)! + payload, &rng)
                }
                outcome = ingestor.ingest(protobuf: payload, receiptTime: receipt)
            case 1:
                let frame = Self.mutate(Self.jsonSeeds.randomElement(using: &rng)!, &rng)
                outcome = ingestor.ingest(cryptofeed: frame, feed: 1, receiptTime: receipt)
            case 2:
                let random = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                outcome = random.withUnsafeBytes { raw in
                    ingestor.ingest(
                        feed: Int.random(in: -1...2, using: &rng), frameCount: Int.random(in: 0...3, using: &rng),
                        raw, raw, receiptTime: Int64(bitPattern: rng.next()))
                }
            case 3:
                var tick = ProtobufTickDecoderTests.randomTick(&rng)
                if Bool.random(using: &rng) { tick.exchangeTimeNs = receipt }
                outcome = ingestor.ingest(tick, receiptTime: receipt)
            default:
                let price = String(level * (1 + Double.random(in: -0.0005...0.0005, using: &rng)))
                let stamp = String(Double(receipt) / 1e9 - Double.random(in: 0...0.001, using: &rng))
                let exchange = ["BITSTAMP", "GEMINI"].randomElement(using: &rng)!
                var frame = cryptofeedTrade(exchange: exchange, price: price, timestamp: stamp)
                if Bool.random(using: &rng) { frame = Self.mutate(frame, &rng) }
                outcome = ingestor.ingest(cryptofeed: frame, feed: 1, receiptTime: receipt)
            }
            let key: String
            switch outcome {
            case .accepted, .market: key = "accepted"
            case .quarantined: key = "quarantined"
            case .held: key = "held"
            case .ignored: key = "ignored"
            case .rejected(let reason): key = reason.metricName
            }
            outcomes[key, default: 0] += 1
        }
        let totals = ingestor.totals
        #expect(totals.received == UInt64(messages))
        #expect(totals.received == totals.accepted + totals.ignored + totals.rejected + totals.held)
        for feed in 0..<2 {
            let counters = ingestor.counters(feed: feed)
            #expect(counters.received == counters.accepted + counters.ignored + counters.rejected + counters.held,
                    "feed \(feed)")
        }
        // The corpus must reach deep: acceptances and a wide range of rejections.
        #expect(totals.accepted > 1_000)
        #expect(outcomes.count >= 15, "\(outcomes)")
        #expect(ingestor.symbols.count <= 64 && ingestor.venues.count <= 8)
    }
}
