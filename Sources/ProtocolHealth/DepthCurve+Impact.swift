extension DepthCurve {
    /// One side of a book as levels, from the cost of walking it sampled at increasing notionals — what the
    /// engine's smoothed impact curve gives (the average distance from the mid of a fill of Nᵢ, cᵢ).
    ///
    /// A walk of Nᵢ costs Cᵢ = cᵢ·Nᵢ (quote per unit of mid), so the notional between two samples fills at the
    /// marginal offset (Cᵢ − Cᵢ₋₁)/(Nᵢ − Nᵢ₋₁); the first level holds N₀ at c₀. Walking the result reproduces
    /// every sample's cost exactly as long as those offsets ascend, which a real book's walk guarantees (the
    /// cost of a walk is convex in its size). After the median over venues and the time smoothing they can dip;
    /// a dip is raised to the offset before it (a running maximum) and later offsets are taken from the levels'
    /// own cost so far, which only makes a liquidation cost more: conservative. Samples whose cost or notional is not finite and positive are skipped.
    ///
    /// - Parameters:
    ///   - notionals: sampled notionals, ascending (quote units).
    ///   - costs: the cost fraction of a walk of each notional.
    ///   - offsetCap: 1 for bids, +∞ for asks (see ``init(levels:offsetCap:)``).
    /// - Throws: ``HealthError`` (`invalidDepth`) when no usable sample remains.
    public init(walkCosts notionals: [Double], costs: [Double], offsetCap: Double = .infinity) throws(HealthError) {
        var levels: [(offset: Double, notional: Double)] = []
        levels.reserveCapacity(notionals.count)
        var previousNotional = 0.0
        var previousCost = 0.0
        var previousOffset = 0.0
        for index in 0..<min(notionals.count, costs.count) {
            let notional = notionals[index]
            let cost = costs[index]
            guard notional.isFinite, cost.isFinite, cost >= 0, notional > previousNotional else { continue }
            let width = notional - previousNotional
            let offset = max((cost * notional - previousCost) / width, previousOffset)
            levels.append((offset: offset, notional: width))
            previousNotional = notional
            // The levels' own cost so far: after a raised dip the next sample is met from there, never undercut.
            previousCost += offset * width
            previousOffset = offset
        }
        try self.init(levels: levels, offsetCap: offsetCap)
    }
}
