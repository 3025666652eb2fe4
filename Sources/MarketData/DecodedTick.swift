/// The fields of one tick as a decoder read them, before names are interned and values validated.
///
/// Names are ``FrameText`` references into the frame the tick was decoded from, valid only while that frame is.
public struct DecodedTick: Sendable, Hashable {
    /// Venue name, e.g. `BINANCE`.
    public var venue: FrameText
    /// Symbol name, e.g. `BTC-USD`.
    public var symbol: FrameText
    /// Trade price, or bid/ask mid for a quote-only tick. Zero when absent on the wire.
    public var price: Double
    /// Best bid, if present.
    public var bid: Double?
    /// Best ask, if present.
    public var ask: Double?
    /// Traded size, if present.
    public var size: Double?
    /// Aggressor side.
    public var side: TickSide
    /// Raw `fulcrum.v1.Side` value as on the wire (0 for JSON input), kept for exact round-trip comparisons.
    public var sideValue: Int32
    /// Exchange timestamp, nanoseconds since the Unix epoch. Zero when absent on the wire.
    public var exchangeTime: Int64
    /// The publisher's own receipt time, nanoseconds since the Unix epoch, if it sent one.
    public var sourceReceiptTime: Int64?
    /// The feed's sequence number for the stream, if present.
    public var feedSequence: UInt64?
    /// The channel the tick belongs to (part of its stream's identity).
    public var channel: TickChannel

    /// Creates a decoded tick; every field defaults to its proto3 default.
    @inlinable
    public init(
        venue: FrameText = .empty,
        symbol: FrameText = .empty,
        price: Double = 0,
        bid: Double? = nil,
        ask: Double? = nil,
        size: Double? = nil,
        side: TickSide = .unknown,
        sideValue: Int32 = 0,
        exchangeTime: Int64 = 0,
        sourceReceiptTime: Int64? = nil,
        feedSequence: UInt64? = nil,
        channel: TickChannel = .trades
    ) {
        self.venue = venue
        self.symbol = symbol
        self.price = price
        self.bid = bid
        self.ask = ask
        self.size = size
        self.side = side
        self.sideValue = sideValue
        self.exchangeTime = exchangeTime
        self.sourceReceiptTime = sourceReceiptTime
        self.feedSequence = feedSequence
        self.channel = channel
    }
}
