/// One side of a market's book as the liquidation engine sees it: levels of (distance from the mid, notional),
/// best first, and what walking them costs.
///
/// Distances are relative to the mid (0.001 = 10 bp below it for bids, above it for asks) and notionals are in
/// quote currency at the level's price, so that the curve moves with the price: a stress scenario shifts the
/// whole book with its shock, as a market maker requoting around a new price would. Beyond the last level the
/// book is extended by the square-root law, offset(c) = δₗₐₛₜ·√(c/D) for cumulative notional c past the listed
/// depth D: deeper liquidation keeps costing more instead of filling free, and the extension is continuous with
/// the last level. Bid offsets are capped at 1 (a price cannot fall below zero).
public struct DepthCurve: Sendable, Hashable {
    /// Level distances from the mid, ascending (best first); each ≥ 0.
    public private(set) var offsets: [Double]
    /// Notional at each level, > 0.
    public private(set) var notionals: [Double]
    /// Cumulative notional through each level (the prefix sums of ``notionals``).
    private var cumulative: [Double]
    /// Cumulative Σ offset × notional through each level, so that the cost of any walk is two lookups.
    private var cumulativeCost: [Double]
    /// Largest offset allowed (1 for bids, where the price reaches zero; unbounded for asks).
    public let offsetCap: Double

    /// Creates a curve from levels, best first.
    ///
    /// - Throws: ``HealthError`` when a level is not finite, an offset is negative or not ascending, a notional is
    ///   not positive, or the list is empty.
    public init(levels: [(offset: Double, notional: Double)], offsetCap: Double = .infinity) throws(HealthError) {
        guard !levels.isEmpty else { throw HealthError(.invalidDepth, "a depth curve needs at least one level") }
        var previous = 0.0
        offsets = []
        notionals = []
        cumulative = []
        cumulativeCost = []
        var depth = 0.0
        var cost = 0.0
        for (index, level) in levels.enumerated() {
            guard level.offset.isFinite, level.notional.isFinite, level.offset >= previous, level.notional > 0 else {
                throw HealthError(.invalidDepth, "level \(index) (offset \(level.offset), notional "
                                  + "\(level.notional)) must be finite, ascending and of positive notional")
            }
            previous = level.offset
            depth += level.notional
            cost += level.offset * level.notional
            offsets.append(min(level.offset, offsetCap))
            notionals.append(level.notional)
            cumulative.append(depth)
            cumulativeCost.append(cost)
        }
        self.offsetCap = offsetCap
    }

    /// Listed depth D: the notional of every level.
    public var listedDepth: Double { cumulative[cumulative.count - 1] }

    /// The offset at which the `consumed`-th unit of notional fills: the level holding it, or the square-root
    /// extension past the listed depth.
    public func marginalOffset(at consumed: Double) -> Double {
        if consumed <= 0 { return offsets[0] }
        let depth = listedDepth
        if consumed > depth { return min(offsets[offsets.count - 1] * (consumed / depth).squareRoot(), offsetCap) }
        return offsets[levelIndex(containing: consumed)]
    }

    /// How far the marginal price has moved from the best level after `consumed` notional: the mark's impact.
    public func impact(after consumed: Double) -> Double { marginalOffset(at: consumed) - offsets[0] }

    /// Σ offset·dn over the first `consumed` notional: the cost of the walk in quote per unit of mid price.
    ///
    /// Inside the listed depth it is the prefix cost of whole levels plus the partial level; past it, the
    /// integral of the square-root extension, δ·(2/3)·(c^{3/2} − D^{3/2})/√D, with the cap applied where the
    /// extension reaches it (c = D·(cap/δ)²).
    public func cost(upTo consumed: Double) -> Double {
        guard consumed > 0 else { return 0 }
        let depth = listedDepth
        if consumed <= depth {
            let index = levelIndex(containing: consumed)
            let before = index > 0 ? cumulative[index - 1] : 0
            let costBefore = index > 0 ? cumulativeCost[index - 1] : 0
            return costBefore + offsets[index] * (consumed - before)
        }
        let last = offsets[offsets.count - 1]
        var total = cumulativeCost[cumulativeCost.count - 1]
        guard last > 0 else { return total }
        let capped = offsetCap.isFinite ? depth * (offsetCap / last) * (offsetCap / last) : .infinity
        let smooth = min(consumed, capped)
        total += last * (2.0 / 3.0) * (smooth * smooth.squareRoot() - depth * depth.squareRoot()) / depth.squareRoot()
        if consumed > capped { total += offsetCap * (consumed - capped) }
        return total
    }

    /// Average offset of the notional between `from` and `to` cumulative consumption: the VWAP's distance from
    /// the mid for a fill of that slice (the marginal offset for an empty slice).
    public func averageOffset(from start: Double, to end: Double) -> Double {
        guard end > start else { return marginalOffset(at: start) }
        return (cost(upTo: end) - cost(upTo: start)) / (end - start)
    }

    /// The level whose cumulative range holds `consumed` (0 < consumed ≤ listed depth): binary search.
    private func levelIndex(containing consumed: Double) -> Int {
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] >= consumed { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
