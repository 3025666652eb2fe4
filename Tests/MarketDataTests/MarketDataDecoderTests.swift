import FulcrumProtocol
import FulcrumTestSupport
import MarketData
import Testing

/// Books, funding, open interest, liquidations and candles, from cryptofeed frames and from `fulcrum.v1.MarketUpdate`.
@Suite("Market-data decoding and books")
struct MarketDataDecoderTests {
    static func update(_ configure: (inout Fulcrum_V1_MarketUpdate) -> Void) -> [UInt8] {
        var update = Fulcrum_V1_MarketUpdate()
        update.venue = "SIM"
        update.symbol = "BTC-USD"
        update.exchangeTimeNs = baseTime
        configure(&update)
        return (try? update.serializedBytes()) ?? []
    }

    static func level(_ price: Double, _ size: Double) -> Fulcrum_V1_BookLevel {
        var level = Fulcrum_V1_BookLevel()
        level.price = price
        level.size = size
        return level
    }

    @Test("protobuf MarketUpdates decode on a tick feed; ticks still decode as ticks")
    func protobuf() throws {
        var ingestor = TickIngestor()
        let book = Self.update {
            $0.book.snapshot = true
            $0.book.bids = [Self.level(99, 1), Self.level(98, 2)]
            $0.book.asks = [Self.level(101, 1)]
        }
        let event = try #require(ingestor.ingest(protobuf: book).marketEvent)
        #expect(event.channel == .book && event.isSnapshot && event.quantity == 3)
        let slot = try #require(ingestor.books.slot(symbol: event.symbol, venue: event.venue))
        #expect(ingestor.books.top(slot: slot) == (bid: 99, ask: 101))
        let funding = try #require(ingestor.ingest(protobuf: Self.update {
            $0.funding.markPrice = 100.5
            $0.funding.indexPrice = 100.4
            $0.funding.rate = 0.0001
        }).marketEvent)
        #expect(funding.channel == .funding && funding.price == 100.5 && funding.indexPrice == 100.4
                && funding.rate == 0.0001)
        let interest = try #require(ingestor.ingest(protobuf: Self.update { $0.openInterest.openInterest = 0 })
            .marketEvent)
        #expect(interest.channel == .openInterest && interest.quantity == 0)
        let liquidation = try #require(ingestor.ingest(protobuf: Self.update {
            $0.liquidation.side = .sell
            $0.liquidation.quantity = 2
            $0.liquidation.price = 99.5
        }).marketEvent)
        #expect(liquidation.side == .sell && liquidation.quantity == 2 && liquidation.price == 99.5)
        let candle = try #require(ingestor.ingest(protobuf: Self.update {
            $0.candle.startNs = baseTime - 60 * second
            $0.candle.endNs = baseTime
            $0.candle.volume = 10
            $0.candle.close = 100
            $0.candle.inProgress = true
        }).marketEvent)
        #expect(candle.channel == .candles && !candle.isClosed && candle.quantity == 10)
        #expect(ingestor.ingest(protobuf: Self.update { $0.funding.rate = 1 }).rejectionReason == .missingField)
        #expect(ingestor.ingest(protobuf: Self.update {
            $0.book.bids = [Self.level(102, 1)]
        }).rejectionReason == .crossedBook)
        #expect(ingestor.ingest(protobufTick(price: 100)).isAccepted)
        #expect(ingestor.totals.received == 8 && ingestor.totals.accepted == 6 && ingestor.totals.rejected == 2)
    }

    @Test("cryptofeed books: snapshots keep the top K, deltas set and remove levels, gaps wait for a snapshot")
    func cryptofeedBooks() throws {
        var configuration = IngestConfiguration(feeds: [FeedConfiguration(encoding: .cryptofeed)])
        configuration.books.depth = 3
        var ingestor = TickIngestor(configuration: configuration)
        let snapshot = #"EX-book-BTC-USD {"exchange":"EX","symbol":"BTC-USD","book":{"bid":{"99":1,"98":"2","97":3,"#
            + #""96":4},"ask":{"101":1,"102":2}},"timestamp":1700000000.5}"#
        let event = try #require(ingestor.ingest(cryptofeed: Array(text: snapshot)).marketEvent)
        let slot = try #require(ingestor.books.slot(symbol: event.symbol, venue: event.venue))
        func side(bids: Bool) -> [Double] {
            bids ? ingestor.books.withBids(slot: slot) { p, _ in Array(p) }
                : ingestor.books.withAsks(slot: slot) { p, _ in Array(p) }
        }
        #expect(side(bids: true) == [99, 98, 97])
        #expect(side(bids: false) == [101, 102])
        let delta = #"EX-book-BTC-USD {"exchange":"EX","symbol":"BTC-USD","delta":{"bid":[[98,0],[99.5,1]],"#
            + #""ask":[["100.5","0.5"],[103,1],[104,1]]},"timestamp":1700000000.6}"#
        #expect(ingestor.ingest(cryptofeed: Array(text: delta)).isMarket)
        #expect(side(bids: true) == [99.5, 99, 97])
        #expect(side(bids: false) == [100.5, 101, 102])
        let older = #"EX-book-BTC-USD {"exchange":"EX","symbol":"BTC-USD","delta":{"bid":[[99,2]],"ask":[]},"#
            + #""timestamp":1700000000.1}"#
        #expect(ingestor.ingest(cryptofeed: Array(text: older)).rejectionReason == .outOfOrder)
        let crossing = #"EX-book-BTC-USD {"exchange":"EX","symbol":"BTC-USD","delta":{"bid":[[101,2]],"ask":[]},"#
            + #""timestamp":1700000000.7}"#
        #expect(ingestor.ingest(cryptofeed: Array(text: crossing)).rejectionReason == .crossedBook)
        let after = #"EX-book-BTC-USD {"exchange":"EX","symbol":"BTC-USD","delta":{"bid":[[99,2]],"ask":[]},"#
            + #""timestamp":1700000000.8}"#
        #expect(ingestor.ingest(cryptofeed: Array(text: after)).rejectionReason == .bookGap)
        let strings = #"EX-book-BTC-USD {"exchange":"EX","symbol":"BTC-USD","book":{"bid":{"99":"1"},"#
            + #""ask":{"100":"1"}},"delta":{"bid":[["99","0"]],"ask":[]},"timestamp":1700000000.9}"#
        #expect(ingestor.ingest(cryptofeed: Array(text: strings)).marketEvent?.isSnapshot == true)
        #expect(side(bids: true) == [99] && ingestor.books.isLive(slot: slot))
    }

    @Test("funding, open interest, liquidations and candles in cryptofeed's shapes, with their checks")
    func cryptofeedChannels() throws {
        var ingestor = TickIngestor(encoding: .cryptofeed)
        let funding = #"EX-funding-BTC-PERP {"exchange":"EX","symbol":"BTC-PERP","mark_price":"43000.5","rate":null,"#
            + #""next_funding_time":1700003600,"predicted_rate":null,"timestamp":1700000000.5}"#
        let event = try #require(ingestor.ingest(cryptofeed: Array(text: funding)).marketEvent)
        #expect(event.price == 43000.5 && event.rate.isNaN && event.indexPrice == nil)
        let badMark = #"EX-funding-BTC-PERP {"exchange":"EX","symbol":"BTC-PERP","mark_price":-1,"#
            + #""timestamp":1700000000.6}"#
        #expect(ingestor.ingest(cryptofeed: Array(text: badMark)).rejectionReason == .nonPositivePrice)
        let interest = #"open_interest {"exchange":"EX","symbol":"BTC-PERP","open_interest":12.5,"#
            + #""timestamp":1700000000.5}"#
        #expect(ingestor.ingest(cryptofeed: Array(text: interest)).marketEvent?.quantity == 12.5)
        let negative = #"EX-open_interest-BTC-PERP {"exchange":"EX","symbol":"BTC-PERP","open_interest":-2,"#
            + #""timestamp":1700000000.6}"#
        #expect(ingestor.ingest(cryptofeed: Array(text: negative)).rejectionReason == .invalidSize)
        let noPrice = #"EX-liquidations-BTC-PERP {"exchange":"EX","symbol":"BTC-PERP","side":"sell","quantity":1,"#
            + #""timestamp":1700000000.5}"#
        #expect(ingestor.ingest(cryptofeed: Array(text: noPrice)).rejectionReason == .missingField)
        let open = #"EX-candles-BTC-PERP {"exchange":"EX","symbol":"BTC-PERP","start":1699999940,"stop":1700000000,"#
            + #""interval":"1m","trades":null,"open":1,"close":2,"high":3,"low":0.5,"volume":10,"closed":false,"#
            + #""timestamp":1700000000.5}"#
        let candle = try #require(ingestor.ingest(cryptofeed: Array(text: open)).marketEvent)
        #expect(!candle.isClosed && candle.intervalStart == 1_699_999_940 * second && candle.price == 2)
        let counters = ingestor.totals
        #expect(counters.received == counters.accepted + counters.rejected + counters.ignored)
    }
}
