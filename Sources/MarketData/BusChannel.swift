/// The market-data channels beyond price ticks that Fulcrum decodes: what cryptofeed's `BookZMQ`, `FundingZMQ`,
/// `OpenInterestZMQ`, `LiquidationsZMQ` and `CandlesZMQ` publish, and the matching `fulcrum.v1` messages.
public enum BusChannel: UInt8, CaseIterable, Sendable, Hashable, Codable, CustomStringConvertible {
    /// Order-book snapshots and deltas (cryptofeed `book`).
    case book = 0
    /// Funding: mark price, funding rate, index price where the source has one (cryptofeed `funding`).
    case funding = 1
    /// Open interest in base units (cryptofeed `open_interest`).
    case openInterest = 2
    /// Forced liquidations: side, quantity, price (cryptofeed `liquidations`).
    case liquidations = 3
    /// OHLCV candles (cryptofeed `candles`).
    case candles = 4

    /// The stable name used in logs: `book`, `funding`, `open_interest`, `liquidations`, `candles`.
    public var description: String {
        switch self {
        case .book: "book"
        case .funding: "funding"
        case .openInterest: "open_interest"
        case .liquidations: "liquidations"
        case .candles: "candles"
        }
    }
}
