/// The cost of liquidating a notional, sampled at fixed notionals: what a walk of the live order books gives,
/// smoothed over time (see ``LiquidityConfiguration``). Costs are fractions of notional, non-decreasing in the
/// notional on each side.
///
/// Between samples the cost is linear in the notional; below the first sample it is the first sample's cost; above
/// the last it follows the square-root law, c(N) = c_last·√(N/N_last).
public struct ImpactCurve: Sendable, Hashable {
    /// Sampled notionals, ascending (quote units).
    public var notionals: [Double]
    /// Cost of selling each notional into the bids (liquidating a long).
    public var longCost: [Double]
    /// Cost of buying each notional from the asks (liquidating a short).
    public var shortCost: [Double]

    /// Creates a curve; the three arrays must have the same count (≥ 1).
    public init(notionals: [Double], longCost: [Double], shortCost: [Double]) {
        self.notionals = notionals
        self.longCost = longCost
        self.shortCost = shortCost
    }

    /// Cost of liquidating a long of `notional`.
    public func longCost(at notional: Double) -> Double { Self.cost(at: notional, notionals, longCost) }
    /// Cost of liquidating a short of `notional`.
    public func shortCost(at notional: Double) -> Double { Self.cost(at: notional, notionals, shortCost) }
    /// The larger of the two sides' costs at `notional`.
    public func cost(at notional: Double) -> Double { max(longCost(at: notional), shortCost(at: notional)) }

    /// The smallest notional whose cost (the larger side) reaches `threshold`: linear between samples, the
    /// square-root law beyond the last; 0 when the first sample already reaches it, +∞ when no cost ever does
    /// (a zero curve).
    public func notional(reachingCost threshold: Double) -> Double {
        let count = notionals.count
        guard count > 0 else { return .infinity }
        func both(_ i: Int) -> Double { max(longCost[i], shortCost[i]) }
        if both(0) >= threshold { return 0 }
        for i in 1..<count where both(i) >= threshold {
            let c0 = both(i - 1)
            let c1 = both(i)
            let n0 = notionals[i - 1]
            return n0 + (threshold - c0) / (c1 - c0) * (notionals[i] - n0)
        }
        let last = both(count - 1)
        guard last > 0 else { return .infinity }
        let ratio = threshold / last
        return notionals[count - 1] * ratio * ratio
    }

    static func cost(at notional: Double, _ notionals: [Double], _ costs: [Double]) -> Double {
        let count = notionals.count
        guard count > 0 else { return .nan }
        if !(notional > notionals[0]) { return costs[0] }
        var low = 0
        var high = count - 1
        if notional >= notionals[high] { return costs[high] * (notional / notionals[high]).squareRoot() }
        while high - low > 1 {
            let middle = (low + high) / 2
            if notionals[middle] <= notional { low = middle } else { high = middle }
        }
        let weight = (notional - notionals[low]) / (notionals[high] - notionals[low])
        return costs[low] + weight * (costs[high] - costs[low])
    }
}
