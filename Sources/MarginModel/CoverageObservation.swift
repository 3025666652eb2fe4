/// One completed horizon of an asset: the margins in force at its start and the price move over it.
///
/// **The exception is the model's.** The optimizer sets MMF_side = L_side + c, with L_side the side's risk
/// measure of the loss over the horizon (long: 1 − P_end/P_start, short: P_end/P_start − 1, exact, not
/// linearized) and c the liquidation cost of the smallest tier (fixed + impact). It targets
/// P(loss_side > MMF_side − c) = ε. A horizon is therefore an exception of a side when that side's loss exceeds
/// the margin *less the same liquidation cost*: loss_side > MMF − c. With c = 0 this is the classical
/// loss > margin.
///
/// Two margins are scored per side: the published MMF (one number for both sides, as venues publish it, the
/// larger side's requirement, governed) and the side's own model fraction MMF_side (`mmf_long`, `mmf_short` on the
/// wire, before floors, buffer and governance). The published MMF over-covers the side that did not set it; the
/// side fractions test the model itself.
public struct CoverageObservation: Sendable, Hashable, Codable {
    /// Grid boundary where the horizon started (the margins were published as of it), ns.
    public var startNs: Int64
    /// First grid boundary at or after start + horizon, ns.
    public var endNs: Int64
    /// Grid-sampled price at the start.
    public var startPrice: Double
    /// Grid-sampled price at the end.
    public var endPrice: Double
    /// Published maintenance margin fraction at the start.
    public var maintenanceMargin: Double
    /// Published initial margin fraction at the start.
    public var initialMargin: Double
    /// The liquidation cost c of the smallest tier at the start (the part of MMF not available to absorb the move).
    public var liquidationCost: Double
    /// The long side's model fraction MMF_long at the start (tail loss + c).
    public var longMaintenance: Double
    /// The short side's model fraction MMF_short at the start (tail loss + c).
    public var shortMaintenance: Double
    /// A long position lost more than the published margin less the liquidation cost: 1 − P_end/P_start > MMF − c.
    public var longException: Bool
    /// A short position lost more than the published margin less the liquidation cost: P_end/P_start − 1 > MMF − c.
    public var shortException: Bool
    /// The long loss exceeded the long side's own fraction less c: 1 − P_end/P_start > MMF_long − c.
    public var longSideException: Bool
    /// The short loss exceeded the short side's own fraction less c: P_end/P_start − 1 > MMF_short − c.
    public var shortSideException: Bool
    /// The move exceeded the initial margin in either direction: |P_end/P_start − 1| > IMF.
    public var initialException: Bool

    /// Evaluates a horizon. Without side fractions both sides' fractions are the published MMF; without a cost,
    /// c = 0.
    public init(startNs: Int64, endNs: Int64, startPrice: Double, endPrice: Double, maintenanceMargin: Double,
                initialMargin: Double, liquidationCost: Double = 0, longMaintenance: Double? = nil,
                shortMaintenance: Double? = nil) {
        self.startNs = startNs
        self.endNs = endNs
        self.startPrice = startPrice
        self.endPrice = endPrice
        self.maintenanceMargin = maintenanceMargin
        self.initialMargin = initialMargin
        let cost = liquidationCost.isFinite && liquidationCost > 0 ? liquidationCost : 0
        self.liquidationCost = cost
        let long = longMaintenance.flatMap { $0.isFinite ? $0 : nil } ?? maintenanceMargin
        let short = shortMaintenance.flatMap { $0.isFinite ? $0 : nil } ?? maintenanceMargin
        self.longMaintenance = long
        self.shortMaintenance = short
        let move = endPrice / startPrice - 1
        longException = -move > maintenanceMargin - cost
        shortException = move > maintenanceMargin - cost
        longSideException = -move > long - cost
        shortSideException = move > short - cost
        initialException = abs(move) > initialMargin
    }

    /// The simple return P_end/P_start − 1.
    public var move: Double { endPrice / startPrice - 1 }

    /// A position on either side lost more than the published maintenance margin less the liquidation cost.
    public var isException: Bool { longException || shortException }

    /// By how much the larger side's loss exceeded the margin available to absorb it, MMF − c (negative when
    /// covered).
    public var excess: Double { abs(move) - (maintenanceMargin - liquidationCost) }

    /// The long side's required multiple of the published MMF: (loss_long + c)/MMF. The published margin scaled
    /// by k covers the horizon exactly when this ratio is ≤ k (used for the hindsight-minimal margin).
    public var longRequiredMultiple: Double { (-move + liquidationCost) / maintenanceMargin }

    /// The short side's required multiple of the published MMF: (loss_short + c)/MMF.
    public var shortRequiredMultiple: Double { (move + liquidationCost) / maintenanceMargin }
}
