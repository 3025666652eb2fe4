import MarginModel

/// The backtest figures of one asset.
public struct AssetReport: Sendable {
    /// The asset.
    public var symbol: String
    /// H, ns.
    public var horizonNs: Int64
    /// ε per side.
    public var tailProbability: Double
    /// Two-sided maintenance-margin exceptions (target 2ε): the headline.
    public var coverage: CoverageSummary
    /// Long-side exceptions (target ε).
    public var long: CoverageSummary
    /// Short-side exceptions (target ε).
    public var short: CoverageSummary
    /// Horizons whose move exceeded the initial margin.
    public var initialExceptions: Int
    /// Steps where a horizon could start (eligible, with a price and a margin).
    public var scoredSteps: Int
    /// Mean published MMF over scored steps.
    public var meanMaintenance: Double
    /// Largest published MMF over scored steps.
    public var maxMaintenance: Double
    /// Mean published IMF over scored steps.
    public var meanInitial: Double
    /// Largest published IMF over scored steps.
    public var maxInitial: Double
    /// Largest MMF rises over 1 day and 5 days.
    public var procyclicality: [ProcyclicalityMeasure]
    /// Steps at which a published value (IMF, MMF or max leverage) changed.
    public var publishedChanges: Int
    /// Updates published (changes, status changes and periodic refreshes).
    public var updatesPublished: Int
    /// Steps computed with a widened σ.
    public var wideningSteps: Int
    /// The step-by-step history.
    public var series: AssetSeries

    /// The figures of one asset from its tracker and history; `scored` selects the steps that count.
    public init(symbol: String, tracker: CoverageTracker, series: AssetSeries, scored: (MarginStatus) -> Bool,
                procyclicalityWindows: [Int64]) {
        self.symbol = symbol
        horizonNs = tracker.horizonNs
        tailProbability = tracker.tailProbability
        coverage = CoverageSummary(tracker.total)
        long = CoverageSummary(tracker.long)
        short = CoverageSummary(tracker.short)
        initialExceptions = tracker.initialExceptions
        self.series = series
        let included = series.times.indices.map { index in
            scored(series.statuses[index]) && series.prices[index].isFinite && series.prices[index] > 0
                && series.maintenance[index] > 0
        }
        var count = 0
        var maintenanceSum = 0.0
        var initialSum = 0.0
        var maxMaintenance = 0.0
        var maxInitial = 0.0
        for index in series.times.indices where included[index] {
            count += 1
            maintenanceSum += series.maintenance[index]
            initialSum += series.initial[index]
            maxMaintenance = max(maxMaintenance, series.maintenance[index])
            maxInitial = max(maxInitial, series.initial[index])
        }
        scoredSteps = count
        meanMaintenance = count > 0 ? maintenanceSum / Double(count) : .nan
        meanInitial = count > 0 ? initialSum / Double(count) : .nan
        self.maxMaintenance = count > 0 ? maxMaintenance : .nan
        self.maxInitial = count > 0 ? maxInitial : .nan
        procyclicality = procyclicalityWindows.map { window in
            ProcyclicalityMeasure(times: series.times, values: series.maintenance, windowNs: window) { included[$0] }
        }
        var changes = 0
        for index in series.times.indices.dropFirst() where series.maintenance[index] != series.maintenance[index - 1]
            || series.initial[index] != series.initial[index - 1]
            || series.maxLeverage[index] != series.maxLeverage[index - 1] {
            changes += 1
        }
        publishedChanges = changes
        updatesPublished = series.published.lazy.filter { $0 }.count
        wideningSteps = series.widening.lazy.filter { $0 != 1 }.count
    }

    /// Horizons whose move exceeded the initial margin, as a share of all horizons.
    public var initialExceptionRate: Double {
        coverage.observations > 0 ? Double(initialExceptions) / Double(coverage.observations) : 0
    }
}
