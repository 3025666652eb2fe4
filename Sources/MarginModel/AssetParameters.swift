/// The result of one optimizer update for one asset: target and published margins, tiers, reasons, ETA, inputs.
///
/// Allocation-free to produce (tier tables are stored inline). `changed` tells the publisher whether to send it.
public struct AssetParameters: Sendable, Hashable, Codable {
    /// Asset index in the optimizer.
    public var asset: Int
    /// Event time of the update, ns.
    public var eventTimeNs: Int64
    /// Warming, ready, stressed or stale.
    public var status: MarginStatus
    /// Why the published values differ from the targets, and which rules shaped the targets.
    public var reasons: MarginReasons
    /// True when this update should be published: a published value or the status changed, it is the first
    /// update, or the periodic refresh is due.
    public var changed: Bool
    /// The unconstrained target (smallest tier).
    public var target: MarginLevels
    /// The governed, published value (smallest tier).
    public var published: MarginLevels
    /// Target MMF of the smallest tier for a long position, before floors and caps: tail loss + liquidation cost.
    public var longMaintenanceMarginFraction: Double
    /// Target MMF of the smallest tier for a short position, before floors and caps.
    public var shortMaintenanceMarginFraction: Double
    /// The risk measure of the long loss 1 − e^R over the horizon, without liquidation cost.
    public var longTailLoss: Double
    /// The risk measure of the short loss e^R − 1 over the horizon, without liquidation cost.
    public var shortTailLoss: Double
    /// Governed updates still needed for the published values to reach the targets if inputs stay as they are.
    public var etaSteps: Int
    /// Event time until the published values reach the targets if inputs stay as they are, ns.
    public var etaNs: Int64
    /// Target tier schedule.
    public var targetTiers: MarginTierTable
    /// Published tier schedule (deductions recomputed from the published MMFs).
    public var publishedTiers: MarginTierTable
    /// Inputs the update was computed from.
    public var inputs: MarginInputsEcho
    /// `MarginModelConfiguration.configurationHash` of the configuration in force.
    public var configurationHash: UInt64

    /// Creates parameters (normally produced by `MarginOptimizer.update`).
    public init(
        asset: Int, eventTimeNs: Int64, status: MarginStatus, reasons: MarginReasons, changed: Bool,
        target: MarginLevels, published: MarginLevels, longMaintenanceMarginFraction: Double,
        shortMaintenanceMarginFraction: Double, longTailLoss: Double, shortTailLoss: Double, etaSteps: Int,
        etaNs: Int64, targetTiers: MarginTierTable, publishedTiers: MarginTierTable, inputs: MarginInputsEcho,
        configurationHash: UInt64
    ) {
        self.asset = asset
        self.eventTimeNs = eventTimeNs
        self.status = status
        self.reasons = reasons
        self.changed = changed
        self.target = target
        self.published = published
        self.longMaintenanceMarginFraction = longMaintenanceMarginFraction
        self.shortMaintenanceMarginFraction = shortMaintenanceMarginFraction
        self.longTailLoss = longTailLoss
        self.shortTailLoss = shortTailLoss
        self.etaSteps = etaSteps
        self.etaNs = etaNs
        self.targetTiers = targetTiers
        self.publishedTiers = publishedTiers
        self.inputs = inputs
        self.configurationHash = configurationHash
    }

    /// An all-zero value to be overwritten by `MarginOptimizer.update(asset:inputs:into:)`.
    public static var placeholder: AssetParameters {
        let levels = MarginLevels(initialMarginFraction: 0, maintenanceMarginFraction: 0, maxLeverage: 0)
        return AssetParameters(
            asset: 0, eventTimeNs: 0, status: .warming, reasons: [], changed: false, target: levels,
            published: levels, longMaintenanceMarginFraction: 0, shortMaintenanceMarginFraction: 0, longTailLoss: 0,
            shortTailLoss: 0, etaSteps: 0, etaNs: 0, targetTiers: MarginTierTable(), publishedTiers: MarginTierTable(),
            inputs: MarginInputsEcho(sigmaStep: nil, effectiveSigmaStep: 0, horizonSigma: 0, stressedSigmaStep: nil,
                                     effectiveSampleSize: 0, residualCount: 0, tailObservations: 0, stalenessNs: 0,
                                     lastStandardizedReturn: nil, averageDailyVolumeNotional: nil),
            configurationHash: 0)
    }
}

extension AssetParameters {
    /// The liquidation cost c of the smallest tier inside the MMF: MMF_long − L_long (the optimizer sets
    /// MMF_side = L_side + c). Coverage scores a side's loss against MMF − c, the margin left to absorb the move
    /// (see ``CoverageObservation``). 0 when the fractions are not finite.
    public var liquidationCostFraction: Double {
        let cost = longMaintenanceMarginFraction - longTailLoss
        return cost.isFinite && cost > 0 ? cost : 0
    }
}
