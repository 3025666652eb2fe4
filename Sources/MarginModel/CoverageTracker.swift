
/// Realized coverage of one asset's published maintenance margin over non-overlapping horizons.
///
/// At a grid step where no horizon is open and the asset is eligible (see ``CoverageConfiguration``), a horizon
/// opens with the price and the published margins of that step. At the first step at or after start + H it
/// closes: the move P_end/P_start − 1 is compared with the margins (``CoverageObservation``) and a new horizon
/// opens at once if the asset is eligible. Horizons therefore do not overlap, which keeps the exception series
/// close to independent as Kupiec's and Christoffersen's tests assume; with H = Δ every step is an observation.
///
/// Both sides are scored, with the model's definition of an exception (``CoverageObservation``): a side's loss
/// beyond the margin less the liquidation cost. The maintenance margin targets a tail probability ε per side,
/// and a move beyond it downwards (a long loses) or upwards (a short does) are exclusive events, so the
/// two-sided exception has target 2ε and each side has target ε. Each side is scored twice: against the
/// published MMF (`long`, `short`), which binds both sides with the larger requirement and so over-covers the
/// side that did not set it, and against the side's own model fraction (`longSide`, `shortSide`), the
/// calibration test of the model. `longBinding` counts the horizons whose published MMF was set by the long side.
///
/// Codable with its open horizon and rolling window, so that a checkpointed tracker continues where it stopped.
public struct CoverageTracker: Sendable, Hashable, Codable {
    /// H, ns.
    public let horizonNs: Int64
    /// ε per side.
    public let tailProbability: Double
    /// Two-sided exceptions over the whole run (target 2ε).
    public private(set) var total: CoverageStatistics
    /// Long-side exceptions (target ε).
    public private(set) var long: CoverageStatistics
    /// Short-side exceptions (target ε).
    public private(set) var short: CoverageStatistics
    /// Long-side exceptions against the long model fraction MMF_long (target ε).
    public private(set) var longSide: CoverageStatistics
    /// Short-side exceptions against the short model fraction MMF_short (target ε).
    public private(set) var shortSide: CoverageStatistics
    /// Horizons at whose start the long side's fraction was at least the short side's (the long side binds).
    public private(set) var longBinding = 0
    /// Horizons whose move exceeded the published initial margin in either direction.
    public private(set) var initialExceptions = 0
    /// Two-sided exceptions over the last `window` horizons.
    public private(set) var rolling: RollingCoverage
    private var open = false
    private var startNs: Int64 = 0
    private var startPrice = 0.0
    private var startMaintenance = 0.0
    private var startInitial = 0.0
    private var startCost = 0.0
    private var startLong = 0.0
    private var startShort = 0.0

    /// A tracker for horizon H (ns, > 0), tail probability ε per side, and a rolling window of `window` horizons.
    public init(horizonNs: Int64, tailProbability: Double, window: Int) {
        self.horizonNs = max(horizonNs, 1)
        self.tailProbability = tailProbability
        total = CoverageStatistics(targetRate: min(2 * tailProbability, 1))
        long = CoverageStatistics(targetRate: tailProbability)
        short = CoverageStatistics(targetRate: tailProbability)
        longSide = CoverageStatistics(targetRate: tailProbability)
        shortSide = CoverageStatistics(targetRate: tailProbability)
        rolling = RollingCoverage(capacity: window, targetRate: min(2 * tailProbability, 1))
    }

    /// The two-sided target rate 2ε.
    public var twoSidedTargetRate: Double { total.targetRate }

    /// Feeds one grid step: closes the open horizon if it is due, opens one if none is open and the step is
    /// eligible. Returns the observation the step completed, if any.
    ///
    /// - Parameters:
    ///   - timeNs: the grid boundary.
    ///   - price: the asset's grid-sampled price (NaN or ≤ 0 when it has none yet).
    ///   - maintenanceMargin, initialMargin: the published fractions in force after the step.
    ///   - eligible: whether a horizon may start here (e.g. not while warming up).
    ///   - liquidationCost: the liquidation cost c of the smallest tier in the margin (0 when none).
    ///   - longMaintenance, shortMaintenance: the sides' model fractions (nil: the published MMF).
    public mutating func step(timeNs: Int64, price: Double, maintenanceMargin: Double, initialMargin: Double,
                              eligible: Bool, liquidationCost: Double = 0, longMaintenance: Double? = nil,
                              shortMaintenance: Double? = nil) -> CoverageObservation? {
        let priceValid = price.isFinite && price > 0
        var completed: CoverageObservation?
        if open, timeNs - startNs >= horizonNs, priceValid {
            let observation = CoverageObservation(startNs: startNs, endNs: timeNs, startPrice: startPrice,
                                                  endPrice: price, maintenanceMargin: startMaintenance,
                                                  initialMargin: startInitial, liquidationCost: startCost,
                                                  longMaintenance: startLong, shortMaintenance: startShort)
            total.record(exception: observation.isException)
            long.record(exception: observation.longException)
            short.record(exception: observation.shortException)
            longSide.record(exception: observation.longSideException)
            shortSide.record(exception: observation.shortSideException)
            if observation.longMaintenance >= observation.shortMaintenance { longBinding += 1 }
            if observation.initialException { initialExceptions += 1 }
            rolling.record(exception: observation.isException)
            open = false
            completed = observation
        }
        if !open, eligible, priceValid, maintenanceMargin.isFinite, maintenanceMargin > 0 {
            open = true
            startNs = timeNs
            startPrice = price
            startMaintenance = maintenanceMargin
            startInitial = initialMargin
            startCost = liquidationCost.isFinite && liquidationCost > 0 ? liquidationCost : 0
            startLong = longMaintenance.flatMap { $0.isFinite ? $0 : nil } ?? maintenanceMargin
            startShort = shortMaintenance.flatMap { $0.isFinite ? $0 : nil } ?? maintenanceMargin
        }
        return completed
    }
}

extension CoverageTracker {
    enum CodingKeys: String, CodingKey {
        case horizonNs, tailProbability, total, long, short, longSide, shortSide, longBinding, initialExceptions
        case rolling, open, startNs, startPrice, startMaintenance, startInitial, startCost, startLong, startShort
    }

    /// Encodes the whole state, the open horizon included.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(horizonNs, forKey: .horizonNs)
        try container.encode(tailProbability, forKey: .tailProbability)
        try container.encode(total, forKey: .total)
        try container.encode(long, forKey: .long)
        try container.encode(short, forKey: .short)
        try container.encode(longSide, forKey: .longSide)
        try container.encode(shortSide, forKey: .shortSide)
        try container.encode(longBinding, forKey: .longBinding)
        try container.encode(initialExceptions, forKey: .initialExceptions)
        try container.encode(rolling, forKey: .rolling)
        try container.encode(open, forKey: .open)
        try container.encode(startNs, forKey: .startNs)
        try container.encode(startPrice, forKey: .startPrice)
        try container.encode(startMaintenance, forKey: .startMaintenance)
        try container.encode(startInitial, forKey: .startInitial)
        try container.encode(startCost, forKey: .startCost)
        try container.encode(startLong, forKey: .startLong)
        try container.encode(startShort, forKey: .startShort)
    }

    /// Restores a tracker. A state written before side fractions and costs were tracked resumes with the side
    /// records empty, no cost and the published MMF as both sides' fractions for its open horizon.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        horizonNs = try container.decode(Int64.self, forKey: .horizonNs)
        tailProbability = try container.decode(Double.self, forKey: .tailProbability)
        total = try container.decode(CoverageStatistics.self, forKey: .total)
        long = try container.decode(CoverageStatistics.self, forKey: .long)
        short = try container.decode(CoverageStatistics.self, forKey: .short)
        longSide = try container.decodeIfPresent(CoverageStatistics.self, forKey: .longSide)
            ?? CoverageStatistics(targetRate: tailProbability)
        shortSide = try container.decodeIfPresent(CoverageStatistics.self, forKey: .shortSide)
            ?? CoverageStatistics(targetRate: tailProbability)
        longBinding = try container.decodeIfPresent(Int.self, forKey: .longBinding) ?? 0
        initialExceptions = try container.decode(Int.self, forKey: .initialExceptions)
        rolling = try container.decode(RollingCoverage.self, forKey: .rolling)
        open = try container.decode(Bool.self, forKey: .open)
        startNs = try container.decode(Int64.self, forKey: .startNs)
        startPrice = try container.decode(Double.self, forKey: .startPrice)
        startMaintenance = try container.decode(Double.self, forKey: .startMaintenance)
        startInitial = try container.decode(Double.self, forKey: .startInitial)
        startCost = try container.decodeIfPresent(Double.self, forKey: .startCost) ?? 0
        startLong = try container.decodeIfPresent(Double.self, forKey: .startLong) ?? startMaintenance
        startShort = try container.decodeIfPresent(Double.self, forKey: .startShort) ?? startMaintenance
    }
}
