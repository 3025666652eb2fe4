/// The channel a tick came from. A stream is `(venue, symbol, channel)`: each channel is checked for order and
/// duplicates within itself, because venues and bridges publish channels independently (cryptofeed's `TradeZMQ`
/// and `TickerZMQ` even use separate sockets) and some stamp a channel with the receipt time rather than an event
/// time, so one channel's ticks may lag another's by tens of milliseconds without either being out of order.
///
/// Across channels nothing is ordered: the grid keeps, per asset, the price of the tick with the latest exchange
/// time before each boundary, whichever channel it came on.
public enum TickChannel: UInt8, CaseIterable, Sendable, Hashable, Codable, CustomStringConvertible {
    /// Trades (cryptofeed `trades`; a protobuf tick that is not a quote).
    case trades = 0
    /// Best bid/ask updates (cryptofeed `ticker`; a protobuf tick with bid and ask and no size).
    case quotes = 1

    /// The stable name used in logs: `trades`, `quotes`.
    public var description: String {
        switch self {
        case .trades: "trades"
        case .quotes: "quotes"
        }
    }
}
