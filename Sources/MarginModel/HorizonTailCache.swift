/// The tails of an asset's k-step standardized moves (`HorizonBlockWindow`), kept like the one-step tails.
///
/// The blocks depend on k and on λ, so the cache remembers both: when either changes (another grid interval or
/// horizon, a restored checkpoint of another configuration) it starts afresh and the next synchronization
/// rebuilds it from the residual window. Bounded: it holds at most 2·⌈ε·n⌉ + 16 blocks per side, like the
/// one-step tails, and the blocks themselves are read from the estimator's residual ring, never stored.
struct HorizonTailCache: Sendable, Equatable, Codable {
    /// k of the blocks held (0 before the first use).
    private(set) var steps = 0
    /// λ of the blocks held (nil for plain sums).
    private(set) var decay: Double?
    /// The block tails.
    private(set) var cache = ResidualTailCache()

    /// Brings the tails up to date with the blocks of `window`, rebuilding them when k or λ changed.
    mutating func synchronize(with window: HorizonBlockWindow, tailSize: Int) {
        if window.steps != steps || window.decay?.bitPattern != decay?.bitPattern {
            steps = window.steps
            decay = window.decay
            cache = ResidualTailCache()
        }
        cache.synchronize(with: window, tailSize: tailSize)
    }
}

extension HorizonTailCache {
    /// Blocks held in the lower and upper tail.
    var tailCounts: (lower: Int, upper: Int) { (cache.lower.count, cache.upper.count) }

    /// Long-side risk measure over the horizon from the k most negative blocks (see `TailLoss`).
    mutating func longLoss(tailSize k: Int, horizonSigma: Double, measure: RiskMeasure) -> Double {
        cache.longLoss(tailSize: k, horizonSigma: horizonSigma, measure: measure)
    }

    /// Short-side risk measure over the horizon from the k most positive blocks (see `TailLoss`).
    mutating func shortLoss(tailSize k: Int, horizonSigma: Double, measure: RiskMeasure) -> Double {
        cache.shortLoss(tailSize: k, horizonSigma: horizonSigma, measure: measure)
    }
}
