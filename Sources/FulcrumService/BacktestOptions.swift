/// What to backtest and how to read it.
public struct BacktestOptions: Sendable {
    /// Input formats.
    public enum Format: String, Sendable, CaseIterable {
        /// Decide from the content: recording magic bytes, else an OHLC header (`Date` and `Close`), else ticks.
        case auto
        /// A recording written by `fulcrum record` or `recording.path`.
        case recording
        /// Tick CSV: `timestamp,symbol,price[,venue,size]`.
        case csv
        /// Daily bars with a `Date,Open,High,Low,Close,…` header, one instrument per file.
        case ohlc
    }

    /// Input files: one recording, or one or more CSV or OHLC files.
    public var inputs: [String]
    /// How to read them. Default `.auto`.
    public var format: Format = .auto
    /// For OHLC: the instrument of each file, in order (default: the file name without extension).
    public var symbols: [String] = []
    /// For OHLC: the column replayed as the session's price. Default `Close`.
    public var priceColumn: String = "Close"
    /// Title of the report.
    public var title: String = "Fulcrum backtest"
    /// Publisher epoch stamped on the updates; default the recording's (so updates compare equal to the live
    /// ones), 0 for CSV and OHLC.
    public var epoch: UInt64?
    /// Fit the grid, horizon, staleness and half-life to bar inputs (``BacktestAdaptation``). Default true;
    /// false replays with the configuration exactly as given.
    public var adaptToData = true
    /// Replay a second time with the anti-procyclicality tool off and report what it costs and buys
    /// (``AntiProcyclicalityCost``). Default true (when a tool is configured).
    public var compareAntiProcyclicality = true

    /// A position book (a `fulcrum.v1.PositionSnapshot` file, binary or JSON; ``PositionFile``) to value and
    /// stress along the replay: the report then has a `health` section (``HealthBacktestReport``).
    public var positionsPath: String?

    /// Options for `inputs` with every other setting at its default.
    public init(inputs: [String]) {
        self.inputs = inputs
    }
}
