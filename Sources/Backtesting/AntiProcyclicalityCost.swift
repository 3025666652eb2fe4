/// What the anti-procyclicality tool costs and buys on one asset: the same backtest with and without it.
public struct AntiProcyclicalityCost: Sendable, Hashable {
    /// The tool in force (e.g. `stressedVolatilityFloor`).
    public var mode: String
    /// Mean published MMF over scored steps, with the tool.
    public var meanMaintenanceWith: Double
    /// Mean published MMF over scored steps, without it (mode `off`).
    public var meanMaintenanceWithout: Double
    /// Two-sided exception rate of the published MMF with the tool (target 2ε).
    public var exceptionRateWith: Double
    /// Two-sided exception rate without it.
    public var exceptionRateWithout: Double
    /// Long-side exception rate of the published MMF with the tool (target ε).
    public var longRateWith: Double
    /// Short-side exception rate of the published MMF with the tool (target ε).
    public var shortRateWith: Double
    /// Long-side exception rate without the tool.
    public var longRateWithout: Double
    /// Short-side exception rate without the tool.
    public var shortRateWithout: Double
    /// Largest 5-day relative MMF rise with and without the tool (what it buys: smaller jumps).
    public var largestRiseWith: Double?
    /// Largest 5-day relative MMF rise without the tool.
    public var largestRiseWithout: Double?

    /// Compares the report of a run with the tool (`with`) and one without (`without`) for the same asset.
    public init(mode: String, with: AssetReport, without: AssetReport) {
        self.mode = mode
        meanMaintenanceWith = with.meanMaintenance
        meanMaintenanceWithout = without.meanMaintenance
        exceptionRateWith = with.coverage.exceptionRate
        exceptionRateWithout = without.coverage.exceptionRate
        longRateWith = with.long.exceptionRate
        shortRateWith = with.short.exceptionRate
        longRateWithout = without.long.exceptionRate
        shortRateWithout = without.short.exceptionRate
        largestRiseWith = with.procyclicality.last?.largestRelativeIncrease
        largestRiseWithout = without.procyclicality.last?.largestRelativeIncrease
    }

    /// Extra margin the tool charges: mean MMF with / without − 1.
    public var marginIncrease: Double { meanMaintenanceWith / meanMaintenanceWithout - 1 }

}
