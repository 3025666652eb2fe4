/// One validated price observation from one venue, as it enters Fulcrum's estimators.
///
/// Names are interned: ``symbol`` and ``venue`` are small dense identifiers resolved with the ingestor's
/// ``SymbolTable``s, so a tick is a plain value of a few machine words with no `String` and no heap storage.
/// Times are nanoseconds since the Unix epoch (UTC).
public struct Tick: Sendable, Hashable {
    /// The instrument.
    public var symbol: SymbolID
    /// The venue the price comes from. `(venue, symbol, channel)` identifies a stream.
    public var venue: VenueID
    /// The venue's price in quote currency: the trade price, or the bid/ask mid for a quote-only tick.
    public var price: Double
    /// The symbol's robust cross-venue reference price after this tick was taken into account (the median of the
    /// venues' latest fresh accepted prices, see ``RobustPriceFilter``). Equal to ``price`` until filtered.
    public var robustPrice: Double
    /// Best bid at the time of the tick, if known.
    public var bid: Double?
    /// Best ask at the time of the tick, if known.
    public var ask: Double?
    /// Traded quantity in base units, if the tick is a trade.
    public var size: Double?
    /// Aggressor side, if known.
    public var side: TickSide
    /// Exchange timestamp in nanoseconds since the Unix epoch; drives the event-time grid.
    public var exchangeTime: Int64
    /// Time Fulcrum received the message, nanoseconds since the Unix epoch.
    public var receiptTime: Int64
    /// The feed's own sequence number for this stream, if it has one.
    public var feedSequence: UInt64?
    /// The channel the tick came on: ordering and duplicates are judged per channel.
    public var channel: TickChannel

    /// Creates a tick; ``robustPrice`` defaults to `price`.
    @inlinable
    public init(
        symbol: SymbolID,
        venue: VenueID,
        price: Double,
        robustPrice: Double? = nil,
        bid: Double? = nil,
        ask: Double? = nil,
        size: Double? = nil,
        side: TickSide = .unknown,
        exchangeTime: Int64,
        receiptTime: Int64,
        feedSequence: UInt64? = nil,
        channel: TickChannel = .trades
    ) {
        self.symbol = symbol
        self.venue = venue
        self.price = price
        self.robustPrice = robustPrice ?? price
        self.bid = bid
        self.ask = ask
        self.size = size
        self.side = side
        self.exchangeTime = exchangeTime
        self.receiptTime = receiptTime
        self.feedSequence = feedSequence
        self.channel = channel
    }
}
