/// Event-time risk estimator: samples every asset's price on a common grid, and keeps per-asset EWMA and windowed
/// variances, a long-horizon ("stressed") EWMA variance, an EWMA covariance/correlation matrix (in full, or as a
/// k-factor model for large universes), warm-up status, staleness and standardized residuals.
///
/// **Event time.** Only the ticks' exchange timestamps drive it, never a clock, so replaying the same calls gives
/// bit-identical state.
///
/// **Grid.** Boundaries lie at whole multiples of Δ = `gridInterval`. The grid starts at the interval holding the
/// first accepted tick. Boundary b closes when a tick with timestamp ≥ b + `lateness` arrives; an asset's price at
/// b is its last price with timestamp < b (previous tick), and its grid return is r = ln(P_b / P_{b−Δ}). An asset
/// without a tick in an interval gets r = 0 and grows stale. A tick in an already-closed interval is late:
/// dropped and counted. An asset's first return comes at the second boundary after its first price.
///
/// **Usage per tick.** `while let step = estimator.closeNextInterval(upTo: t) { … }` then
/// `estimator.record(asset:timestamp:price:)`. `record` also closes any due boundary itself, so the state never
/// depends on the caller's loop, but only the loop lets the caller react to each step.
///
/// **Cost.** `record` is O(1) without allocation. Everything per asset costs O(N) per closed boundary and about
/// 8·N·(residualCapacity + window) bytes; the correlations depend on `correlationModel`:
/// - `.full`: O(N²) per boundary over flat packed symmetric arrays (one multiply-add per pair, plus one more per
///   pair with Ledoit–Wolf shrinkage), 8·N²/2 bytes (×2 with Ledoit–Wolf); correlations are formed on read from
///   the sums and per-asset scales refreshed once per step, O(1) each. Exact.
/// - `.factors` (k factors): only the N own sums, a ``FactorCovariance`` updated in O(N·k²) per boundary and k
///   correlation loadings per asset refreshed in O(N·k), about 8·N·(2k + 12) bytes; a correlation is a k-term
///   sum of loadings, O(k) on read. Per-asset results are bit-identical to `.full`; the correlations are those
///   of the rank-k model (see `rawCorrelation(_:_:)` and the DocC article "Factor model"). At N = 10,000 and
///   k = 10 that is about 2.6 MB instead of 400 MB.
/// ``correlationMemoryBytes`` reports the correlation state's bytes in either mode.
public struct RiskEstimator: Sendable {
    /// The configuration this estimator was created with.
    public let configuration: EstimatorConfiguration
    /// λ = 2^(−Δ/h).
    let decay: Double
    /// ln λ_s = −(Δ/h_s)·ln 2 of the stressed EWMA.
    let stressedLogDecay: Double
    /// 1 − λ_s = −expm1(ln λ_s), accurate to an ulp however close λ_s is to 1.
    let stressedComplement: Double
    /// 1 − λ_s² = −expm1(2 ln λ_s).
    let stressedSquaredComplement: Double
    /// k in the `.factors` correlation mode, 0 in the `.full` mode.
    let factorStride: Int

    // Grid.
    var gridStarted = false
    /// The boundary of the open interval (the next one to close).
    var nextBoundary: Int64 = 0
    var closedSteps: Int64 = 0
    var lateTickCount: Int64 = 0
    var invalidTickCount: Int64 = 0
    /// Some asset has a price for the open interval that the next close will sample.
    var hasUnsampledTicks = false
    /// Number of assets holding a price for the interval after the open one (only with lateness > 0).
    var aheadCount = 0

    // Per asset (index = dense asset id). A price of 0 means "none".
    var currentPrice: [Double] = []
    var currentTime: [Int64] = []
    var aheadPrice: [Double] = []
    var aheadTime: [Int64] = []
    var sampledPrice: [Double] = []
    var sampledTime: [Int64] = []
    var stalenessSteps: [Int64] = []
    var returnCount: [Int64] = []
    /// Σ λ^(k−j) over the asset's returns (bias-correction denominator).
    var ewmaWeight: [Double] = []
    /// Σ λ^(2(k−j)) over the asset's returns (for the effective sample size).
    var ewmaSquaredWeight: [Double] = []
    /// Rings of the last `window` squared returns, asset-major; slot of the next write = returnCount % window.
    var windowValues: [Double] = []
    var windowSum: [Double] = []
    var windowCompensation: [Double] = []
    var lastReturnValue: [Double] = []
    var lastStandardizedValue: [Double] = []
    var hasLastStandardized: [Bool] = []
    /// Rings of standardized residuals, asset-major, `residualCapacity` each.
    var residualValues: [Double] = []
    var residualNext: [Int] = []
    var residualStored: [Int] = []
    /// Residuals ever appended to each ring, including those overwritten since.
    var residualAppendedCount: [UInt64] = []
    /// Σ λ_s^(k−j)·r_j² over the asset's returns (stressed EWMA), as the unevaluated pair
    /// stressedSum + stressedCompensation (see `GridMath.decayingAdd`).
    var stressedSum: [Double] = []
    var stressedCompensation: [Double] = []
    /// 1/√S_i for assets admitted to the published correlation matrix, 0 otherwise (refreshed every step).
    var inverseRoot: [Double] = []
    /// The assets' own EWMA sums S_i, the diagonal of `crossSum`, side by side (refreshed with `inverseRoot`): the
    /// variances read them once per asset and step, which in the packed triangle is one cache miss each.
    var ownSum: [Double] = []

    // Pairs, packed lower triangle (row i holds (i, 0...i)); the diagonal holds the assets' own EWMA sums.
    /// Σ λ^(k−j)·r_i·r_j over the grid, with r = 0 before an asset's first return. In the `.factors` mode only
    /// the diagonal, S_ii at index i (see `diagonalIndex(_:)`).
    var crossSum: [Double] = []
    /// Σ λ^(k−j)·(r_i·r_j)², kept only with Ledoit–Wolf shrinkage.
    var fourthSum: [Double] = []

    // The `.factors` correlation mode (nil and empty in the `.full` mode).
    /// The k-factor model of the EWMA covariance, updated once per closed step with the step's returns.
    var factorModel: FactorCovariance?
    /// Correlation loadings L_if, asset-major (stride k), refreshed every step; derived, never encoded.
    var correlationLoadings: [Double] = []
    /// k scratch values (the loadings' factor scales, then their column sums), never encoded.
    var loadingScratch: [Double] = []
    /// Which assets the factor model takes as present this step (those with returns); scratch, never encoded.
    var factorPresence: [Bool] = []

    // Results of the last step.
    var intensity: Double = 0
    var meanCorrelation: Double = 0
    var largestMoveAsset: Int = -1
    var largestMoveValue: Double = 0

    // Scratch, sized with the assets and never encoded.
    var stepReturns: [Double] = []
    var scratchInverseWeight: [Double] = []
    var scratchInverseESS: [Double] = []
    var scratchInverseVariance: [Double] = []

    /// Creates an empty estimator. `configuration` must have passed `validate()`; storage for `assetCapacity`
    /// assets is reserved up front so that adding assets up to it does not reallocate.
    public init(configuration: EstimatorConfiguration, assetCapacity: Int) {
        do {
            try configuration.validate()
        } catch {
            preconditionFailure("RiskEstimator needs a validated configuration: \(error)")
        }
        self.configuration = configuration
        self.decay = configuration.decay
        (stressedLogDecay, stressedComplement, stressedSquaredComplement) = Self.stressedConstants(configuration)
        let capacity = max(assetCapacity, 0)
        if let factorConfiguration = configuration.correlationModel.factorConfiguration(decay: decay) {
            factorStride = factorConfiguration.factors
            factorModel = FactorCovariance(configuration: factorConfiguration, assetCount: 0, assetCapacity: capacity)
            loadingScratch = Array(repeating: 0, count: factorStride)
        } else {
            factorStride = 0
        }
        reserve(assetCapacity: capacity)
    }

    /// ln λ_s, 1 − λ_s and 1 − λ_s² of the configuration, the last two through expm1.
    static func stressedConstants(_ configuration: EstimatorConfiguration) -> (Double, Double, Double) {
        let logDecay = configuration.stressedLogDecay
        return (logDecay, -GridMath.exponentialMinusOne(logDecay), -GridMath.exponentialMinusOne(2 * logDecay))
    }

    /// Number of assets added so far.
    public var assetCount: Int { currentPrice.count }

    var usesFourthMoments: Bool {
        if case .ledoitWolf = configuration.shrinkage { return true }
        return false
    }

    /// Index of the asset's own sum S_ii in `crossSum`: on the packed triangle's diagonal in the `.full` mode, i
    /// itself in the `.factors` mode (which keeps only the diagonal).
    @inline(__always)
    func diagonalIndex(_ asset: Int) -> Int {
        factorStride > 0 ? asset : GridMath.packedIndex(asset, asset)
    }

    /// Adds an asset and returns its dense index (0, 1, 2, …). Assets may join at any time; a new asset has no
    /// data until its first price, and its first return comes at the second boundary after that price. In the
    /// `.factors` correlation mode it joins the factor model too (absent until its first return).
    /// Allocates only beyond the reserved capacity.
    public mutating func addAsset() -> Int {
        let index = assetCount
        currentPrice.append(0)
        currentTime.append(0)
        aheadPrice.append(0)
        aheadTime.append(0)
        sampledPrice.append(0)
        sampledTime.append(0)
        stalenessSteps.append(0)
        returnCount.append(0)
        ewmaWeight.append(0)
        ewmaSquaredWeight.append(0)
        windowValues.append(contentsOf: repeatElement(0, count: configuration.window))
        windowSum.append(0)
        windowCompensation.append(0)
        lastReturnValue.append(0)
        lastStandardizedValue.append(0)
        hasLastStandardized.append(false)
        residualValues.append(contentsOf: repeatElement(0, count: configuration.residualCapacity))
        residualNext.append(0)
        residualStored.append(0)
        residualAppendedCount.append(0)
        stressedSum.append(0)
        stressedCompensation.append(0)
        inverseRoot.append(0)
        ownSum.append(0)
        if factorStride > 0 {
            crossSum.append(0)
            _ = factorModel?.addAsset()
            correlationLoadings.append(contentsOf: repeatElement(0, count: factorStride))
            factorPresence.append(false)
        } else {
            crossSum.append(contentsOf: repeatElement(0, count: index + 1))
        }
        if usesFourthMoments {
            fourthSum.append(contentsOf: repeatElement(0, count: index + 1))
        }
        stepReturns.append(0)
        scratchInverseWeight.append(0)
        scratchInverseESS.append(0)
        scratchInverseVariance.append(0)
        return index
    }

    /// Closes the next boundary b if `timestamp ≥ b + lateness` and returns the step, or returns nil (also before
    /// the first accepted tick, which starts the grid). Call it in a loop until nil before `record`.
    ///
    /// After a long gap (more than `maxCatchUpSteps` due boundaries and no price waiting to be sampled), one call
    /// fast-forwards all but the last `maxCatchUpSteps` boundaries in closed form and reports them together in
    /// `GridStep.closedBoundaries`; the remaining ones close one per call. The closed form equals closing the
    /// boundaries one by one up to rounding (and up to the underflow of decayed sums below 2⁻¹⁰⁷⁴).
    public mutating func closeNextInterval(upTo timestamp: Int64) -> GridStep? {
        guard gridStarted else { return nil }
        let due = dueBoundaries(upTo: timestamp)
        guard due > 0 else { return nil }
        let cap = Int64(configuration.maxCatchUpSteps)
        if due > cap && !hasUnsampledTicks && aheadCount == 0 {
            let skipped = due - cap
            fastForward(steps: skipped)
            return GridStep(index: closedSteps - 1, boundary: nextBoundary - configuration.gridInterval,
                            closedBoundaries: skipped)
        }
        closeBoundary()
        return GridStep(index: closedSteps - 1, boundary: nextBoundary - configuration.gridInterval,
                        closedBoundaries: 1)
    }

    /// Records a price for `asset` at event time `timestamp` (ns). O(1), no allocation.
    ///
    /// Returns `.late` for a timestamp inside an already-closed interval (or before the grid's first interval),
    /// `.invalid` for a non-finite or non-positive price, `.accepted` otherwise. Boundaries that this timestamp
    /// makes due are closed first, exactly as `closeNextInterval(upTo:)` would. `asset` must come from `addAsset()`.
    @discardableResult
    public mutating func record(asset: Int, timestamp: Int64, price: Double) -> RecordOutcome {
        precondition(asset >= 0 && asset < assetCount, "unknown asset index \(asset)")
        guard price.isFinite && price > 0 else {
            invalidTickCount += 1
            return .invalid
        }
        let interval = configuration.gridInterval
        if !gridStarted {
            gridStarted = true
            nextBoundary = GridMath.floorDivide(timestamp, interval) * interval + interval
        }
        while closeNextInterval(upTo: timestamp) != nil {}
        if timestamp < nextBoundary - interval {
            lateTickCount += 1
            return .late
        }
        if timestamp < nextBoundary {
            // Previous-tick sampling keeps the latest timestamp, whatever the arrival order.
            if currentPrice[asset] == 0 || timestamp >= currentTime[asset] {
                currentPrice[asset] = price
                currentTime[asset] = timestamp
                hasUnsampledTicks = true
            }
        } else if aheadPrice[asset] == 0 {
            aheadPrice[asset] = price
            aheadTime[asset] = timestamp
            aheadCount += 1
        } else if timestamp >= aheadTime[asset] {
            aheadPrice[asset] = price
            aheadTime[asset] = timestamp
        }
        return .accepted
    }

    /// Number of boundaries b ≥ nextBoundary with b + lateness ≤ timestamp (overflow-safe).
    func dueBoundaries(upTo timestamp: Int64) -> Int64 {
        let (shifted, overflowA) = timestamp.subtractingReportingOverflow(configuration.lateness)
        if overflowA { return 0 }
        guard shifted >= nextBoundary else { return 0 }
        let (distance, overflowB) = shifted.subtractingReportingOverflow(nextBoundary)
        if overflowB { return Int64.max }
        return distance / configuration.gridInterval + 1
    }

    private mutating func reserve(assetCapacity capacity: Int) {
        currentPrice.reserveCapacity(capacity)
        currentTime.reserveCapacity(capacity)
        aheadPrice.reserveCapacity(capacity)
        aheadTime.reserveCapacity(capacity)
        sampledPrice.reserveCapacity(capacity)
        sampledTime.reserveCapacity(capacity)
        stalenessSteps.reserveCapacity(capacity)
        returnCount.reserveCapacity(capacity)
        ewmaWeight.reserveCapacity(capacity)
        ewmaSquaredWeight.reserveCapacity(capacity)
        windowValues.reserveCapacity(capacity * configuration.window)
        windowSum.reserveCapacity(capacity)
        windowCompensation.reserveCapacity(capacity)
        lastReturnValue.reserveCapacity(capacity)
        lastStandardizedValue.reserveCapacity(capacity)
        hasLastStandardized.reserveCapacity(capacity)
        residualValues.reserveCapacity(capacity * configuration.residualCapacity)
        residualNext.reserveCapacity(capacity)
        residualStored.reserveCapacity(capacity)
        residualAppendedCount.reserveCapacity(capacity)
        stressedSum.reserveCapacity(capacity)
        stressedCompensation.reserveCapacity(capacity)
        inverseRoot.reserveCapacity(capacity)
        ownSum.reserveCapacity(capacity)
        if factorStride > 0 {
            crossSum.reserveCapacity(capacity)
            correlationLoadings.reserveCapacity(capacity * factorStride)
            factorPresence.reserveCapacity(capacity)
        } else {
            crossSum.reserveCapacity(capacity * (capacity + 1) / 2)
        }
        if usesFourthMoments {
            fourthSum.reserveCapacity(capacity * (capacity + 1) / 2)
        }
        stepReturns.reserveCapacity(capacity)
        scratchInverseWeight.reserveCapacity(capacity)
        scratchInverseESS.reserveCapacity(capacity)
        scratchInverseVariance.reserveCapacity(capacity)
    }
}
