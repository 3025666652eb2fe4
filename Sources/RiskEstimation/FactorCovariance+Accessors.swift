extension FactorCovariance {
    /// Number of updates so far.
    public var stepCount: Int64 { steps }

    /// Number of active factors (≤ k): fewer than k during warm-up (the rank of the history so far) or when
    /// factors decayed to nothing.
    public var rank: Int { activeCount }

    /// Present returns rejected as not finite or too large, since creation.
    public var invalidReturns: Int64 { invalidReturnCount }

    /// Number of returns the asset has contributed to its own variance.
    public func returnCount(_ asset: Int) -> Int64 { ownReturnCount[asset] }

    /// The asset's own bias-corrected EWMA variance σ²_i = Σ λ^(n−j) r_j² / Σ λ^(n−j) over its returns
    /// (as `RiskEstimator.ewmaVariance`); 0 without returns.
    public func variance(_ asset: Int) -> Double {
        ownReturnCount[asset] > 0 ? ownSum[asset] / ownWeight[asset] : 0
    }

    /// The factor part (U Λ Uᵀ)_ij / W of the covariance, W = 1 − λ^t; 0 before the first update.
    public func factorCovariance(_ first: Int, _ second: Int) -> Double {
        guard gridWeight > 0 else { return 0 }
        return factorGram(first, second) / gridWeight
    }

    /// (U Λ Uᵀ)_ij = Σ_f Λ_f·U_if·U_jf over the active factors, not bias-corrected.
    func factorGram(_ first: Int, _ second: Int) -> Double {
        let k = configuration.factors
        var sum = 0.0
        for factor in 0..<activeCount {
            sum += factorVariances[factor] * loadings[first * k + factor] * loadings[second * k + factor]
        }
        return sum
    }

    /// D_i = max(σ²_i − (U Λ Uᵀ)_ii / W, floor·σ²_i), ≥ 0.
    public func idiosyncraticVariance(_ asset: Int) -> Double {
        let own = variance(asset)
        let common = gridWeight > 0 ? explained[asset] / gridWeight : 0
        return max(own - common, configuration.idiosyncraticFloor * own)
    }

    /// The model's covariance: (U Λ Uᵀ)_ij / W off the diagonal, (U Λ Uᵀ)_ii / W + D_i on it (= σ²_i unless the
    /// idiosyncratic floor binds). Symmetric positive semidefinite (positive definite with a positive floor for
    /// assets with returns). O(k).
    public func covariance(_ first: Int, _ second: Int) -> Double {
        if first == second {
            let common = gridWeight > 0 ? explained[first] / gridWeight : 0
            return common + idiosyncraticVariance(first)
        }
        return factorCovariance(first, second)
    }

    /// Correlation (U Λ Uᵀ)_ij / (W·σ_i·σ_j) off the diagonal, clamped to [−1, 1] against rounding and against
    /// factor loadings of an asset with missing returns that its own σ no longer matches; 1 on the diagonal, 0 if
    /// either asset has no variance. O(k).
    public func correlation(_ first: Int, _ second: Int) -> Double {
        if first == second { return 1 }
        let scale = (variance(first) * variance(second)).squareRoot()
        guard scale > 0 else { return 0 }
        return min(max(factorCovariance(first, second) / scale, -1), 1)
    }

    /// The configured number k of factors (the stride of ``withLoadings(_:)``).
    public var factorCount: Int { configuration.factors }

    /// U_if, the loading of `asset` on factor `factor` (orthonormal columns; 0 for factor ≥ ``rank``).
    public func loading(_ asset: Int, factor: Int) -> Double { loadings[asset * configuration.factors + factor] }

    /// Λ_f / W, the bias-corrected variance of factor f (descending in f; 0 for f ≥ ``rank``). With
    /// B_if = U_if·√(Λ_f/W), the model is Σ = B Bᵀ + diag(D): the factor form a consumer expands or feeds to an
    /// optimizer in O(N·k) per product Σx = B(Bᵀx) + D∘x.
    public func factorVariance(_ factor: Int) -> Double {
        gridWeight > 0 ? factorVariances[factor] / gridWeight : 0
    }

    /// Calls `body` with all loadings, asset-major (asset i's k loadings at `i·factorCount ..< (i+1)·factorCount`),
    /// without copying.
    public func withLoadings<Result>(_ body: (UnsafeBufferPointer<Double>) throws -> Result) rethrows -> Result {
        try loadings.withUnsafeBufferPointer(body)
    }

    /// Bytes held by the model: the arrays' reserved capacities plus the struct itself. 8·N·(k + 6) + O(k²).
    public var memoryBytes: Int {
        let doubles = loadings.capacity + factorVariances.capacity + ownSum.capacity + ownWeight.capacity
            + explained.capacity + stepReturns.capacity + residual.capacity + small.capacity + smallVectors.capacity
            + selected.capacity + projection.capacity + correction.capacity + extendedRow.capacity
            + rotatedRow.capacity + triangle.capacity
        return MemoryLayout<Self>.size + 8 * doubles + MemoryLayout<Int64>.stride * ownReturnCount.capacity
            + MemoryLayout<Int>.stride * eigenvalueOrder.capacity
    }
}
