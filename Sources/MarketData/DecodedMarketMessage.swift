/// A decoded market-data message before its names are interned: venue and symbol are still positions in the
/// frame, as in ``DecodedTick``. Book levels go to a ``BookLevelBuffer`` the caller owns.
public struct DecodedMarketMessage: Sendable, Hashable {
    /// The channel.
    public var channel: BusChannel
    /// Venue (cryptofeed `exchange`).
    public var venue: FrameText = .empty
    /// Symbol.
    public var symbol: FrameText = .empty
    /// Exchange time, ns since the Unix epoch.
    public var exchangeTime: Int64 = 0
    /// Mark price, liquidation price or candle close; NaN otherwise.
    public var price: Double = .nan
    /// Open interest, liquidated quantity or candle volume; NaN otherwise.
    public var quantity: Double = .nan
    /// Funding rate; NaN when absent.
    public var rate: Double = .nan
    /// Index price, when present.
    public var indexPrice: Double?
    /// Liquidation side.
    public var side: TickSide = .unknown
    /// Book snapshot (whole book) rather than delta.
    public var isSnapshot = false
    /// Candle interval start, ns.
    public var intervalStart: Int64 = 0
    /// Candle interval end, ns.
    public var intervalEnd: Int64 = 0
    /// Whether the candle is final.
    public var isClosed = true

    /// A message of `channel` with every value absent.
    public init(channel: BusChannel) {
        self.channel = channel
    }
}
