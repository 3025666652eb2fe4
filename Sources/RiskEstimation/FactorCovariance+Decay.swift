extension FactorCovariance {
    /// Absorbs `steps` consecutive steps in which every return is 0, in closed form: with m = λ^steps,
    /// Λ ← m·Λ (factors whose variance leaves the normal range dropped, as a single zero step drops them),
    /// W ← m·W + (1 − m), and for every asset marked present (all when `present` is nil) its own sum ← m·sum,
    /// own weight ← m·weight + (1 − m) and return count + `steps`; U is unchanged. The step counter and the
    /// re-orthonormalization schedule advance as `steps` updates would (one re-orthonormalization when the
    /// period elapses inside the gap; it changes U Λ Uᵀ only by rounding).
    ///
    /// Equal to `steps` calls of ``update(returns:present:)`` with all-zero returns and the same `present`, up to
    /// rounding: m is one power rather than `steps` products, a few ulps (and up to the underflow of decayed
    /// sums below 2⁻¹⁰⁷⁴). O(N) plus O(k), plus O(N·k²) when re-orthonormalizing; no allocation.
    public mutating func decay(steps: Int64, present: [Bool]? = nil) {
        precondition(steps >= 0, "a negative number of steps")
        precondition(present == nil || present?.count == assetCount, "one presence flag per asset")
        guard steps > 0 else { return }
        let multiplier = GridMath.power(configuration.decay, Double(steps))
        let gain = 1 - multiplier
        for asset in 0..<assetCount where present?[asset] ?? true {
            ownSum[asset] *= multiplier
            ownWeight[asset] = multiplier * ownWeight[asset] + gain
            ownReturnCount[asset] += steps
        }
        gridWeight = multiplier * gridWeight + gain
        self.steps += steps
        decayFactors(by: multiplier)
        let period = configuration.orthonormalizationPeriod
        let pending = Int64(period - stepsSinceOrthonormalization)
        let remainder = Int((Int64(stepsSinceOrthonormalization) + steps % Int64(period)) % Int64(period))
        if steps >= pending { orthonormalize() }
        stepsSinceOrthonormalization = remainder
    }
}
