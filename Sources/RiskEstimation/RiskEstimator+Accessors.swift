extension RiskEstimator {
    /// Number of grid boundaries closed so far.
    public var stepCount: Int64 { closedSteps }

    /// The last closed boundary (ns since the epoch), or nil before the first one.
    public var lastBoundary: Int64? {
        closedSteps > 0 ? nextBoundary - configuration.gridInterval : nil
    }

    /// The boundary that closes next (ns since the epoch), or nil before the first accepted tick.
    public var pendingBoundary: Int64? { gridStarted ? nextBoundary : nil }

    /// Whether ``closeNextInterval(upTo:)`` would close an interval for `timestamp` (read-only).
    public func hasDueInterval(upTo timestamp: Int64) -> Bool { gridStarted && dueBoundaries(upTo: timestamp) > 0 }

    /// Start of the open interval (ns since the epoch): a tick before it falls in a closed interval and is late.
    /// `nil` before the first accepted tick.
    public var openIntervalStart: Int64? { gridStarted ? nextBoundary - configuration.gridInterval : nil }

    /// Ticks dropped because their interval was already closed.
    public var lateTicks: Int64 { lateTickCount }

    /// Prices dropped because they were not finite and positive.
    public var invalidTicks: Int64 { invalidTickCount }

    /// Number of grid returns the asset has had (0 until the second boundary after its first price).
    public func returnCount(_ asset: Int) -> Int64 { returnCount[asset] }

    /// The configured method's per-step variance σ²_Δ (0 without returns): `ewmaVariance` or `windowVariance`.
    public func variance(_ asset: Int) -> Double { methodVariance(asset) }

    /// Bias-corrected zero-mean EWMA variance σ²_k = Σ_j λ^(k−j) r_j² / Σ_j λ^(k−j) over the asset's returns
    /// (pandas `ewm(alpha: 1−λ, adjust: true).mean()` of r²); 0 without returns. Both sums are kept as running
    /// sums of non-negative terms, so the ratio has a relative error of a few ulps whatever the history.
    public func ewmaVariance(_ asset: Int) -> Double {
        returnCount[asset] > 0 ? ownSum[asset] / ewmaWeight[asset] : 0
    }

    /// Equal-weight zero-mean variance: the mean of the last min(n, W) squared returns; 0 without returns.
    /// The sum is compensated and recomputed exactly every W returns, so its error stays within one window's
    /// rounding (no drift, however many steps).
    public func windowVariance(_ asset: Int) -> Double {
        let count = returnCount[asset]
        guard count > 0 else { return 0 }
        let total = max(windowSum[asset] + windowCompensation[asset], 0)
        return total / Double(min(count, Int64(configuration.window)))
    }

    func methodVariance(_ asset: Int) -> Double {
        switch configuration.method {
        case .ewma: return ewmaVariance(asset)
        case .window: return windowVariance(asset)
        }
    }

    /// Per-step volatility σ_Δ = √variance (configured method).
    public func volatility(_ asset: Int) -> Double { methodVariance(asset).squareRoot() }

    /// Volatility over a horizon H (ns) under i.i.d. returns: σ_H = σ_Δ·√(H/Δ).
    public func horizonVolatility(_ asset: Int, horizon: Int64) -> Double {
        volatility(asset) * (Double(horizon) / Double(configuration.gridInterval)).squareRoot()
    }

    /// Annualized volatility for display: σ_Δ·√(365 days / Δ).
    public func annualizedVolatility(_ asset: Int) -> Double {
        horizonVolatility(asset, horizon: 365 * 86_400 * 1_000_000_000)
    }

    /// EWMA covariance over the pair's common returns: Σ λ^(k−j) r_i r_j / Σ λ^(k−j), the sums running since the
    /// younger asset's first return (pandas `ewm(adjust: true).mean()` of r_i·r_j over that span). 0 if either
    /// asset has no return; `covariance(i, i) == ewmaVariance(i)`.
    ///
    /// In the `.factors` mode the pair sum off the diagonal is the factor model's (U Λ Uᵀ)_ij/(1−λ) (its
    /// rank-k estimate of Σ λ^(k−j) r_i r_j; the model's C carries the factor 1−λ), O(k); the diagonal stays exact.
    public func covariance(_ first: Int, _ second: Int) -> Double {
        guard returnCount[first] > 0 && returnCount[second] > 0 else { return 0 }
        let weight = min(ewmaWeight[first], ewmaWeight[second])
        if factorStride > 0 && first != second { return factorPairSum(first, second) / weight }
        return crossSum[first == second ? diagonalIndex(first) : GridMath.packedIndex(first, second)] / weight
    }

    /// The published correlation R*_ij = (1−δ)·R_ij + δ·F_ij (δ = `shrinkageIntensity`), with R the raw matrix of
    /// `rawCorrelation(_:_:)` and F the target (0 off the diagonal for `.identity`, ρ̄ for `.constantCorrelation`).
    /// A convex combination of positive semidefinite matrices, so positive semidefinite; δ = 0 gives R exactly.
    public func correlation(_ first: Int, _ second: Int) -> Double {
        if first == second { return 1 }
        let raw = rawCorrelation(first, second)
        guard inverseRoot[first] > 0 && inverseRoot[second] > 0 else { return raw }
        return (1 - intensity) * raw + intensity * meanCorrelation
    }

    /// ``correlation(_:_:)`` of `row` with the columns `row..<row + count` (the row of the upper triangle that the
    /// portfolio message packs), stored as 8-byte little-endian IEEE 754 bit patterns from `destination` on (no
    /// alignment needed). The same expressions as `correlation(_:_:)`, bit for bit, in one pass over the packed
    /// sums: O(count) with no per-entry call, where an entry-by-entry read costs a call and an index computation
    /// each. In the `.factors` mode one pass over the loadings, O(count·k).
    public func storeCorrelations(row: Int, count: Int, into destination: UnsafeMutableRawPointer) {
        guard count > 0 else { return }
        precondition(row >= 0 && row + count <= assetCount, "correlation row out of range")
        destination.storeBytes(of: (1.0).bitPattern.littleEndian, as: UInt64.self)
        let scaleA = inverseRoot[row]
        let keep = 1 - intensity
        let shrunk = intensity * meanCorrelation
        if factorStride > 0 {
            storeFactorCorrelations(row: row, count: count, keep: keep, shrunk: shrunk, into: destination)
            return
        }
        crossSum.withUnsafeBufferPointer { cross in
            inverseRoot.withUnsafeBufferPointer { scales in
                // Packed lower-triangle index of (column, row) for column ≥ row: column·(column+1)/2 + row.
                var index = row * (row + 1) / 2 + row
                for offset in 1..<count {
                    let column = row + offset
                    index += column
                    let scaleB = scales[column]
                    var value = 0.0
                    if scaleA > 0 && scaleB > 0 {
                        value = keep * Self.clampedCorrelation(cross[index], scaleA, scaleB) + shrunk
                    }
                    destination.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: 8 * offset,
                                           as: UInt64.self)
                }
            }
        }
    }

    /// The raw correlation matrix, positive semidefinite by construction.
    ///
    /// R_ij = S_ij / √(S_ii S_jj), where S is the EWMA Gram matrix Σ_k λ^(K−k) x_k x_kᵀ of the grid return
    /// vectors x_k with a 0 for every asset that had no return yet at step k. A Gram matrix is positive
    /// semidefinite, and so is D^(−1/2) S D^(−1/2); assets not admitted (see `isInCorrelation(_:)`) get the
    /// identity's row and column, and a direct sum of positive semidefinite blocks is positive semidefinite.
    /// The entries are clamped to [−1, 1] against rounding (up to a few ulps of change).
    ///
    /// The zero fill biases a late joiner's correlation with an older asset towards 0 by about
    /// √(share of the older asset's EWMA weight that lies in the common span); the asset is therefore only
    /// admitted once it misses at most `correlationAdmission` of the grid's weight. Pairs of assets that started
    /// together are exact (their common span is the whole history of both).
    ///
    /// **`.factors` mode.** The ``FactorCovariance`` tracks C = Σ_k λ^(K−k)·(1−λ)·x_k x_kᵀ (the same zero-filled
    /// return vectors, an asset present from its first return) as U Λ Uᵀ ⪯ C, so U Λ Uᵀ/(1−λ) is its rank-k
    /// estimate of S. Refreshed once per step, each admitted asset gets k correlation loadings
    ///
    ///     L_if = U_if · √(Λ_f/(1−λ)) · s_i,   s_i = 1/√S_ii   (evaluated left to right)
    ///
    /// with S_ii the exact own sum (the same as in the `.full` mode), and an asset not admitted gets L_i = 0.
    /// Then Σ_f L_if L_jf = (U Λ Uᵀ)_ij / ((1−λ)·√(S_ii S_jj)), the `.full` formula with the rank-k S_ij, and
    /// R_ij is DEFINED as: 1 if i = j; 0 if either is not admitted; else min(max(s, −1), 1) with
    /// s = Σ_{f=0}^{k−1} L_if·L_jf accumulated from 0 in ascending f by plain `s += L_if * L_jf` (no fused
    /// multiply-add, no reordering), so a consumer of the loadings (``storeCorrelationLoadings(asset:into:)``)
    /// reproduces it bit for bit. It is positive semidefinite: R = L Lᵀ + diag(1 − |L_i|²) over the admitted
    /// assets, and |L_i|² = (U Λ Uᵀ)_ii/((1−λ)·S_ii) ≤ 1 up to rounding because U Λ Uᵀ ⪯ C, so the clamp
    /// moves an entry by rounding only (|s| ≤ |L_i|·|L_j|). Against the full matrix, the error is that of the
    /// rank-k truncation (see the DocC article "Factor model"); with k at least the number of assets it is exact
    /// up to rounding.
    public func rawCorrelation(_ first: Int, _ second: Int) -> Double {
        if first == second { return 1 }
        let scaleA = inverseRoot[first]
        let scaleB = inverseRoot[second]
        guard scaleA > 0 && scaleB > 0 else { return 0 }
        if factorStride > 0 { return factorCorrelation(first, second) }
        return Self.clampedCorrelation(crossSum[GridMath.packedIndex(first, second)], scaleA, scaleB)
    }

    /// Whether the asset's correlations are published (it has returns, a positive normal EWMA sum, and misses at most
    /// `correlationAdmission` of the grid's EWMA weight); otherwise its correlation row is the identity's.
    public func isInCorrelation(_ asset: Int) -> Bool { inverseRoot[asset] > 0 }

    /// The shrinkage intensity δ of the last step (0 for `.none`).
    public var shrinkageIntensity: Double { intensity }

    /// The mean off-diagonal raw correlation ρ̄ of the admitted assets at the last step, when the
    /// constant-correlation target is configured (0 otherwise).
    ///
    /// In the `.factors` mode it is formed in O(N·k) as (|Σ_i L_i|² − Σ_i |L_i|²) / (A(A−1)) over the A admitted
    /// assets' loadings (see ``rawCorrelation(_:_:)``), i.e. from the entries s_ij before their clamp to
    /// [−1, 1]; the clamp moves an entry by rounding only, so this equals the mean of the clamped entries up to
    /// rounding (and keeps ρ̄ ≥ −1/(A−1), the bound that makes the target positive semidefinite, since
    /// 1ᵀR1 = |Σ_i L_i|² + Σ_i (1 − |L_i|²) ≥ 0).
    public var targetCorrelation: Double { meanCorrelation }

    /// Effective sample size of the asset's weights: (Σw)²/Σw² for `.ewma`, min(n, W) for `.window`.
    public func ess(_ asset: Int) -> Double {
        guard returnCount[asset] > 0 else { return 0 }
        switch configuration.method {
        case .ewma: return ewmaESS(asset)
        case .window: return Double(min(returnCount[asset], Int64(configuration.window)))
        }
    }

    /// Effective sample size of the asset's EWMA weights, (Σλ^m)²/Σλ^(2m) over its n returns.
    public func ewmaESS(_ asset: Int) -> Double {
        guard returnCount[asset] > 0 else { return 0 }
        let weight = ewmaWeight[asset]
        return weight * weight / ewmaSquaredWeight[asset]
    }

    /// Effective sample size of a pair's EWMA weights: that of the younger asset (their common returns).
    public func pairESS(_ first: Int, _ second: Int) -> Double {
        min(ewmaESS(first), ewmaESS(second))
    }

    /// `.noData` without returns, `.warming` while `ess` < `warmupESS`, `.ready` after.
    public func status(_ asset: Int) -> EstimateStatus {
        guard returnCount[asset] > 0 else { return .noData }
        return ess(asset) >= configuration.warmupESS ? .ready : .warming
    }

    /// The pair's status from `pairESS` (`.noData` if either asset has no return).
    public func pairStatus(_ first: Int, _ second: Int) -> EstimateStatus {
        guard returnCount[first] > 0 && returnCount[second] > 0 else { return .noData }
        return pairESS(first, second) >= configuration.warmupESS ? .ready : .warming
    }

    /// Whether the asset's own EWMA weights have passed warm-up: the pair (i, j) is `.ready` in ``pairStatus(_:_:)``
    /// exactly when both i and j are (the pair's ESS is the smaller of the two), so a caller that needs every
    /// pair's status computes n of these instead of n² pair statuses.
    public func isReadyForPairs(_ asset: Int) -> Bool {
        returnCount[asset] > 0 && ewmaESS(asset) >= configuration.warmupESS
    }

    /// Staleness as of the last closed boundary, or nil before the asset's first sampled price.
    public func staleness(_ asset: Int) -> Staleness? {
        guard sampledPrice[asset] > 0, let boundary = lastBoundary else { return nil }
        return Staleness(steps: stalenessSteps[asset], nanoseconds: boundary - sampledTime[asset])
    }

    /// The asset's previous-tick price at the last closed boundary, or nil before its first sampled price.
    public func sampledPrice(_ asset: Int) -> Double? {
        sampledPrice[asset] > 0 ? sampledPrice[asset] : nil
    }

    /// The asset's grid return at its last step (0 before its first return).
    public func lastReturn(_ asset: Int) -> Double { lastReturnValue[asset] }

    /// r/σ_prev at the asset's last step, or nil if σ_prev was 0 (or no return yet).
    public func lastStandardizedReturn(_ asset: Int) -> Double? {
        hasLastStandardized[asset] ? lastStandardizedValue[asset] : nil
    }

    /// The largest |r/σ_prev| among the assets at the last closed step (the circuit breaker's "return beyond
    /// k·σ"), or nil if no asset had a positive σ_prev.
    public var largestStandardizedMove: StandardizedMove? {
        largestMoveAsset >= 0 ? StandardizedMove(asset: largestMoveAsset, value: largestMoveValue) : nil
    }
}
