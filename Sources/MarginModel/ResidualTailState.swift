/// The optimizer's residual tail memory of one asset, for checkpointing: both sorted tails with their sequence
/// numbers, the running power sums of the expected shortfall and the counters that decide when they are
/// recomputed or the tails rebuilt.
///
/// The power sums are updated incrementally between periodic recomputations, so they carry rounding that a
/// rebuild from the residual window would not reproduce (a few ulps of the tail loss). Restoring this state with
/// `MarginOptimizer.restore(tail:asset:)` makes every later update bit-identical to the one an uninterrupted
/// optimizer computes. Opaque: its only uses are encoding, decoding and comparison.
public struct ResidualTailState: Sendable, Equatable, Codable {
    var cache: ResidualTailCache
    /// The tails of the k-step blocks (`HorizonTailCache`); nil in states written before horizon aggregation,
    /// which then rebuild them from the residual window on their first update.
    var horizon: HorizonTailCache?

    init(cache: ResidualTailCache, horizon: HorizonTailCache? = nil) {
        self.cache = cache
        self.horizon = horizon
    }

    private enum HorizonKey: String, CodingKey { case horizon }

    /// Encodes the state as one keyed container (tails, power sums, counters; doubles keep their bits in a
    /// binary coder), with the k-step block tails under `horizon` when there are any.
    public func encode(to encoder: any Encoder) throws {
        try cache.encode(to: encoder)
        if let horizon {
            var container = encoder.container(keyedBy: HorizonKey.self)
            try container.encode(horizon, forKey: .horizon)
        }
    }

    /// Decodes a state written by `encode(to:)`, or by a version without horizon aggregation (no `horizon`
    /// key); throws `MarginModelError.incompatibleState`, naming the field, when its parts do not fit together.
    public init(from decoder: any Decoder) throws {
        cache = try ResidualTailCache(from: decoder)
        horizon = try decoder.container(keyedBy: HorizonKey.self).decodeIfPresent(HorizonTailCache.self,
                                                                                  forKey: .horizon)
    }
}
