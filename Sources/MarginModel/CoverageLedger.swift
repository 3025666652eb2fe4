
/// The coverage state of a whole engine: one ``CoverageTracker`` per asset, one ``PortfolioCoverageTracker``
/// per configured portfolio, the widening multiplier each asset's last update used, and — in backtests — the
/// full step-by-step history the report is built from.
///
/// Fed once per asset per grid step by the engine, after the optimizer ran; O(1) per asset and step, and
/// allocation-free unless history is kept.
public struct CoverageLedger: Sendable {
    /// The settings in force.
    public let configuration: CoverageConfiguration
    /// Asset names in engine order.
    public private(set) var symbols: [String] = []
    /// Per-asset trackers in engine order.
    public internal(set) var trackers: [CoverageTracker] = []
    /// Per-portfolio trackers in configuration order.
    public internal(set) var portfolios: [PortfolioCoverageTracker] = []
    /// Step-by-step history per asset (empty unless ``startHistory()`` was called).
    public private(set) var assetSeries: [AssetSeries] = []
    /// Step-by-step history per portfolio (empty unless ``startHistory()`` was called).
    public private(set) var portfolioSeries: [PortfolioSeries] = []
    /// Whether history is kept.
    public private(set) var keepsHistory = false
    /// The widening multiplier each asset's last update used.
    var applied: [Double] = []

    /// A ledger for `configuration`; portfolios score their margin over `portfolioHorizonNs` at tail
    /// probability `portfolioTailProbability`.
    public init(configuration: CoverageConfiguration, portfolioHorizonNs: Int64, portfolioTailProbability: Double) {
        self.configuration = configuration
        portfolios = configuration.portfolios.map {
            PortfolioCoverageTracker(definition: $0, horizonNs: portfolioHorizonNs,
                                     tailProbability: portfolioTailProbability, window: configuration.window)
        }
    }

    /// Starts keeping the step-by-step history (for backtests); assets added earlier get empty series.
    public mutating func startHistory() {
        guard !keepsHistory else { return }
        keepsHistory = true
        assetSeries = Array(repeating: AssetSeries(), count: symbols.count)
        portfolioSeries = Array(repeating: PortfolioSeries(), count: portfolios.count)
    }

    /// Adds an asset, in engine order, with its horizon H (ns) and tail probability ε.
    public mutating func addAsset(symbol: String, horizonNs: Int64, tailProbability: Double) {
        for index in portfolios.indices { portfolios[index].resolve(symbol: symbol, asset: symbols.count) }
        symbols.append(symbol)
        trackers.append(CoverageTracker(horizonNs: horizonNs, tailProbability: tailProbability,
                                        window: configuration.window))
        applied.append(1)
        if keepsHistory { assetSeries.append(AssetSeries()) }
    }

    /// The σ multiplier the widening rule asks for at the asset's next update (1 when off or green).
    public func wideningMultiplier(asset: Int) -> Double {
        configuration.enabled ? configuration.widening.multiplier(for: trackers[asset].rolling.zone) : 1
    }

    /// Whether the asset's last update was computed with a widened σ.
    public func isWidened(asset: Int) -> Bool { applied[asset] != 1 }

    /// Whether a step with this status may open a horizon.
    public func isEligible(_ status: MarginStatus) -> Bool {
        configuration.includeWarming || status != .warming
    }

    /// Records the asset's step after its update: `parameters` as published, `price` the grid-sampled price,
    /// `widening` the multiplier the update used. Returns the horizon the step completed, if any.
    @discardableResult
    public mutating func observe(asset: Int, timeNs: Int64, price: Double, sigmaAnnual: Double,
                                 parameters: AssetParameters, widening: Double) -> CoverageObservation? {
        applied[asset] = widening
        let observation = trackers[asset].step(
            timeNs: timeNs, price: price, maintenanceMargin: parameters.published.maintenanceMarginFraction,
            initialMargin: parameters.published.initialMarginFraction, eligible: isEligible(parameters.status),
            liquidationCost: parameters.liquidationCostFraction,
            longMaintenance: parameters.longMaintenanceMarginFraction,
            shortMaintenance: parameters.shortMaintenanceMarginFraction)
        if keepsHistory {
            assetSeries[asset].append(timeNs: timeNs, price: price, sigmaAnnual: sigmaAnnual, parameters: parameters,
                                      widening: widening)
            if let observation { assetSeries[asset].observations.append(observation) }
        }
        return observation
    }

    /// Records a portfolio's step: members' prices in member order and its margin result (nil when it cannot be
    /// formed). Returns the horizon the step completed, if any.
    @discardableResult
    public mutating func observePortfolio(_ index: Int, timeNs: Int64, prices: [Double],
                                          margin: PortfolioMarginResult?) -> PortfolioObservation? {
        let gross = portfolios[index].grossNotional
        let fraction = margin.map { $0.margin / gross }
        let observation = portfolios[index].step(timeNs: timeNs, prices: prices, margin: fraction)
        if keepsHistory {
            portfolioSeries[index].times.append(timeNs)
            portfolioSeries[index].margin.append(fraction ?? .nan)
            portfolioSeries[index].standalone.append(margin.map { $0.standaloneSum / gross } ?? .nan)
            if let observation { portfolioSeries[index].observations.append(observation) }
        }
        return observation
    }
}
