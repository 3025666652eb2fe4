extension RiskEstimator {
    /// Closes the boundary `nextBoundary`: samples every asset's previous-tick price, forms grid returns, updates
    /// the per-asset estimators, residuals and the pair sums, then refreshes the correlation scales and shrinkage.
    mutating func closeBoundary() {
        let interval = configuration.gridInterval
        let intervalStart = nextBoundary - interval
        let lambda = decay
        let lambdaSquared = lambda * lambda
        largestMoveAsset = -1
        largestMoveValue = 0
        for asset in 0..<assetCount {
            var gridReturn = 0.0
            var hasReturn = false
            let price = currentPrice[asset]
            if price > 0 {
                stalenessSteps[asset] = currentTime[asset] >= intervalStart ? 0 : stalenessSteps[asset] + 1
                let previous = sampledPrice[asset]
                if previous > 0 {
                    gridReturn = GridMath.logReturn(price, over: previous)
                    hasReturn = true
                }
                sampledPrice[asset] = price
                sampledTime[asset] = currentTime[asset]
            }
            stepReturns[asset] = gridReturn
            if hasReturn {
                // z_k = r_k / σ_{k−1}: the variance before this return enters it.
                let previousVariance = methodVariance(asset)
                if previousVariance > 0 {
                    let standardized = gridReturn / previousVariance.squareRoot()
                    lastStandardizedValue[asset] = standardized
                    hasLastStandardized[asset] = true
                    pushResidual(asset: asset, value: standardized)
                    if largestMoveAsset < 0 || abs(standardized) > abs(largestMoveValue) {
                        largestMoveAsset = asset
                        largestMoveValue = standardized
                    }
                } else {
                    hasLastStandardized[asset] = false
                }
                ewmaWeight[asset] = lambda * ewmaWeight[asset] + 1
                ewmaSquaredWeight[asset] = lambdaSquared * ewmaSquaredWeight[asset] + 1
                GridMath.decayingAdd(gridReturn * gridReturn, complement: stressedComplement,
                                     high: &stressedSum[asset], low: &stressedCompensation[asset])
                pushWindow(asset: asset, value: gridReturn * gridReturn)
                returnCount[asset] += 1
                lastReturnValue[asset] = gridReturn
            }
            if aheadPrice[asset] > 0 {
                currentPrice[asset] = aheadPrice[asset]
                currentTime[asset] = aheadTime[asset]
                aheadPrice[asset] = 0
                aheadTime[asset] = 0
            }
        }
        hasUnsampledTicks = aheadCount > 0
        aheadCount = 0
        if factorStride > 0 {
            updateFactorModel()
        } else {
            updatePairs()
        }
        nextBoundary += interval
        closedSteps += 1
        refreshCorrelation()
    }

    /// S_ij ← λ·S_ij + r_i·r_j (and M_ij ← λ·M_ij + (r_i·r_j)²) over the packed lower triangle, row by row so the
    /// inner loop runs over contiguous memory. Assets without a return this step contribute r = 0, so each sum
    /// runs over the pair's common returns exactly and the diagonal is the asset's own EWMA sum.
    private mutating func updatePairs() {
        let count = assetCount
        let lambda = decay
        let withFourth = usesFourthMoments
        stepReturns.withUnsafeBufferPointer { returnsBuffer in
            guard let returns = returnsBuffer.baseAddress else { return }
            crossSum.withUnsafeMutableBufferPointer { crossBuffer in
                guard let cross = crossBuffer.baseAddress else { return }
                if withFourth {
                    fourthSum.withUnsafeMutableBufferPointer { fourthBuffer in
                        guard let fourth = fourthBuffer.baseAddress else { return }
                        for row in 0..<count {
                            let rowReturn = returns[row]
                            let base = row * (row + 1) / 2
                            for column in 0...row {
                                let product = rowReturn * returns[column]
                                cross[base + column] = lambda * cross[base + column] + product
                                fourth[base + column] = lambda * fourth[base + column] + product * product
                            }
                        }
                    }
                } else {
                    for row in 0..<count {
                        let rowReturn = returns[row]
                        let base = row * (row + 1) / 2
                        for column in 0...row {
                            cross[base + column] = lambda * cross[base + column] + rowReturn * returns[column]
                        }
                    }
                }
            }
        }
    }

    /// Closes `steps` boundaries at once when no price is waiting to be sampled, so every return in them is 0:
    /// EWMA and fourth-moment sums × λ^k, stressed sums × λ_s^k = e^(k·ln λ_s) (from the exact logarithm, not by
    /// powering the rounded λ_s), weights W ← λ^k·W + (1−λ^k)/(1−λ),
    /// Σw² ← λ^{2k}·Σw² + (1−λ^{2k})/(1−λ²),
    /// k zeros into each window (all zeros when k ≥ window) and zero residuals for the steps whose previous σ is
    /// positive; in the `.factors` mode the factor model's closed form of the same zero steps
    /// (`FactorCovariance.decay(steps:present:)`). O(N² + N·(window + residualCapacity)), O(N) for the pairs in
    /// the `.factors` mode (plus O(N·k²) when its re-orthonormalization falls due).
    mutating func fastForward(steps: Int64) {
        let lambda = decay
        let factor = GridMath.power(lambda, Double(steps))
        let squaredFactor = factor * factor
        let weightGain = (1 - factor) / (1 - lambda)
        let squaredWeightGain = (1 - squaredFactor) / (1 - lambda * lambda)
        let stressedFactor = GridMath.exponential(Double(steps) * stressedLogDecay)
        let window = configuration.window
        largestMoveAsset = -1
        largestMoveValue = 0
        for asset in 0..<assetCount where sampledPrice[asset] > 0 {
            let zeroResiduals = zeroResidualSteps(asset: asset, steps: steps)
            ewmaWeight[asset] = factor * ewmaWeight[asset] + weightGain
            ewmaSquaredWeight[asset] = squaredFactor * ewmaSquaredWeight[asset] + squaredWeightGain
            stressedSum[asset] *= stressedFactor
            stressedCompensation[asset] *= stressedFactor
            if steps >= Int64(window) {
                let base = asset * window
                for slot in base..<(base + window) { windowValues[slot] = 0 }
                windowSum[asset] = 0
                windowCompensation[asset] = 0
                returnCount[asset] += steps
            } else {
                for _ in 0..<Int(steps) {
                    pushWindow(asset: asset, value: 0)
                    returnCount[asset] += 1
                }
            }
            pushZeroResiduals(asset: asset, count: zeroResiduals)
            hasLastStandardized[asset] = zeroResiduals == steps
            lastStandardizedValue[asset] = 0
            if zeroResiduals == steps && largestMoveAsset < 0 {
                largestMoveAsset = asset
            }
            lastReturnValue[asset] = 0
            stalenessSteps[asset] += steps
        }
        let scale: (inout [Double]) -> Void = { sums in
            sums.withUnsafeMutableBufferPointer { buffer in
                for index in buffer.indices { buffer[index] *= factor }
            }
        }
        scale(&crossSum)
        scale(&fourthSum)
        if factorStride > 0 {
            fastForwardFactorModel(steps: steps)
        }
        nextBoundary += steps * configuration.gridInterval
        closedSteps += steps
        refreshCorrelation()
    }

    /// How many of `steps` zero-return steps have a positive previous variance (and so yield a residual of 0).
    private func zeroResidualSteps(asset: Int, steps: Int64) -> Int64 {
        guard returnCount[asset] > 0 else { return 0 }
        switch configuration.method {
        case .ewma:
            return crossSum[diagonalIndex(asset)] > 0 ? steps : 0
        case .window:
            // The newest nonzero squared return of age a stays in the window for window − a more pushes.
            let window = configuration.window
            let base = asset * window
            let newest = Int(returnCount[asset] % Int64(window))
            let filled = Int(min(returnCount[asset], Int64(window)))
            for age in 0..<filled {
                let slot = (newest - 1 - age + window) % window
                if windowValues[base + slot] != 0 {
                    return min(steps, Int64(window - age))
                }
            }
            return 0
        }
    }

    /// Writes `value` (a squared return) into the asset's window ring, updating the compensated sum.
    ///
    /// The sum is recomputed from the ring (compensated, O(W)) every `window` writes, at a slot that differs per
    /// asset to spread the work, so rounding cannot accumulate beyond one window's updates however long the
    /// estimator runs (no drift). It is also recomputed when the value leaving the window exceeds 2²⁶ times what
    /// remains: after such a cancellation the compensation term would carry most of the remaining digits. Each
    /// written value can trigger that at most once, when it leaves, so the amortized cost stays O(1) per write.
    mutating func pushWindow(asset: Int, value: Double) {
        let window = configuration.window
        let base = asset * window
        let slot = Int(returnCount[asset] % Int64(window))
        let old = windowValues[base + slot]
        windowValues[base + slot] = value
        GridMath.compensatedAdd(value, sum: &windowSum[asset], compensation: &windowCompensation[asset])
        GridMath.compensatedAdd(-old, sum: &windowSum[asset], compensation: &windowCompensation[asset])
        let remaining = windowSum[asset] + windowCompensation[asset]
        if slot == asset % window || old > 0x1p26 * remaining {
            var sum = 0.0
            var compensation = 0.0
            for index in base..<(base + window) {
                GridMath.compensatedAdd(windowValues[index], sum: &sum, compensation: &compensation)
            }
            windowSum[asset] = sum
            windowCompensation[asset] = compensation
        }
    }

    /// Appends one standardized residual to the asset's ring, overwriting the oldest when full.
    private mutating func pushResidual(asset: Int, value: Double) {
        let capacity = configuration.residualCapacity
        residualValues[asset * capacity + residualNext[asset]] = value
        residualNext[asset] = residualNext[asset] + 1 == capacity ? 0 : residualNext[asset] + 1
        residualStored[asset] = min(residualStored[asset] + 1, capacity)
        residualAppendedCount[asset] += 1
    }

    /// Appends `count` zero residuals: only the last min(count, capacity) are written, the earlier ones would be
    /// overwritten within the same call, but all of them count in `residualsAppended`.
    private mutating func pushZeroResiduals(asset: Int, count: Int64) {
        let capacity = configuration.residualCapacity
        let writes = Int(min(count, Int64(capacity)))
        let start = (residualNext[asset] + Int((count - Int64(writes)) % Int64(capacity))) % capacity
        let base = asset * capacity
        for offset in 0..<writes {
            residualValues[base + (start + offset) % capacity] = 0
        }
        residualNext[asset] = (start + writes) % capacity
        residualStored[asset] = min(residualStored[asset] + writes, capacity)
        residualAppendedCount[asset] += UInt64(count)
    }

    /// Refreshes, once per closed step, the per-asset scales 1/√S_i of the admitted assets (and from them, in the
    /// `.factors` mode, the correlation loadings) and the shrinkage intensity δ and mean correlation ρ̄ the target
    /// needs.
    ///
    /// An asset is admitted when it has returns, S_i is a positive normal number, and
    /// W_i ≥ (1 − `correlationAdmission`)·max_j W_j, i.e.
    /// it misses at most that share of the oldest asset's EWMA weight.
    mutating func refreshCorrelation() {
        let count = assetCount
        var gridWeight = 0.0
        for asset in 0..<count where returnCount[asset] > 0 {
            gridWeight = max(gridWeight, ewmaWeight[asset])
        }
        let threshold = (1 - configuration.correlationAdmission) * gridWeight
        var admittedCount = 0
        for asset in 0..<count {
            let own = crossSum[diagonalIndex(asset)]
            ownSum[asset] = own
            // Sums decayed into the subnormal range carry no usable digits (and λ·x can stick at the smallest
            // subnormal), so such an asset counts as having no variance for correlation purposes.
            if returnCount[asset] > 0 && own >= Double.leastNormalMagnitude && ewmaWeight[asset] >= threshold {
                inverseRoot[asset] = 1 / own.squareRoot()
                admittedCount += 1
            } else {
                inverseRoot[asset] = 0
            }
        }
        if factorStride > 0 {
            refreshLoadings()
        }
        let pairs = Double(admittedCount * (admittedCount - 1) / 2)
        switch configuration.shrinkage {
        case .none:
            intensity = 0
            meanCorrelation = 0
        case .fixed(let fixedIntensity, let target):
            intensity = fixedIntensity
            if target == .constantCorrelation && pairs > 0 {
                meanCorrelation = (factorStride > 0 ? factorCorrelationSum() : correlationSum()) / pairs
            } else {
                meanCorrelation = 0
            }
        case .ledoitWolf(let target):
            precondition(factorStride == 0, "Ledoit–Wolf shrinkage needs the full correlation model")
            let moments = ledoitWolfMoments()
            meanCorrelation = target == .constantCorrelation && pairs > 0 ? moments.sum / pairs : 0
            // γ = Σ(ρ − F)²: Σρ² for the identity, Σρ² − (Σρ)²/m for the constant-correlation target.
            var distance = moments.sumOfSquares
            if target == .constantCorrelation && pairs > 0 {
                distance = max(moments.sumOfSquares - moments.sum * moments.sum / pairs, 0)
            }
            if distance > 0 {
                intensity = min(max(moments.variance / distance, 0), 1)
            } else {
                intensity = moments.variance > 0 ? 1 : 0
            }
        }
    }

    /// ρ_ij = clamp(S_ij·(s_i·s_j), −1, 1) with s = 1/√S_ii; 0 for pairs with a non-admitted asset (s = 0).
    /// The scales are multiplied first, so ρ_ij and ρ_ji round identically (the matrix is exactly symmetric).
    @inline(__always)
    static func clampedCorrelation(_ cross: Double, _ scaleA: Double, _ scaleB: Double) -> Double {
        min(max(cross * (scaleA * scaleB), -1), 1)
    }

    /// Σ_{i>j} ρ_ij over the admitted pairs. Four partial sums per row break the floating-point dependency chain
    /// (the order is fixed, so the result stays deterministic).
    private func correlationSum() -> Double {
        var total = 0.0
        crossSum.withUnsafeBufferPointer { crossBuffer in
            inverseRoot.withUnsafeBufferPointer { scaleBuffer in
                guard let cross = crossBuffer.baseAddress, let scales = scaleBuffer.baseAddress else { return }
                for row in 0..<assetCount where scales[row] > 0 {
                    let base = cross + row * (row + 1) / 2
                    let rowScale = scales[row]
                    var partial = (0.0, 0.0, 0.0, 0.0)
                    var column = 0
                    while column + 4 <= row {
                        partial.0 += Self.clampedCorrelation(base[column], rowScale, scales[column])
                        partial.1 += Self.clampedCorrelation(base[column + 1], rowScale, scales[column + 1])
                        partial.2 += Self.clampedCorrelation(base[column + 2], rowScale, scales[column + 2])
                        partial.3 += Self.clampedCorrelation(base[column + 3], rowScale, scales[column + 3])
                        column += 4
                    }
                    while column < row {
                        partial.0 += Self.clampedCorrelation(base[column], rowScale, scales[column])
                        column += 1
                    }
                    total += (partial.0 + partial.1) + (partial.2 + partial.3)
                }
            }
        }
        return total
    }

    /// Σρ, Σρ² and Σπ over the admitted pairs, with π_ij = max(m4_ij − c_ij², 0)/(σ_i² σ_j² ESS_ij), the
    /// means
    /// over the pair's common returns (weight min(W_i, W_j)) and ESS_ij = min(ESS_i, ESS_j) (the younger asset's).
    private mutating func ledoitWolfMoments() -> (sum: Double, sumOfSquares: Double, variance: Double) {
        for asset in 0..<assetCount {
            let weight = ewmaWeight[asset]
            if inverseRoot[asset] > 0 {
                scratchInverseWeight[asset] = 1 / weight
                scratchInverseESS[asset] = ewmaSquaredWeight[asset] / (weight * weight)
                scratchInverseVariance[asset] = weight / crossSum[GridMath.packedIndex(asset, asset)]
            } else {
                scratchInverseWeight[asset] = 0
                scratchInverseESS[asset] = 0
                scratchInverseVariance[asset] = 0
            }
        }
        var sum = 0.0
        var sumOfSquares = 0.0
        var variance = 0.0
        let count = assetCount
        crossSum.withUnsafeBufferPointer { crossBuffer in
            fourthSum.withUnsafeBufferPointer { fourthBuffer in
                inverseRoot.withUnsafeBufferPointer { scaleBuffer in
                    scratchInverseWeight.withUnsafeBufferPointer { weightBuffer in
                        scratchInverseESS.withUnsafeBufferPointer { essBuffer in
                            scratchInverseVariance.withUnsafeBufferPointer { varianceBuffer in
                                guard let cross = crossBuffer.baseAddress, let fourth = fourthBuffer.baseAddress,
                                      let scales = scaleBuffer.baseAddress, let weights = weightBuffer.baseAddress,
                                      let inverseESS = essBuffer.baseAddress,
                                      let inverseVariance = varianceBuffer.baseAddress else { return }
                                for row in 0..<count where scales[row] > 0 {
                                    let offset = row * (row + 1) / 2
                                    let moments = PairMoments(
                                        cross: cross + offset, fourth: fourth + offset, scales: scales,
                                        inverseWeight: weights, inverseESS: inverseESS,
                                        inverseVariance: inverseVariance, row: row)
                                    let rowSums = moments.accumulate()
                                    sum += rowSums.sum
                                    sumOfSquares += rowSums.sumOfSquares
                                    variance += rowSums.variance
                                }
                            }
                        }
                    }
                }
            }
        }
        return (sum, sumOfSquares, variance)
    }
}
