import MarginModel
/// The settings a backtest ran with, echoed in its report.
public struct BacktestSettingsSummary: Sendable, Hashable {
    /// Grid interval Δ, ns.
    public var gridIntervalNs: Int64
    /// Liquidation horizon H, ns (assets may override it).
    public var horizonNs: Int64
    /// ε per side (assets may override it).
    public var tailProbability: Double
    /// The risk measure behind the maintenance margin, e.g. `expectedShortfall`.
    public var riskMeasure: String
    /// The margin model's configuration hash, as stamped on every update.
    public var configurationHash: UInt64
    /// The coverage settings.
    public var coverage: CoverageConfiguration
    /// Where the grid interval came from: `data` (picked from the input's bar interval) or `configuration`.
    public var gridSource: String = "configuration"
    /// The anti-procyclicality tool in force (`off`, `buffer`, `stressedVolatilityFloor`).
    public var antiProcyclicality: String = "off"
    /// Staleness after which an asset is `stale` and its margins stressed, ns.
    public var staleAfterNs: Int64 = 0
    /// Settings the backtest fitted to its data instead of taking them from the configuration, in words.
    public var adaptations: [String] = []

    /// Creates a summary.
    public init(gridIntervalNs: Int64, horizonNs: Int64, tailProbability: Double, riskMeasure: String,
                configurationHash: UInt64, coverage: CoverageConfiguration) {
        self.gridIntervalNs = gridIntervalNs
        self.horizonNs = horizonNs
        self.tailProbability = tailProbability
        self.riskMeasure = riskMeasure
        self.configurationHash = configurationHash
        self.coverage = coverage
    }
}
