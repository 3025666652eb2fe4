import MarginModel
/// The backtest figures of one configured portfolio.
public struct PortfolioReport: Sendable {
    /// The portfolio's name.
    public var name: String
    /// Members and their signed notionals, by symbol.
    public var positions: [(symbol: String, notional: Double)]
    /// H, ns.
    public var horizonNs: Int64
    /// Exceptions of the portfolio margin (one-sided, target ε of the portfolio risk measure).
    public var coverage: CoverageSummary
    /// Mean portfolio margin as a fraction of gross notional, over steps where it could be formed.
    public var meanMargin: Double
    /// Largest portfolio margin fraction.
    public var maxMargin: Double
    /// Mean sum of standalone margins as a fraction of gross notional (the margin without offsets).
    public var meanStandalone: Double
    /// Largest rises of the portfolio margin over 1 day and 5 days.
    public var procyclicality: [ProcyclicalityMeasure]
    /// Steps at which the portfolio margin changed.
    public var marginChanges: Int
    /// The step-by-step history.
    public var series: PortfolioSeries

    /// The figures of one portfolio from its tracker and history.
    public init(tracker: PortfolioCoverageTracker, series: PortfolioSeries, procyclicalityWindows: [Int64]) {
        name = tracker.name
        positions = zip(tracker.symbols, tracker.notionals).map { ($0, $1) }
        horizonNs = tracker.horizonNs
        coverage = CoverageSummary(tracker.statistics)
        self.series = series
        let valid = series.margin.map { $0.isFinite && $0 > 0 }
        let margins = series.margin.indices.filter { valid[$0] }.map { series.margin[$0] }
        let standalone = series.standalone.indices.filter { valid[$0] }.map { series.standalone[$0] }
        meanMargin = margins.isEmpty ? .nan : margins.reduce(0, +) / Double(margins.count)
        maxMargin = margins.max() ?? .nan
        meanStandalone = standalone.isEmpty ? .nan : standalone.reduce(0, +) / Double(standalone.count)
        procyclicality = procyclicalityWindows.map { window in
            ProcyclicalityMeasure(times: series.times, values: series.margin, windowNs: window) { valid[$0] }
        }
        var changes = 0
        for index in series.margin.indices.dropFirst() where valid[index] && valid[index - 1]
            && series.margin[index] != series.margin[index - 1] {
            changes += 1
        }
        marginChanges = changes
    }
}
