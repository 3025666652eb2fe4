/// What the ``RobustPriceFilter`` knows about one venue across all its symbols.
public struct VenuePriceStatus: Sendable, Hashable {
    /// Newest exchange time of any accepted tick from the venue.
    public var lastAcceptedExchangeTime: Int64?
    /// Newest receipt time of any accepted tick from the venue.
    public var lastAcceptedReceiptTime: Int64?
    /// Ticks accepted from the venue.
    public var acceptedCount: UInt64
    /// Ticks quarantined from the venue.
    public var quarantinedCount: UInt64
}
