extension RiskEstimator {
    /// Number k of correlation loadings per asset: the factor count in the `.factors` correlation mode, 0 in the
    /// `.full` mode (whose correlations have no factor form).
    public var correlationFactorCount: Int { factorStride }

    /// The asset's correlation loading L_if on factor `factor` (0 ≤ factor < ``correlationFactorCount``) at the
    /// last step; see ``rawCorrelation(_:_:)`` for the definition. All 0 for an asset not in the correlation.
    public func correlationLoading(_ asset: Int, factor: Int) -> Double {
        precondition(asset >= 0 && asset < assetCount, "unknown asset index \(asset)")
        precondition(factor >= 0 && factor < factorStride, "factor \(factor) out of 0..<\(factorStride)")
        return correlationLoadings[asset * factorStride + factor]
    }

    /// Stores the asset's ``correlationFactorCount`` loadings L_i0 … L_i(k−1) (see ``rawCorrelation(_:_:)``) as
    /// 8-byte little-endian IEEE 754 bit patterns from `destination` on (no alignment needed), like
    /// ``storeCorrelations(row:count:into:)``; a consumer that sums Σ_f L_if·L_jf over them in ascending f, one
    /// plain multiply and add at a time, and clamps to [−1, 1] gets ``rawCorrelation(_:_:)`` bit for bit.
    /// Writes nothing in the `.full` mode.
    public func storeCorrelationLoadings(asset: Int, into destination: UnsafeMutableRawPointer) {
        precondition(asset >= 0 && asset < assetCount, "unknown asset index \(asset)")
        let base = asset * factorStride
        for factor in 0..<factorStride {
            destination.storeBytes(of: correlationLoadings[base + factor].bitPattern.littleEndian,
                                   toByteOffset: 8 * factor, as: UInt64.self)
        }
    }

    /// Bytes held by the correlation state (reserved capacities): in the `.full` mode the packed triangle(s) of
    /// 8·N(N+1)/2 bytes each plus O(N) per-asset scales; in the `.factors` mode O(N·k): the N diagonal sums, the
    /// loadings, the per-asset scales and the ``FactorCovariance`` (``FactorCovariance/memoryBytes``).
    public var correlationMemoryBytes: Int {
        let doubles = crossSum.capacity + fourthSum.capacity + inverseRoot.capacity + ownSum.capacity
            + scratchInverseWeight.capacity + scratchInverseESS.capacity + scratchInverseVariance.capacity
            + correlationLoadings.capacity + loadingScratch.capacity
        return 8 * doubles + MemoryLayout<Bool>.stride * factorPresence.capacity + (factorModel?.memoryBytes ?? 0)
    }

    /// Σ_{f<count} a_f·b_f in ascending f with a plain `s += a * b` (no fused multiply-add, no reordering), the
    /// one place this sum is formed, so every reader of a loading pair rounds it alike.
    @inline(__always)
    static func loadingProduct(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> Double {
        var sum = 0.0
        for factor in 0..<count { sum += a[factor] * b[factor] }
        return sum
    }

    /// The clamped loading product of two assets, both admitted (their raw correlation in the `.factors` mode).
    func factorCorrelation(_ first: Int, _ second: Int) -> Double {
        correlationLoadings.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            let sum = Self.loadingProduct(base + first * factorStride, base + second * factorStride,
                                          count: factorStride)
            return min(max(sum, -1), 1)
        }
    }

    /// `.factors` mode, once per closed step: S_ii ← λ·S_ii + r_i² in the diagonal-only `crossSum` (the
    /// triangle's own expression, so every per-asset quantity stays bit-identical to the `.full` mode), then one
    /// ``FactorCovariance`` update with the step's returns, an asset present once it has had a first return
    /// (before that its return is 0 and its own variance in the model stays untouched).
    mutating func updateFactorModel() {
        let lambda = decay
        for asset in 0..<assetCount {
            let gridReturn = stepReturns[asset]
            crossSum[asset] = lambda * crossSum[asset] + gridReturn * gridReturn
            factorPresence[asset] = returnCount[asset] > 0
        }
        factorModel?.update(returns: stepReturns, present: factorPresence)
    }

    /// `.factors` mode: `steps` all-zero steps at once (see `fastForward(steps:)`), with the assets that have
    /// returns after them present throughout (an asset with a sampled price gets its first, zero, return in the
    /// gap's first step).
    mutating func fastForwardFactorModel(steps: Int64) {
        for asset in 0..<assetCount { factorPresence[asset] = returnCount[asset] > 0 }
        factorModel?.decay(steps: steps, present: factorPresence)
    }

    /// `.factors` mode, after the scales: L_if = U_if·√(Λ_f/(1−λ))·s_i for each admitted asset i (s_i =
    /// `inverseRoot[i]` = 1/√S_ii), an all-zero row otherwise. O(N·k).
    mutating func refreshLoadings() {
        guard let model = factorModel else { return }
        let k = factorStride
        let count = assetCount
        let complement = 1 - decay
        for factor in 0..<k { loadingScratch[factor] = (model.factorVariances[factor] / complement).squareRoot() }
        model.loadings.withUnsafeBufferPointer { sourceBuffer in
            loadingScratch.withUnsafeBufferPointer { scaleBuffer in
                inverseRoot.withUnsafeBufferPointer { rootBuffer in
                    correlationLoadings.withUnsafeMutableBufferPointer { targetBuffer in
                        guard let source = sourceBuffer.baseAddress, let scales = scaleBuffer.baseAddress,
                              let roots = rootBuffer.baseAddress, let target = targetBuffer.baseAddress else { return }
                        for asset in 0..<count {
                            let row = asset * k
                            let root = roots[asset]
                            for factor in 0..<k {
                                target[row + factor] = root > 0 ? source[row + factor] * scales[factor] * root : 0
                            }
                        }
                    }
                }
            }
        }
    }

    /// Σ_{i<j} Σ_f L_if·L_jf over the admitted pairs, as (|Σ_i L_i|² − Σ_i |L_i|²)/2 in O(N·k) (rows of assets
    /// not admitted are 0). Unlike `correlationSum()`, it sums the entries before their clamp to [−1, 1].
    mutating func factorCorrelationSum() -> Double {
        let k = factorStride
        let count = assetCount
        for factor in 0..<k { loadingScratch[factor] = 0 }
        var ownSquares = 0.0
        correlationLoadings.withUnsafeBufferPointer { loadingBuffer in
            inverseRoot.withUnsafeBufferPointer { roots in
                loadingScratch.withUnsafeMutableBufferPointer { totalBuffer in
                    guard let loadings = loadingBuffer.baseAddress, let total = totalBuffer.baseAddress else { return }
                    for asset in 0..<count where roots[asset] > 0 {
                        let row = loadings + asset * k
                        for factor in 0..<k {
                            total[factor] += row[factor]
                            ownSquares += row[factor] * row[factor]
                        }
                    }
                }
            }
        }
        var totalSquare = 0.0
        for factor in 0..<k { totalSquare += loadingScratch[factor] * loadingScratch[factor] }
        return (totalSquare - ownSquares) / 2
    }

    /// The factor model's (U Λ Uᵀ)_ij/(1−λ), its estimate of the pair sum S_ij (`.factors` mode).
    func factorPairSum(_ first: Int, _ second: Int) -> Double {
        (factorModel?.factorGram(first, second) ?? 0) / (1 - decay)
    }
}

extension RiskEstimator {
    /// The `.factors` mode's ``storeCorrelations(row:count:into:)``: the same expressions as
    /// ``correlation(_:_:)`` (keep = 1 − δ, shrunk = δ·ρ̄), O(count·k).
    func storeFactorCorrelations(row: Int, count: Int, keep: Double, shrunk: Double,
                                 into destination: UnsafeMutableRawPointer) {
        let k = factorStride
        let rowAdmitted = inverseRoot[row] > 0
        correlationLoadings.withUnsafeBufferPointer { loadingBuffer in
            inverseRoot.withUnsafeBufferPointer { scales in
                guard let loadings = loadingBuffer.baseAddress else { return }
                let rowLoadings = loadings + row * k
                for offset in 1..<count {
                    let column = row + offset
                    var value = 0.0
                    if rowAdmitted && scales[column] > 0 {
                        let sum = Self.loadingProduct(rowLoadings, loadings + column * k, count: k)
                        value = keep * min(max(sum, -1), 1) + shrunk
                    }
                    destination.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: 8 * offset,
                                           as: UInt64.self)
                }
            }
        }
    }
}
