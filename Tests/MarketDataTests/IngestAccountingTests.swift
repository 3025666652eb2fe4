import FulcrumTestSupport
import MarketData
import Testing

/// Every message ends in exactly one of accepted, rejected (reason) or ignored, per feed; streams are
/// `(venue, symbol, channel)`.
@Suite("Ingest accounting and channels")
struct IngestAccountingTests {
    static func cryptofeedIngestor(keys: CryptofeedTopicKeys = CryptofeedTopicKeys()) -> TickIngestor {
        TickIngestor(configuration: IngestConfiguration(feeds: [
            FeedConfiguration(name: "pb"), FeedConfiguration(name: "cf", encoding: .cryptofeed, cryptofeedKeys: keys),
        ]))
    }

    @Test("A trade or ticker without symbol or exchange is rejected as missing_field, not ignored")
    func missingNamesAreRejected() {
        var ingestor = Self.cryptofeedIngestor()
        let frames = [
            #"COINBASE-trades-BTC-USD {"exchange":"COINBASE","price":43000,"amount":1,"timestamp":1700000000.1}"#,
            #"COINBASE-trades-BTC-USD {"symbol":"BTC-USD","price":43000,"amount":1,"timestamp":1700000000.1}"#,
            #"COINBASE-trades-BTC-USD {"exchange":"COINBASE","symbol":null,"price":43000,"timestamp":1700000000.1}"#,
            #"BINANCE-ticker-ETH-USDT {"exchange":"BINANCE","bid":1,"ask":2,"timestamp":1700000000.1}"#,
            #"trades {"exchange":"COINBASE","price":43000,"timestamp":1700000000.1}"#,
        ]
        for frame in frames {
            #expect(ingestor.ingest(cryptofeed: Array(text: frame), feed: 1).rejectionReason == .missingField, "\(frame)")
        }
        // A channel Fulcrum does not use stays ignored, whatever it lacks.
        let fills = #"COINBASE-fills-BTC-USD {"exchange":"COINBASE","price":1}"#
        #expect(ingestor.ingest(cryptofeed: Array(text: fills), feed: 1) == .ignored)
        let counters = ingestor.counters(feed: 1)
        #expect(counters[.missingField] == UInt64(frames.count) && counters.ignored == 1)
    }

    @Test("cryptofeed topic keys are set per feed, as the callbacks' key= was")
    func customTopicKeys() {
        var ingestor = Self.cryptofeedIngestor(keys: CryptofeedTopicKeys(trades: "tape", ticker: "bbo"))
        #expect(ingestor.ingest(cryptofeed: cryptofeedTrade(key: "tape"), feed: 1).isAccepted)
        #expect(ingestor.ingest(cryptofeed: cryptofeedTicker(key: "bbo"), feed: 1).isAccepted)
        // The defaults are now foreign channels on this feed.
        #expect(ingestor.ingest(cryptofeed: cryptofeedTrade(timestamp: "1700000000.2"), feed: 1) == .ignored)
        #expect(ingestor.ingest(cryptofeed: cryptofeedTicker(timestamp: "1700000000.6"), feed: 1) == .ignored)
        let ticker = ingestor.ingest(cryptofeed: cryptofeedTicker(timestamp: "1700000000.7", key: "bbo"), feed: 1)
        #expect(ticker.acceptedTick?.channel == .quotes)
    }

    @Test("Keys that collide or contain a space are refused, naming the key")
    func topicKeyValidation() throws {
        let same = FeedConfiguration(encoding: .cryptofeed, cryptofeedKeys: CryptofeedTopicKeys(trades: "x", ticker: "x"))
        let error = #expect(throws: (any Error).self) { try same.validate(keyPrefix: "ingest.feeds[0]") }
        #expect("\(String(describing: error))".contains("ingest.feeds[0].cryptofeedKeys.ticker"))
        let spaced = FeedConfiguration(cryptofeedKeys: CryptofeedTopicKeys(trades: "a b"))
        #expect(throws: (any Error).self) { try spaced.validate(keyPrefix: "ingest.feeds[0]") }
        try FeedConfiguration(cryptofeedKeys: CryptofeedTopicKeys(trades: "tape", ticker: "bbo")).validate()
    }

    @Test("Trades and tickers of one venue and symbol are ordered each within its own channel")
    func channelsAreSeparateStreams() {
        var ingestor = Self.cryptofeedIngestor()
        // A ticker stamped at receipt, 50 ms behind the trade before it: in order on its own channel.
        #expect(ingestor.ingest(cryptofeed: cryptofeedTrade(exchange: "BINANCE", symbol: "ETH-USDT", price: "2000.15",
                                                            timestamp: "1700000000.550"), feed: 1).isAccepted)
        #expect(ingestor.ingest(cryptofeed: cryptofeedTicker(timestamp: "1700000000.500"), feed: 1).isAccepted)
        // Within a channel the order still holds.
        let older = ingestor.ingest(cryptofeed: cryptofeedTicker(timestamp: "1700000000.499"), feed: 1)
        #expect(older.rejectionReason == .outOfOrder)
        let replay = ingestor.ingest(cryptofeed: cryptofeedTicker(timestamp: "1700000000.500"), feed: 1)
        #expect(replay.rejectionReason == .duplicate)
        // Protobuf: a tick with bid and ask and no size is a quote, on its own channel too.
        #expect(ingestor.ingest(protobufTick(exchangeTime: baseTime)).isAccepted)
        let quote = ingestor.ingest(protobufTick(bid: 43_000, ask: 43_001, size: nil, exchangeTime: baseTime - 40_000_000))
        #expect(quote.acceptedTick?.channel == .quotes)
        #expect(ingestor.ingest(protobufTick(exchangeTime: baseTime - 1)).rejectionReason == .outOfOrder)
    }

    @Test("Checkpointed streams keep their channel; a checkpoint without channels restores trades streams")
    func checkpointKeepsChannels() throws {
        var validator = TickValidator()
        let trade = Tick(symbol: SymbolID(rawValue: 0), venue: VenueID(rawValue: 0), price: 10, exchangeTime: 100,
                         receiptTime: 100)
        var quote = trade
        quote.channel = .quotes
        quote.exchangeTime = 50
        try validator.validate(trade)
        try validator.validate(quote)
        let restored = try TickValidator(configuration: validator.configuration, restoring: validator.checkpoint)
        #expect(restored.lastExchangeTime(symbol: trade.symbol, venue: trade.venue, channel: .quotes) == 50)
        #expect(restored.lastExchangeTime(symbol: trade.symbol, venue: trade.venue) == 100)
        var old = validator.checkpoint
        old.channel = nil
        old.venue.removeLast()
        old.next.removeLast()
        old.lastExchangeTime.removeLast()
        old.lastPrice.removeLast()
        old.lastSequence.removeLast()
        old.hasSequence.removeLast()
        old.firstStream = [0]
        old.next[0] = -1
        let legacy = try TickValidator(configuration: validator.configuration, restoring: old)
        #expect(legacy.lastExchangeTime(symbol: trade.symbol, venue: trade.venue) == 100)
        #expect(legacy.lastExchangeTime(symbol: trade.symbol, venue: trade.venue, channel: .quotes) == nil)
    }

    /// Property: over a random mix of valid, broken and foreign messages on two feeds, each message moves exactly
    /// one counter of its feed — the one its outcome names — besides settling at most one held tick, and
    /// `received = accepted + rejected + ignored + held` holds per feed and in total after every message.
    @Test("Each message moves exactly one counter, the one its outcome names", arguments: [1, 2, 3] as [UInt64])
    func eachMessageCountedOnce(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var ingestor = TickIngestor(configuration: IngestConfiguration(feeds: [
            FeedConfiguration(name: "pb", topicPrefixes: ["tick."]), FeedConfiguration(name: "cf", encoding: .cryptofeed),
        ]))
        var outcomes: Set<String> = []
        for index in 0..<4_000 {
            let receipt = baseTime + Int64(index) * 10_000_000
            let feed = Int.random(in: 0...1, using: &rng)
            let stamp = Double(receipt - Int64.random(in: 0...200_000_000, using: &rng)) / 1e9
            // Now and then a jump far beyond the filter's band: a lone venue's tick is then held for its next one.
            let jump = Int.random(in: 0..<40, using: &rng) == 0 ? 1.05 : 1
            let price = 100 * jump * (1 + Double.random(in: -0.002...0.002, using: &rng))
            let before = ingestor.counters(feed: feed)
            let outcome: IngestOutcome
            if feed == 0 {
                var tick = protobufTick(symbol: ["A", "B", ""].randomElement(using: &rng)!, price: price,
                                        exchangeTime: Int64(stamp * 1e9))
                if Bool.random(using: &rng) { tick.clearSize(); tick.bid = price - 0.01; tick.ask = price + 0.01 }
                let topic = Array(text: Bool.random(using: &rng) ? "tick.X" : "other.X")
                outcome = ingestor.ingest(topic: topic, protobuf: serialized(tick), receiptTime: receipt)
            } else {
                let text = String(stamp)
                var frame: [UInt8]
                switch Int.random(in: 0...3, using: &rng) {
                case 0: frame = cryptofeedTrade(price: String(price), timestamp: text)
                case 1: frame = cryptofeedTicker(bid: String(price), ask: String(price + 0.01), timestamp: text)
                case 2: frame = cryptofeedTrade(price: String(price), timestamp: text, key: "book")
                default: frame = Array(text: #"COINBASE-trades-BTC-USD {"exchange":"COINBASE","price":1}"#)
                }
                if Int.random(in: 0...9, using: &rng) == 0, !frame.isEmpty {
                    frame[Int.random(in: 0..<frame.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
                outcome = ingestor.ingest(cryptofeed: frame, feed: 1, receiptTime: receipt)
            }
            let after = ingestor.counters(feed: feed)
            #expect(after.received == before.received + 1)
            // A lone venue's held tick is settled by a later message: that message also moves one tick from held to
            // accepted or quarantined (both are on this feed, one venue per feed here).
            let settledNow = before.held + (outcome.isHeld ? 1 : 0) - after.held
            #expect(settledNow <= 1)
            let settledAccepted = after.accepted - before.accepted - (outcome.isAccepted ? 1 : 0)
            let settledQuarantined = after[.quarantined] - before[.quarantined]
                - (outcome.rejectionReason == .quarantined ? 1 : 0)
            #expect(settledAccepted + settledQuarantined == settledNow)
            switch outcome {
            case .accepted, .market:
                outcomes.insert("accepted")
                #expect(after.rejected == before.rejected + settledQuarantined && after.ignored == before.ignored)
            case .ignored:
                outcomes.insert("ignored")
                #expect(after.ignored == before.ignored + 1 && after.rejected == before.rejected + settledQuarantined
                        && after.accepted == before.accepted + settledAccepted)
            case .held:
                outcomes.insert("held")
                #expect(after.held == before.held + 1 - settledNow && after.ignored == before.ignored
                        && after.rejected == before.rejected + settledQuarantined)
            case .quarantined, .rejected:
                let reason = outcome.rejectionReason!
                outcomes.insert(reason.metricName)
                #expect(after.rejected == before.rejected + 1 + settledQuarantined
                        && after.accepted == before.accepted + settledAccepted && after.ignored == before.ignored)
                if reason != .quarantined { #expect(after[reason] == before[reason] + 1) }
            }
            #expect(after.received == after.accepted + after.rejected + after.ignored + after.held)
        }
        let totals = ingestor.totals
        #expect(totals.received == 4_000
                && totals.received == totals.accepted + totals.rejected + totals.ignored + totals.held)
        // The mix reaches every kind of ending, foreign topics included.
        #expect(outcomes.isSuperset(of: ["accepted", "ignored", "unexpected_topic", "missing_field", "out_of_order",
                                         "held"]),
                "\(outcomes.sorted())")
    }
}
