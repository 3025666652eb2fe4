import FulcrumProtocol
import FulcrumTestSupport
import MarketData
import Testing

@Suite("TickIngestor")
struct TickIngestorTests {
    /// Drives the ingestor into one rejection reason and returns the ingestor for inspection.
    static func scenario(for reason: RejectionReason) -> TickIngestor {
        let protobuf = FeedConfiguration(name: "pb", encoding: .fulcrumProtobuf)
        let cryptofeed = FeedConfiguration(name: "cf", encoding: .cryptofeed)
        var ingestor = TickIngestor(configuration: IngestConfiguration(feeds: [protobuf, cryptofeed]))
        func expect(_ outcome: IngestOutcome) {
            #expect(outcome.rejectionReason == reason, "driving \(reason) gave \(outcome)")
        }
        switch reason {
        case .malformedMultipart:
            let bytes = serialized(protobufTick())
            bytes.withUnsafeBytes { expect(ingestor.ingest(frameCount: 3, $0, $0, receiptTime: baseTime)) }
        case .malformedFrame:
            expect(ingestor.ingest(cryptofeed: Array(text: "no-space"), feed: 1))
        case .oversizedFrame:
            var small = IngestConfiguration()
            small.feeds[0].maxMessageSize = 64
            ingestor = TickIngestor(configuration: small)
            expect(ingestor.ingest(protobufTick(symbol: String(repeating: "X", count: 60))))
        case .unknownEncoding:
            expect(ingestor.ingest(protobufTick(), feed: 7))
        case .unexpectedTopic:
            ingestor = TickIngestor(configuration: IngestConfiguration(feeds: [
                FeedConfiguration(topicPrefixes: ["tick.", "px."]),
            ]))
            #expect(ingestor.ingest(topic: Array(text: "px.BTC"), protobuf: serialized(protobufTick())).isAccepted)
            expect(ingestor.ingest(topic: Array(text: "other"), protobuf: serialized(protobufTick())))
        case .truncatedProtobuf:
            expect(ingestor.ingest(protobuf: Array(serialized(protobufTick()).dropLast())))
        case .invalidProtobuf:
            expect(ingestor.ingest(protobuf: [0x00]))
        case .invalidJSON:
            expect(ingestor.ingest(cryptofeed: Array(text: #"X-trades-Y {"exchange":"X",}"#), feed: 1))
        case .missingField:
            expect(ingestor.ingest(protobufTick(venue: "")))
        case .invalidTimestamp:
            expect(ingestor.ingest(cryptofeed: cryptofeedTrade(timestamp: "NaN"), feed: 1))
        case .nonFinitePrice:
            expect(ingestor.ingest(protobufTick(price: .nan)))
        case .nonPositivePrice:
            expect(ingestor.ingest(protobufTick(price: -1)))
        case .absurdMagnitude:
            expect(ingestor.ingest(protobufTick(price: 1e13)))
        case .invalidQuote:
            expect(ingestor.ingest(protobufTick(bid: -1, ask: 2)))
        case .crossedQuote:
            expect(ingestor.ingest(cryptofeed: cryptofeedTicker(bid: "2001", ask: "2000"), feed: 1))
        case .invalidSize:
            expect(ingestor.ingest(protobufTick(size: -0.5)))
        case .futureTimestamp:
            expect(ingestor.ingest(protobufTick(exchangeTime: baseTime + 60 * second)))
        case .pastTimestamp:
            expect(ingestor.ingest(protobufTick(exchangeTime: baseTime - 3600 * second)))
        case .duplicate:
            #expect(ingestor.ingest(protobufTick(sequence: 5)).isAccepted)
            expect(ingestor.ingest(protobufTick(sequence: 5)))
        case .outOfOrder:
            #expect(ingestor.ingest(protobufTick(exchangeTime: baseTime)).isAccepted)
            expect(ingestor.ingest(protobufTick(exchangeTime: baseTime - 1)))
        case .late:
            // A tick before the grid's open interval leaves no trace in the stream or filter state.
            ingestor.lateBefore = baseTime
            expect(ingestor.ingest(protobufTick(exchangeTime: baseTime - 1)))
            ingestor.lateBefore = .min
            #expect(ingestor.ingest(protobufTick(exchangeTime: baseTime - 1)).isAccepted)
        case .unknownSymbol:
            ingestor = TickIngestor(configuration: IngestConfiguration(
                symbols: SymbolTableConfiguration(allowList: ["BTC-USD"])))
            expect(ingestor.ingest(protobufTick(symbol: "ETH-USD")))
        case .symbolCapExceeded:
            ingestor = TickIngestor(configuration: IngestConfiguration(
                symbols: SymbolTableConfiguration(maximumDiscovered: 1)))
            #expect(ingestor.ingest(protobufTick(symbol: "BTC-USD")).isAccepted)
            expect(ingestor.ingest(protobufTick(symbol: "ETH-USD")))
        case .invalidSymbol:
            expect(ingestor.ingest(protobufTick(symbol: "BTC USD")))
        case .unknownVenue:
            ingestor = TickIngestor(configuration: IngestConfiguration(
                venues: SymbolTableConfiguration(allowList: ["BINANCE"])))
            expect(ingestor.ingest(protobufTick(venue: "KRAKEN")))
        case .venueCapExceeded:
            ingestor = TickIngestor(configuration: IngestConfiguration(
                venues: SymbolTableConfiguration(maximumDiscovered: 1)))
            #expect(ingestor.ingest(protobufTick(venue: "BINANCE")).isAccepted)
            expect(ingestor.ingest(protobufTick(venue: "KRAKEN")))
        case .invalidVenue:
            expect(ingestor.ingest(protobufTick(venue: "BIN\u{7}ANCE")))
        case .quarantined:
            // Against another fresh venue (a lone venue's deviation is held for its next tick instead).
            #expect(ingestor.ingest(protobufTick(venue: "KRAKEN", price: 100, exchangeTime: baseTime)).isAccepted)
            #expect(ingestor.ingest(protobufTick(price: 100, exchangeTime: baseTime)).isAccepted)
            let outcome = ingestor.ingest(protobufTick(price: 150, exchangeTime: baseTime + 1))
            #expect(outcome.isQuarantined)
            expect(outcome)
        case .crossedBook:
            #expect(ingestor.ingest(cryptofeed: bookSnapshot(bid: 100, ask: 101), feed: 1).isMarket)
            expect(ingestor.ingest(cryptofeed: bookDelta(side: "bid", price: 102, size: 1), feed: 1))
        case .invalidBookLevel:
            expect(ingestor.ingest(cryptofeed: bookSnapshot(bid: 100, ask: 101, askSize: -1), feed: 1))
        case .bookGap:
            expect(ingestor.ingest(cryptofeed: bookDelta(side: "bid", price: 99, size: 1), feed: 1))
        case .bookCapExceeded:
            var configuration = IngestConfiguration(feeds: [cryptofeed])
            configuration.books.maximumBooks = 1
            ingestor = TickIngestor(configuration: configuration)
            #expect(ingestor.ingest(cryptofeed: bookSnapshot(bid: 100, ask: 101)).isMarket)
            expect(ingestor.ingest(cryptofeed: bookSnapshot(symbol: "ETH-USD", bid: 100, ask: 101)))
        }
        return ingestor
    }

    @Test("every rejection reason can be driven and is counted once", arguments: RejectionReason.allCases)
    func everyReason(reason: RejectionReason) {
        let ingestor = Self.scenario(for: reason)
        #expect(ingestor.totals[reason] == 1)
        for other in RejectionReason.allCases where other != reason {
            #expect(ingestor.totals[other] == 0, "\(other) counted while driving \(reason)")
        }
    }

    @Test("reason names are stable, unique snake_case, and indices dense")
    func reasonNames() {
        let names = RejectionReason.allCases.map(\.metricName)
        #expect(Set(names).count == names.count)
        #expect(RejectionReason.allCases.count == RejectionReason.count)
        for (position, reason) in RejectionReason.allCases.enumerated() {
            #expect(reason.index == position)
            #expect(RejectionReason(metricName: reason.metricName) == reason)
            #expect(reason.metricName.allSatisfy { $0.isLowercase || $0 == "_" })
        }
        #expect(RejectionReason.invalidProtobuf.metricName == "invalid_protobuf")
        #expect(RejectionReason.symbolCapExceeded.metricName == "symbol_cap_exceeded")
    }

    @Test("accepts a protobuf tick with interned names, robust price and first-tick flag")
    func acceptsProtobuf() throws {
        var ingestor = TickIngestor()
        let first = ingestor.ingest(protobufTick(venue: "BINANCE", symbol: "BTC-USD", price: 100, sequence: 1))
        guard case .accepted(let tick, let isNew) = first else {
            Issue.record("expected acceptance, got \(first)")
            return
        }
        #expect(isNew)
        #expect(ingestor.symbols.name(of: tick.symbol) == "BTC-USD")
        #expect(ingestor.venues.name(of: tick.venue) == "BINANCE")
        #expect(tick.price == 100 && tick.robustPrice == 100)
        #expect(tick.size == 0.25 && tick.side == .buy && tick.feedSequence == 1)
        #expect(tick.exchangeTime == baseTime && tick.receiptTime == baseTime)
        let second = ingestor.ingest(protobufTick(venue: "KRAKEN", symbol: "BTC-USD", price: 100.2, sequence: 1))
        guard case .accepted(let tick2, let isNew2) = second else {
            Issue.record("expected acceptance, got \(second)")
            return
        }
        #expect(!isNew2)
        #expect(tick2.symbol == tick.symbol && tick2.venue != tick.venue)
        #expect(tick2.robustPrice.isApproximatelyEqual(to: 100.1, relativeTolerance: 1e-12))
    }

    @Test("a symbol rejected before its first accepted tick is still new when first accepted")
    func symbolIsNewAfterRejection() {
        var ingestor = TickIngestor()
        #expect(ingestor.ingest(protobufTick(price: 100, sequence: 2)).isAccepted)
        #expect(ingestor.ingest(protobufTick(symbol: "ETH-USD", size: -1)).rejectionReason == .invalidSize)
        let outcome = ingestor.ingest(protobufTick(symbol: "ETH-USD", price: 2000))
        guard case .accepted(_, let isNew) = outcome else {
            Issue.record("expected acceptance, got \(outcome)")
            return
        }
        #expect(isNew)
    }

    @Test("ingests cryptofeed's own frames; escaped and plain names intern alike")
    func cryptofeedFixtures() throws {
        var ingestor = TickIngestor(encoding: .cryptofeed)
        var accepted = 0
        var ignored = 0
        var market = 0
        // Funding, liquidations and candles are decoded (see MarketDataDecoderTests); order_info and fills are not.
        let marketKeys = ["-funding-", "-liquidations-", "-candles-"]
        func isMarket(_ frame: CryptofeedFixtures.Frame) -> Bool {
            marketKeys.contains { frame.text.split(separator: " ")[0].contains($0) }
        }
        for frame in CryptofeedFixtures.frames {
            // The funding sample's receipt time lies before its event time; receipt at the event time keeps it valid.
            let outcome = ingestor.ingest(cryptofeed: Array(frame.text.utf8),
                                          receiptTime: max(frame.receiptTime, frame.exchangeTime))
            switch outcome {
            case .accepted(let tick, _):
                accepted += 1
                #expect(ingestor.symbols.name(of: tick.symbol) == frame.symbol)
                #expect(ingestor.venues.name(of: tick.venue) == frame.exchange)
            case .market(let event):
                market += 1
                #expect(isMarket(frame))
                #expect(ingestor.symbols.name(of: event.symbol) == frame.symbol)
                #expect(event.exchangeTime == frame.exchangeTime)
            case .ignored:
                ignored += 1
                #expect(frame.channel == "ignored" && !isMarket(frame))
            default:
                Issue.record("\(frame.text) gave \(outcome)")
            }
        }
        #expect(accepted == CryptofeedFixtures.frames.filter { $0.channel != "ignored" }.count)
        #expect(market == CryptofeedFixtures.frames.filter(isMarket).count && market == 3)
        #expect(ignored == CryptofeedFixtures.frames.filter { $0.channel == "ignored" && !isMarket($0) }.count)
        let escaped = Array(text: #"COINBASE-trades-BTC-USD {"exchange":"COIN\u0042ASE","symbol":"BTC\u002dUSD","#
            + #""price":43000.2,"amount":1,"side":"buy","timestamp":1700000100.2}"#)
        let outcome = ingestor.ingest(cryptofeed: escaped, receiptTime: baseTime + 100 * second)
        let tick = try #require(outcome.acceptedTick)
        #expect(ingestor.symbols.name(of: tick.symbol) == "BTC-USD")
        #expect(ingestor.venues.name(of: tick.venue) == "COINBASE")
        #expect(ingestor.symbols.count == Set(CryptofeedFixtures.frames.filter { $0.channel != "ignored" }.map(\.symbol)).count)
    }

    @Test("counters add up per feed and in total")
    func counters() {
        var ingestor = TickIngestor(configuration: IngestConfiguration(feeds: [
            FeedConfiguration(name: "pb"), FeedConfiguration(name: "cf", encoding: .cryptofeed),
        ]))
        _ = ingestor.ingest(protobufTick(symbol: "ETH-USD", price: 100))
        _ = ingestor.ingest(protobuf: [0x00])
        _ = ingestor.ingest(cryptofeed: cryptofeedTrade(), feed: 1, receiptTime: baseTime + second)
        _ = ingestor.ingest(cryptofeed: Array(text: #"X-fills-Y {"exchange":"X","symbol":"Y"}"#), feed: 1)
        ingestor.lateBefore = baseTime + 10 * second
        _ = ingestor.ingest(cryptofeed: cryptofeedTrade(), feed: 1, receiptTime: baseTime + second)
        let pb = ingestor.counters(feed: 0)
        let cf = ingestor.counters(feed: 1)
        #expect(pb.received == 2 && pb.accepted == 1 && pb[.invalidProtobuf] == 1)
        #expect(cf.received == 3 && cf.accepted == 1 && cf.ignored == 1 && cf[.late] == 1)
        var sum = IngestCounters()
        sum.add(pb)
        sum.add(cf)
        #expect(sum == ingestor.totals)
        #expect(ingestor.counters(feed: 5) == IngestCounters())
        let totals = ingestor.totals
        #expect(totals.received == totals.accepted + totals.ignored + totals.rejected)
    }

    @Test("garbage is rejected before it can fill the symbol table")
    func valuesCheckedBeforeInterning() {
        var ingestor = TickIngestor(configuration: IngestConfiguration(
            symbols: SymbolTableConfiguration(maximumDiscovered: 2)))
        for index in 0..<100 {
            _ = ingestor.ingest(protobufTick(symbol: "JUNK-\(index)", price: .nan))
        }
        #expect(ingestor.symbols.count == 0)
        #expect(ingestor.ingest(protobufTick(symbol: "BTC-USD")).isAccepted)
    }

    @Test("quarantined ticks carry the reference, and a confirmed move is accepted")
    func quarantineThroughIngestor() throws {
        var ingestor = TickIngestor()
        #expect(ingestor.ingest(protobufTick(venue: "A", price: 100, exchangeTime: baseTime)).isAccepted)
        #expect(ingestor.ingest(protobufTick(venue: "B", price: 100, exchangeTime: baseTime + 1)).isAccepted)
        let spike = ingestor.ingest(protobufTick(venue: "A", price: 110, exchangeTime: baseTime + 2))
        guard case .quarantined(let tick) = spike else {
            Issue.record("expected quarantine, got \(spike)")
            return
        }
        #expect(tick.price == 110 && tick.robustPrice == 100)
        let confirmation = ingestor.ingest(protobufTick(venue: "B", price: 110.1, exchangeTime: baseTime + 3))
        let confirmed = try #require(confirmation.acceptedTick)
        #expect(confirmed.robustPrice.isApproximatelyEqual(to: 110.05, relativeTolerance: 1e-12))
        #expect(ingestor.totals.quarantined == 1)
    }
}
