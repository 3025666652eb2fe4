/// What the ``RobustPriceFilter`` knows about one stream `(venue, symbol)`.
public struct StreamPriceStatus: Sendable, Hashable {
    /// The stream's latest accepted price.
    public var lastAcceptedPrice: Double?
    /// Exchange time of the latest accepted price.
    public var lastAcceptedExchangeTime: Int64?
    /// Receipt time of the latest accepted price.
    public var lastAcceptedReceiptTime: Int64?
    /// The quarantined price awaiting confirmation, if any.
    public var quarantinedPrice: Double?
    /// Whether the latest accepted price counts towards the reference (is not stale).
    public var isFresh: Bool
}
