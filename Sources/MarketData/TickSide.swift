/// The aggressor side of a trade, when the venue reports it.
public enum TickSide: UInt8, Sendable, Hashable, CaseIterable {
    /// Not reported, not a trade (a quote-derived tick), or a value Fulcrum does not know.
    case unknown = 0
    /// The buyer was the aggressor.
    case buy = 1
    /// The seller was the aggressor.
    case sell = 2

    /// Maps a `fulcrum.v1.Side` wire value to a side; unrecognized values become ``unknown``.
    @inlinable
    public init(protobufValue value: Int32) {
        switch value {
        case 1: self = .buy
        case 2: self = .sell
        default: self = .unknown
        }
    }
}
