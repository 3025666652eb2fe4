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
    /// Long-side exceptions against the long model fraction MMF_long (target ε): the model's calibration.
    public var longSide: CoverageSummary
    /// Short-side exceptions against the short model fraction MMF_short (target ε).
    public var shortSide: CoverageSummary
    /// Share of horizons whose published MMF was set by the long side (MMF_long ≥ MMF_short at the start).
    public var longBindingShare: Double
    /// Capital efficiency of the published MMF per side and for both (the larger k*), at ε per side.
    public var efficiency: (long: CapitalEfficiency, short: CapitalEfficiency, published: CapitalEfficiency)
    /// Capital efficiency of the side model fractions.
    public var sideEfficiency: (long: CapitalEfficiency, short: CapitalEfficiency)
    /// Steps with a price from the first `ready` one on, by margin status (the initial warm-up, when no horizon
    /// is scored yet, is ``initialWarmupSteps``).
    public var statusCounts: [MarginStatus: Int]
    /// Steps with a price before the first `ready` one (the initial warm-up; no horizon starts there).
    public var initialWarmupSteps: Int
    /// The anti-procyclicality tool's cost (filled by a runner that replayed without it too).
    public var antiProcyclicality: AntiProcyclicalityCost?
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
        longSide = CoverageSummary(tracker.longSide)
        shortSide = CoverageSummary(tracker.shortSide)
        let horizons = series.observations
        longBindingShare = horizons.isEmpty ? .nan
            : Double(tracker.longBinding) / Double(max(tracker.total.observations, 1))
        let epsilon = tracker.tailProbability
        let longEfficiency = CapitalEfficiency(requiredMultiples: horizons.map(\.longRequiredMultiple),
                                               targetRate: epsilon)
        let shortEfficiency = CapitalEfficiency(requiredMultiples: horizons.map(\.shortRequiredMultiple),
                                                targetRate: epsilon)
        efficiency = (longEfficiency, shortEfficiency, CapitalEfficiency.binding(longEfficiency, shortEfficiency))
        sideEfficiency = (
            CapitalEfficiency(requiredMultiples: horizons.map { ($0.liquidationCost - $0.move) / $0.longMaintenance },
                              targetRate: epsilon),
            CapitalEfficiency(requiredMultiples: horizons.map { ($0.liquidationCost + $0.move) / $0.shortMaintenance },
                              targetRate: epsilon))
        var counts: [MarginStatus: Int] = [:]
        var warmup = 0
        var started = false
        for index in series.times.indices where series.prices[index].isFinite && series.prices[index] > 0 {
            started = started || series.statuses[index] == .ready
            if started { counts[series.statuses[index], default: 0] += 1 } else { warmup += 1 }
        }
        initialWarmupSteps = warmup
        statusCounts = counts
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

    /// Steps with a price from the first `ready` one on.
    public var pricedSteps: Int { statusCounts.values.reduce(0, +) }

    /// Share of priced steps from the first `ready` one on whose margins were not `ready` (stale, stressed or
    /// warming again); an asset that never became ready has share 1.
    public var notReadyShare: Double {
        let total = pricedSteps
        if total == 0 { return initialWarmupSteps > 0 ? 1 : 0 }
        return Double(total - statusCounts[.ready, default: 0]) / Double(total)
    }

    /// Share of priced steps from the first `ready` one on with status `status` (all of them warming for an
    /// asset that never became ready).
    public func share(_ status: MarginStatus) -> Double {
        let total = pricedSteps
        if total == 0 { return status == .warming && initialWarmupSteps > 0 ? 1 : 0 }
        return Double(statusCounts[status, default: 0]) / Double(total)
    }

    /// The side whose fraction set the published MMF on most horizons (`long` or `short`).
    public var bindingSide: String { longBindingShare >= 0.5 ? "long" : "short" }

    /// The binding side's coverage against its own model fraction: the calibration verdict of a one-MMF venue.
    public var bindingSideCoverage: CoverageSummary { longBindingShare >= 0.5 ? longSide : shortSide }

    /// Horizons whose move exceeded the initial margin, as a share of all horizons.
    public var initialExceptionRate: Double {
        coverage.observations > 0 ? Double(initialExceptions) / Double(coverage.observations) : 0
    }
}
