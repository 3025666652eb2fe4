/// The configuration of one asset with its overrides applied, resolved once at optimizer creation.
struct ResolvedAssetSettings: Sendable {
    let symbol: String
    let overrides: AssetOverrides
    let tailProbability: Double
    let horizonNs: Int64
    let minimumInitialMarginFraction: Double
    let minimumMaintenanceMarginFraction: Double
    let maximumInitialMarginFraction: Double
    let maximumLeverage: Int?
    let averageDailyVolumeNotional: Double?
    let tierLowerBounds: [Double]?
    let maximumNotional: Double?
    /// The governance rule of the global settings with the asset's governance overrides applied, built once so
    /// that an update reads it without a lookup.
    let governor: MarginGovernor

    init(symbol: String, configuration: MarginModelConfiguration) {
        let o = configuration.assetOverrides[symbol] ?? AssetOverrides()
        let l = configuration.leverage
        self.symbol = symbol
        overrides = o
        tailProbability = o.tailProbability ?? configuration.coverage.tailProbability
        horizonNs = o.liquidationHorizonNs ?? configuration.coverage.liquidationHorizonNs
        minimumInitialMarginFraction = o.minimumInitialMarginFraction ?? l.minimumInitialMarginFraction
        minimumMaintenanceMarginFraction = o.minimumMaintenanceMarginFraction ?? l.minimumMaintenanceMarginFraction
        maximumInitialMarginFraction = o.maximumInitialMarginFraction ?? l.maximumInitialMarginFraction
        maximumLeverage = o.maximumLeverage
        averageDailyVolumeNotional = o.averageDailyVolumeNotional
        tierLowerBounds = o.tierLowerBounds
        maximumNotional = o.maximumNotional
        governor = MarginGovernor(o.governance?.resolved(over: configuration.governance) ?? configuration.governance)
    }
}
