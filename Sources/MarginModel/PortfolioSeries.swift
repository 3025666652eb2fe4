/// One portfolio's margin after every grid step of a backtest.
public struct PortfolioSeries: Sendable, Hashable {
    /// Grid boundary, ns.
    public var times: [Int64] = []
    /// Portfolio margin as a fraction of gross notional (NaN while it cannot be formed).
    public var margin: [Double] = []
    /// Sum of the members' standalone margins as a fraction of gross notional (NaN likewise).
    public var standalone: [Double] = []
    /// Completed coverage horizons, in order.
    public var observations: [PortfolioObservation] = []

    /// An empty series.
    public init() {}
}
