/// Scratch storage for the levels of one decoded book message, reused from message to message: after the largest
/// message has been seen once, decoding a book allocates nothing.
///
/// Levels are kept in the order the message lists them, per side; a level of size 0 in a delta removes its
/// price. The decoder has checked every price (finite, > 0) and size (finite, ≥ 0).
public struct BookLevelBuffer: Sendable {
    /// Bid prices, as listed.
    public internal(set) var bidPrices: [Double] = []
    /// Bid sizes (base units), parallel to ``bidPrices``.
    public internal(set) var bidSizes: [Double] = []
    /// Ask prices, as listed.
    public internal(set) var askPrices: [Double] = []
    /// Ask sizes (base units), parallel to ``askPrices``.
    public internal(set) var askSizes: [Double] = []

    /// Empty buffers.
    public init() {}

    /// Levels over both sides.
    public var count: Int { bidPrices.count &+ askPrices.count }

    /// Forgets the levels, keeping the storage.
    public mutating func removeAll() {
        bidPrices.removeAll(keepingCapacity: true)
        bidSizes.removeAll(keepingCapacity: true)
        askPrices.removeAll(keepingCapacity: true)
        askSizes.removeAll(keepingCapacity: true)
    }

    /// Appends one level after checking it.
    ///
    /// - Throws: ``RejectionReason/invalidBookLevel`` for a price that is not finite and > 0 or a size that is not
    ///   finite and ≥ 0.
    @inline(__always)
    public mutating func append(isBid: Bool, price: Double, size: Double) throws(RejectionReason) {
        guard price.isFinite, price > 0, size.isFinite, size >= 0 else { throw .invalidBookLevel }
        if isBid {
            bidPrices.append(price)
            bidSizes.append(size)
        } else {
            askPrices.append(price)
            askSizes.append(size)
        }
    }
}
