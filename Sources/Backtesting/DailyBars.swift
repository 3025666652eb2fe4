import MarginModel
/// One instrument's daily bars: a date and a price per trading session.
public struct DailyBars: Sendable, Hashable {
    /// Instrument symbol.
    public var symbol: String
    /// Session dates as days since 1970-01-01, strictly increasing.
    public var days: [Int64]
    /// The price replayed for each session (the close, or the configured column).
    public var prices: [Double]

    /// Creates bars.
    public init(symbol: String, days: [Int64] = [], prices: [Double] = []) {
        self.symbol = symbol
        self.days = days
        self.prices = prices
    }
}
