import MarginModel
import MarketData
import MarketLiquidity
import Testing

/// The values the grid's `mid` and `mark` sources sample: medians over the venues that are fresh at the tick's
/// time, `nil` (the engine then samples the robust price) when none is.
@Suite("Grid price sources: mid and mark")
struct GridPriceSourceTests {
    static let second: Int64 = 1_000_000_000
    static let start: Int64 = 1_700_000_000 * 1_000_000_000
    static let symbol = SymbolID(rawValue: 0)

    static func funding(venue: UInt32, mark: Double, at time: Int64) -> MarketEvent {
        var event = MarketEvent(channel: .funding, symbol: symbol, venue: VenueID(rawValue: venue), exchangeTime: time)
        event.price = mark
        return event
    }

    /// A one-level-a-side snapshot of `venue`'s book at `time`.
    static func book(_ books: inout OrderBooks, venue: UInt32, bid: Double, ask: Double, at time: Int64) throws {
        var levels = BookLevelBuffer()
        try levels.append(isBid: true, price: bid, size: 1)
        try levels.append(isBid: false, price: ask, size: 1)
        try books.apply(symbol: symbol, venue: VenueID(rawValue: venue), time: time, isSnapshot: true, levels: levels)
    }

    @Test("mark: the median of the fresh venues' marks; a stale mark drops out; none fresh gives nil")
    func mark() {
        var tracker = LiquidityTracker(configuration: LiquidityConfiguration())
        let staleAfter = 10 * Self.second
        #expect(tracker.markPrice(symbol: Self.symbol, at: Self.start, staleAfter: staleAfter) == nil)
        tracker.record(Self.funding(venue: 0, mark: 100, at: Self.start))
        tracker.record(Self.funding(venue: 1, mark: 101, at: Self.start + 2 * Self.second))
        tracker.record(Self.funding(venue: 2, mark: 103, at: Self.start + 4 * Self.second))
        #expect(tracker.markPrice(symbol: Self.symbol, at: Self.start + 5 * Self.second, staleAfter: staleAfter) == 101)
        // At start + 11 s venue 0 (stamped at start) is stale: the median of 101 and 103.
        #expect(tracker.markPrice(symbol: Self.symbol, at: Self.start + 11 * Self.second, staleAfter: staleAfter)
                == 102)
        // A mark stamped after the tick (its channel running ahead) counts.
        #expect(tracker.markPrice(symbol: Self.symbol, at: Self.start - Self.second, staleAfter: staleAfter) == 101)
        #expect(tracker.markPrice(symbol: Self.symbol, at: Self.start + 15 * Self.second, staleAfter: staleAfter)
                == nil)
        #expect(tracker.markPrice(symbol: SymbolID(rawValue: 9), at: Self.start, staleAfter: staleAfter) == nil)
    }

    @Test("mid: live books and quotes per venue, the newer of the two, median over the fresh venues")
    func mid() throws {
        var tracker = LiquidityTracker(configuration: LiquidityConfiguration())
        var books = OrderBooks(venueCapacity: 8)
        let staleAfter = 10 * Self.second
        #expect(tracker.midPrice(symbol: Self.symbol, books: books, at: Self.start, staleAfter: staleAfter) == nil)
        try Self.book(&books, venue: 0, bid: 99, ask: 101, at: Self.start)
        #expect(tracker.midPrice(symbol: Self.symbol, books: books, at: Self.start, staleAfter: staleAfter) == 100)
        // Venue 1 quotes only; venue 2 has a book and a newer quote (the quote wins), then an older one (the book).
        tracker.recordQuote(symbol: Self.symbol, venue: VenueID(rawValue: 1), bid: 100, ask: 101,
                            time: Self.start + Self.second)
        try Self.book(&books, venue: 2, bid: 102, ask: 104, at: Self.start + Self.second)
        tracker.recordQuote(symbol: Self.symbol, venue: VenueID(rawValue: 2), bid: 104, ask: 106,
                            time: Self.start + 2 * Self.second)
        // Mids 100, 100.5, 105.
        #expect(tracker.midPrice(symbol: Self.symbol, books: books, at: Self.start + 3 * Self.second,
                                 staleAfter: staleAfter) == 100.5)
        try Self.book(&books, venue: 2, bid: 101, ask: 102, at: Self.start + 4 * Self.second)
        // Mids 100, 100.5, 101.5.
        #expect(tracker.midPrice(symbol: Self.symbol, books: books, at: Self.start + 5 * Self.second,
                                 staleAfter: staleAfter) == 100.5)
        // At start + 10.5 s venue 0's book (start) is stale: median of 100.5 and 101.5.
        #expect(tracker.midPrice(symbol: Self.symbol, books: books, at: Self.start + 10 * Self.second + Self.second / 2,
                                 staleAfter: staleAfter) == 101)
        // Crossed or one-sided quotes are not mids.
        tracker.recordQuote(symbol: Self.symbol, venue: VenueID(rawValue: 3), bid: 110, ask: 109,
                            time: Self.start + 5 * Self.second)
        tracker.recordQuote(symbol: Self.symbol, venue: VenueID(rawValue: 4), bid: .nan, ask: 109,
                            time: Self.start + 5 * Self.second)
        #expect(tracker.midPrice(symbol: Self.symbol, books: books, at: Self.start + 5 * Self.second,
                                 staleAfter: staleAfter) == 100.5)
        #expect(tracker.midPrice(symbol: Self.symbol, books: books, at: Self.start + 30 * Self.second,
                                 staleAfter: staleAfter) == nil)
    }
}
