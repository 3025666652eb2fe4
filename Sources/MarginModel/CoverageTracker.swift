
/// Realized coverage of one asset's published maintenance margin over non-overlapping horizons.
///
/// At a grid step where no horizon is open and the asset is eligible (see ``CoverageConfiguration``), a horizon
/// opens with the price and the published margins of that step. At the first step at or after start + H it
/// closes: the move P_end/P_start − 1 is compared with the margins (``CoverageObservation``) and a new horizon
/// opens at once if the asset is eligible. Horizons therefore do not overlap, which keeps the exception series
/// close to independent as Kupiec's and Christoffersen's tests assume; with H = Δ every step is an observation.
///
/// Both sides are scored. The maintenance margin targets a tail probability ε per side, and a move beyond it
/// downwards (a long loses more than its margin) or upwards (a short does) are exclusive events, so the
/// two-sided exception — the headline figure — has target 2ε, and each side has target ε.
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
    /// Horizons whose move exceeded the published initial margin in either direction.
    public private(set) var initialExceptions = 0
    /// Two-sided exceptions over the last `window` horizons.
    public private(set) var rolling: RollingCoverage
    private var open = false
    private var startNs: Int64 = 0
    private var startPrice = 0.0
    private var startMaintenance = 0.0
    private var startInitial = 0.0

    /// A tracker for horizon H (ns, > 0), tail probability ε per side, and a rolling window of `window` horizons.
    public init(horizonNs: Int64, tailProbability: Double, window: Int) {
        self.horizonNs = max(horizonNs, 1)
        self.tailProbability = tailProbability
        total = CoverageStatistics(targetRate: min(2 * tailProbability, 1))
        long = CoverageStatistics(targetRate: tailProbability)
        short = CoverageStatistics(targetRate: tailProbability)
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
    public mutating func step(timeNs: Int64, price: Double, maintenanceMargin: Double, initialMargin: Double,
                              eligible: Bool) -> CoverageObservation? {
        let priceValid = price.isFinite && price > 0
        var completed: CoverageObservation?
        if open, timeNs - startNs >= horizonNs, priceValid {
            let observation = CoverageObservation(startNs: startNs, endNs: timeNs, startPrice: startPrice,
                                                  endPrice: price, maintenanceMargin: startMaintenance,
                                                  initialMargin: startInitial)
            total.record(exception: observation.isException)
            long.record(exception: observation.longException)
            short.record(exception: observation.shortException)
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
        }
        return completed
    }
}
