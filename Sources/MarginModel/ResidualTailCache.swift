/// Incrementally maintained lower and upper tails of an asset's residual window, for filtered historical simulation.
///
/// FHS needs only the k = ⌈ε·n⌉ most extreme residuals on each side. Instead of sorting n residuals every step,
/// the cache keeps the C ≥ k most extreme of the window on each side (C = 2k + 16), and per update removes the
/// residuals that left the window and offers the ones that entered: O(1) amortized, O(C) for the rare insertion.
/// When evictions leave fewer than k entries, or the window is not the continuation of the previous one (reset,
/// gap), it rebuilds with one O(n) pass. With n = 10,000 and k = 100 a rebuild happens about every n·(C − k)/k
/// steps per side, i.e. rarely.
struct ResidualTailCache: Sendable {
    /// Largest |z| accepted; beyond it a residual is treated as a data error and clamped (NaN becomes 0).
    static let maximumResidualMagnitude = 100.0

    /// Lower tail: the most negative residuals, ascending.
    private(set) var lower = SortedTail()
    /// Upper tail, stored negated (−z ascending), so both sides share the "most extreme first" order.
    private(set) var upper = SortedTail()
    private var syncedTotal: UInt64 = 0
    private var windowCount = 0
    private var isValid = false
    /// Number of full rebuilds so far (for tests and diagnostics).
    private(set) var rebuildCount = 0

    /// Long-side risk measure over the horizon from the k most negative residuals (see `TailLoss`).
    mutating func longLoss(tailSize k: Int, horizonSigma: Double, measure: RiskMeasure) -> Double {
        switch measure {
        case .valueAtRisk: return -Elementary.expm1(horizonSigma * lower.values[k - 1])
        case .expectedShortfall: return -lower.exponentialSum(first: k, scale: horizonSigma) / Double(k)
        }
    }

    /// Short-side risk measure over the horizon from the k most positive residuals (see `TailLoss`).
    mutating func shortLoss(tailSize k: Int, horizonSigma: Double, measure: RiskMeasure) -> Double {
        switch measure {
        case .valueAtRisk: return Elementary.expm1(-horizonSigma * upper.values[k - 1])
        case .expectedShortfall: return upper.exponentialSum(first: k, scale: -horizonSigma) / Double(k)
        }
    }

    @inline(__always)
    static func sanitize(_ z: Double) -> Double {
        if z.isNaN { return 0 }
        return min(max(z, -maximumResidualMagnitude), maximumResidualMagnitude)
    }

    /// Brings both tails up to date with `window`, guaranteeing at least `tailSize` entries per side when the
    /// window holds that many residuals.
    mutating func synchronize<Window: TailWindow>(with window: Window, tailSize: Int) {
        let n = window.count
        guard n > 0, tailSize > 0 else {
            isValid = false
            return
        }
        let total = max(window.totalAppended, UInt64(n))
        if isValid && total >= syncedTotal && total - syncedTotal <= UInt64(n) {
            let cutoff = total - UInt64(n)
            let oldStart = syncedTotal - UInt64(windowCount)
            var current = Int(syncedTotal - min(max(cutoff, oldStart), syncedTotal))
            lower.evict(before: cutoff)
            upper.evict(before: cutoff)
            let newCount = Int(total - syncedTotal)
            if current + newCount == n {
                for index in (n - newCount)..<n {
                    let z = Self.sanitize(window[index])
                    let sequence = cutoff + UInt64(index)
                    lower.offer(z, sequence: sequence, windowCount: current)
                    upper.offer(-z, sequence: sequence, windowCount: current)
                    current += 1
                }
                syncedTotal = total
                windowCount = n
                if lower.count >= min(tailSize, n) && upper.count >= min(tailSize, n) { return }
            }
        }
        rebuild(with: window, total: total, tailSize: tailSize)
    }

    private mutating func rebuild<Window: TailWindow>(with window: Window, total: UInt64, tailSize: Int) {
        let n = window.count
        let capacity = min(n, 2 * tailSize + 16)
        lower.reset(capacity: max(capacity, lower.capacity))
        upper.reset(capacity: max(capacity, upper.capacity))
        let first = total - UInt64(n)
        for index in 0..<n {
            let z = Self.sanitize(window[index])
            lower.offer(z, sequence: first + UInt64(index), windowCount: index)
            upper.offer(-z, sequence: first + UInt64(index), windowCount: index)
        }
        syncedTotal = total
        windowCount = n
        isValid = true
        rebuildCount += 1
    }
}

extension ResidualTailCache: Equatable, Codable {
    enum CodingKeys: String, CodingKey {
        case lower, upper, syncedTotal, windowCount, isValid, rebuildCount
    }

    /// Encodes both tails and the synchronization counters: everything the next `synchronize` and loss
    /// evaluations read, so that a decoded cache continues bit for bit.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(lower, forKey: .lower)
        try container.encode(upper, forKey: .upper)
        try container.encode(syncedTotal, forKey: .syncedTotal)
        try container.encode(windowCount, forKey: .windowCount)
        try container.encode(isValid, forKey: .isValid)
        try container.encode(rebuildCount, forKey: .rebuildCount)
    }

    /// Restores a cache written by `encode(to:)`. Throws `MarginModelError.incompatibleState` when the window
    /// count is negative or exceeds the residuals synchronized (the window's first sequence number would be
    /// negative).
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        lower = try container.decode(SortedTail.self, forKey: .lower)
        upper = try container.decode(SortedTail.self, forKey: .upper)
        syncedTotal = try container.decode(UInt64.self, forKey: .syncedTotal)
        windowCount = try container.decode(Int.self, forKey: .windowCount)
        isValid = try container.decode(Bool.self, forKey: .isValid)
        rebuildCount = try container.decode(Int.self, forKey: .rebuildCount)
        guard windowCount >= 0, UInt64(windowCount) <= syncedTotal || !isValid else {
            throw MarginModelError(code: .incompatibleState,
                                   message: "tail window count \(windowCount) does not fit \(syncedTotal) residuals "
                                       + "synchronized",
                                   context: ["field": "tail.windowCount"])
        }
    }
}
