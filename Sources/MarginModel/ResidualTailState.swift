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

    init(cache: ResidualTailCache) {
        self.cache = cache
    }

    /// Encodes the state as one keyed container (tails, power sums, counters; doubles keep their bits in a
    /// binary coder).
    public func encode(to encoder: any Encoder) throws {
        try cache.encode(to: encoder)
    }

    /// Decodes a state written by `encode(to:)`; throws `MarginModelError.incompatibleState`, naming the field,
    /// when its parts do not fit together.
    public init(from decoder: any Decoder) throws {
        cache = try ResidualTailCache(from: decoder)
    }
}
