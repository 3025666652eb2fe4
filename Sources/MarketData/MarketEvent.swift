/// One accepted market-data message other than a price tick, with interned names (see
/// ``IngestOutcome/market(_:)``). A plain value: the fields a channel does not carry are NaN, 0 or `nil`.
///
/// | channel | ``price`` | ``quantity`` | ``rate`` | other |
/// |---|---|---|---|---|
/// | book | — | levels applied | — | ``isSnapshot`` |
/// | funding | mark price | — | funding rate (NaN if absent) | ``indexPrice`` |
/// | openInterest | — | open interest, base units | — | |
/// | liquidations | price | quantity, base units | — | ``side`` (the liquidation order's side) |
/// | candles | close | volume, base units | — | ``intervalStart``, ``intervalEnd``, ``isClosed`` |
public struct MarketEvent: Sendable, Hashable {
    /// The channel.
    public var channel: BusChannel
    /// Instrument.
    public var symbol: SymbolID
    /// Venue.
    public var venue: VenueID
    /// Exchange (event) time, ns since the Unix epoch.
    public var exchangeTime: Int64
    /// Mark price (funding), liquidation price, or candle close; NaN otherwise.
    public var price: Double = .nan
    /// Open interest, liquidated quantity or candle volume (base units); for books, the number of levels applied.
    public var quantity: Double = .nan
    /// Funding rate per funding interval; NaN when absent.
    public var rate: Double = .nan
    /// Index price, when the source publishes one (`fulcrum.v1.Funding.index_price`; cryptofeed has none).
    public var indexPrice: Double?
    /// Side of a liquidation order (`sell` liquidates a long).
    public var side: TickSide = .unknown
    /// Whether a book message replaced the whole book (snapshot) rather than changing levels (delta).
    public var isSnapshot = false
    /// Candle interval start and end, ns since the Unix epoch (0 for other channels).
    public var intervalStart: Int64 = 0
    /// See ``intervalStart``.
    public var intervalEnd: Int64 = 0
    /// Whether the candle is final (cryptofeed `closed`; `true` when absent).
    public var isClosed = true

    /// Creates an event with the identifying fields; set the channel's values afterwards.
    public init(channel: BusChannel, symbol: SymbolID, venue: VenueID, exchangeTime: Int64) {
        self.channel = channel
        self.symbol = symbol
        self.venue = venue
        self.exchangeTime = exchangeTime
    }
}
