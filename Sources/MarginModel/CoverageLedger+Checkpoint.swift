extension CoverageLedger {
    /// The live coverage state of a ledger, for checkpoints: every asset's and portfolio's tracker (open horizon,
    /// whole-run records and rolling window) and the widening multiplier each asset's last update used. The
    /// step-by-step history of backtests is not part of it.
    public struct Checkpoint: Sendable, Hashable, Codable {
        /// Asset names in engine order.
        public var symbols: [String]
        /// Per-asset trackers in engine order.
        public var trackers: [CoverageTracker]
        /// Per-portfolio trackers in configuration order.
        public var portfolios: [PortfolioCoverageTracker]
        /// The widening multiplier of each asset's last update.
        public var applied: [Double]
    }

    /// The ledger's live coverage state.
    public var checkpoint: Checkpoint {
        Checkpoint(symbols: symbols, trackers: trackers, portfolios: portfolios, applied: applied)
    }

    /// Continues from `checkpoint`, whose assets must be this ledger's, in the same order.
    ///
    /// A tracker resumes only if its settings are those in force — an asset's horizon H, ε and window, a
    /// portfolio's members, notionals, horizon, ε and window (matched by name); one whose settings changed starts
    /// afresh, since its exceptions were counted against other margins or over another window. Returns how many
    /// trackers started afresh. Throws `MarginModelError.incompatibleState` when the assets differ or the arrays
    /// disagree in length.
    @discardableResult
    public mutating func restore(_ checkpoint: Checkpoint) throws -> Int {
        guard checkpoint.symbols == symbols else {
            throw MarginModelError(
                code: .incompatibleState,
                message: "coverage checkpoint lists \(checkpoint.symbols.count) assets "
                    + "\(checkpoint.symbols.prefix(3))…, the engine \(symbols.count) \(symbols.prefix(3))…",
                context: ["field": "coverage.symbols"])
        }
        guard checkpoint.trackers.count == symbols.count, checkpoint.applied.count == symbols.count else {
            throw MarginModelError(
                code: .incompatibleState,
                message: "coverage checkpoint has \(checkpoint.trackers.count) trackers and "
                    + "\(checkpoint.applied.count) widening multipliers for \(symbols.count) assets",
                context: ["field": "coverage.trackers"])
        }
        var restarted = 0
        for asset in trackers.indices {
            let stored = checkpoint.trackers[asset]
            let fresh = trackers[asset]
            if stored.horizonNs == fresh.horizonNs, stored.tailProbability == fresh.tailProbability,
               Self.sameWindow(stored.rolling, fresh.rolling) {
                trackers[asset] = stored
                applied[asset] = checkpoint.applied[asset]
            } else {
                restarted += 1
            }
        }
        for index in portfolios.indices {
            let fresh = portfolios[index]
            let stored = checkpoint.portfolios.first { $0.name == fresh.name }
            if let stored, stored.symbols == fresh.symbols, stored.notionals == fresh.notionals,
               stored.horizonNs == fresh.horizonNs, stored.assets == fresh.assets,
               stored.statistics.targetRate == fresh.statistics.targetRate,
               Self.sameWindow(stored.rolling, fresh.rolling) {
                portfolios[index] = stored
            } else {
                restarted += 1
            }
        }
        return restarted
    }

    /// Whether two rolling windows have the same length and target rate.
    private static func sameWindow(_ a: RollingCoverage, _ b: RollingCoverage) -> Bool {
        a.capacity == b.capacity && a.targetRate == b.targetRate
    }
}
