/// What the ``RobustPriceFilter`` knows about one symbol, for publishing staleness and health.
public struct SymbolPriceStatus: Sendable, Hashable {
    /// The current reference price (median of fresh venues, else the last reference), if any tick was accepted.
    public var referencePrice: Double?
    /// Newest exchange time seen for the symbol (accepted or quarantined); the symbol's event clock.
    public var eventClock: Int64
    /// Exchange time of the newest accepted tick.
    public var lastAcceptedExchangeTime: Int64?
    /// Receipt time of the newest accepted tick.
    public var lastAcceptedReceiptTime: Int64?
    /// Venues whose latest accepted price is fresh relative to ``eventClock``.
    public var freshVenueCount: Int
    /// Venues currently holding a quarantined, unconfirmed price.
    public var quarantinedVenueCount: Int
    /// The robust scale `σ` in force (relative price change per tick).
    public var robustScale: Double
}
