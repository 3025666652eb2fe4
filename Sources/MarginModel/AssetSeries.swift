
/// One asset's state after every grid step of a backtest, in columns: what the report's statistics and charts
/// are computed from.
public struct AssetSeries: Sendable, Hashable {
    /// Grid boundary, ns.
    public var times: [Int64] = []
    /// Grid-sampled price (NaN before the first).
    public var prices: [Double] = []
    /// Annualized volatility the estimator reported.
    public var sigmaAnnual: [Double] = []
    /// Published maintenance margin fraction.
    public var maintenance: [Double] = []
    /// Published initial margin fraction.
    public var initial: [Double] = []
    /// Target maintenance margin fraction.
    public var maintenanceTarget: [Double] = []
    /// The long side's model fraction MMF_long (tail loss + liquidation cost, before floors and governance).
    public var longMaintenance: [Double] = []
    /// The short side's model fraction MMF_short.
    public var shortMaintenance: [Double] = []
    /// The liquidation cost c inside the smallest tier's MMF.
    public var liquidationCost: [Double] = []
    /// Published max leverage.
    public var maxLeverage: [Int32] = []
    /// Margin status.
    public var statuses: [MarginStatus] = []
    /// Whether an update was published at the step (a change, a status change or the periodic refresh).
    public var published: [Bool] = []
    /// σ multiplier of the coverage widening rule applied at the step (1 when none).
    public var widening: [Double] = []
    /// Completed coverage horizons, in order.
    public var observations: [CoverageObservation] = []

    /// An empty series.
    public init() {}

    /// Number of steps.
    public var count: Int { times.count }

    /// Appends one step.
    public mutating func append(timeNs: Int64, price: Double, sigmaAnnual: Double, parameters: AssetParameters,
                                widening: Double) {
        times.append(timeNs)
        prices.append(price)
        self.sigmaAnnual.append(sigmaAnnual)
        maintenance.append(parameters.published.maintenanceMarginFraction)
        initial.append(parameters.published.initialMarginFraction)
        maintenanceTarget.append(parameters.target.maintenanceMarginFraction)
        longMaintenance.append(parameters.longMaintenanceMarginFraction)
        shortMaintenance.append(parameters.shortMaintenanceMarginFraction)
        liquidationCost.append(parameters.liquidationCostFraction)
        maxLeverage.append(Int32(clamping: parameters.published.maxLeverage))
        statuses.append(parameters.status)
        published.append(parameters.changed)
        self.widening.append(widening)
    }
}
