/// The overlapping k-step standardized moves of a residual window, as a window of its own for `ResidualTailCache`.
///
/// Block b starts at residual b of the window and covers residuals b…b+k−1; its value is
///
///     m_b = (Σᵢ<ₖ z_{b+i}·s_{b,i}) / √k,   s_{b,0} = 1,   s_{b,i+1} = s_{b,i}·√(λ + (1 − λ)·z²_{b+i})
///
/// (`HorizonAggregation.filteredPaths`: s is the EWMA's σ along the path relative to the block's start), or with
/// s ≡ 1 when `decay` is nil (`.residualSums`). A window of n residuals holds n − k + 1 blocks; a block is numbered
/// by the sequence number of its first residual, so the newest block ends at the newest residual and the cache's
/// eviction by sequence number drops a block as soon as its first residual leaves the residual window.
///
/// Stability: every block is summed afresh from its k residuals (k ≤ `maximumAggregatedSteps`), never as a
/// running sum, so its value does not depend on when it was computed (an incremental update and a rebuild give
/// the same bits) and no rounding accumulates; the error is at most k ulps of the largest term. λ + (1 − λ)z² is
/// a sum of non-negative terms ≥ λ > 0, so the path factor has no cancellation and never vanishes; residuals are
/// clamped as the one-step tails clamp them, which keeps every factor below √(λ + (1 − λ)·100²).
/// Reading a block costs O(k) and allocates nothing.
struct HorizonBlockWindow: TailWindow {
    /// The one-step residuals.
    let residuals: ResidualWindow
    /// k ≥ 1, the residuals per block.
    let steps: Int
    /// λ of the variance path, or nil for plain sums.
    let decay: Double?
    private let normalization: Double

    init(residuals: ResidualWindow, steps: Int, decay: Double?) {
        self.residuals = residuals
        self.steps = steps
        self.decay = decay
        normalization = 1 / Double(steps).squareRoot()
    }

    var count: Int { max(0, residuals.count - steps + 1) }

    var totalAppended: UInt64 {
        let offset = UInt64(steps - 1)
        return residuals.totalAppended >= offset ? residuals.totalAppended - offset : 0
    }

    @inline(__always)
    subscript(index: Int) -> Double {
        var sum = 0.0
        if let lambda = decay {
            var scale = 1.0
            for offset in 0..<steps {
                let z = ResidualTailCache.sanitize(residuals[index + offset])
                sum += scale * z
                scale *= (lambda + (1 - lambda) * z * z).squareRoot()
            }
        } else {
            for offset in 0..<steps { sum += ResidualTailCache.sanitize(residuals[index + offset]) }
        }
        return sum * normalization
    }
}
