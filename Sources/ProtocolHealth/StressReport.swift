/// The stressed health of the protocol over a set of scenarios: the distribution of bad debt and liquidations,
/// and whether the insurance fund covers it.
///
/// Quantiles are the inverted empirical CDF (the ⌈α·n⌉-th smallest, numpy's `inverted_cdf`), so that a reported
/// VaR is a loss some scenario actually produced; expected shortfall is the mean of the scenarios at or beyond it.
public struct StressReport: Sendable, Hashable {
    /// Scenarios run.
    public var scenarios: Int
    /// The confidence level α of the quantiles (0.99).
    public var confidence: Double
    /// Bad debt at α: VaR of insolvency.
    public var badDebtAtRisk: Double
    /// Mean bad debt of the scenarios at or beyond ``badDebtAtRisk``.
    public var badDebtExpectedShortfall: Double
    /// Liquidated notional at α: Liquidations at Risk.
    public var liquidationsAtRisk: Double
    /// Mean bad debt over every scenario.
    public var meanBadDebt: Double
    /// Insurance fund / ``badDebtAtRisk`` (+∞ when no scenario leaves bad debt).
    public var coverageRatio: Double
    /// The most rounds any cascade took.
    public var deepestCascade: Int
    /// Scenarios whose cascade hit the round limit.
    public var unconverged: Int
    /// Bad debt per market summed over the scenarios at or beyond ``badDebtAtRisk``: which markets drive it.
    public var tailBadDebtByMarket: [Double]

    /// The per-scenario losses the figures were computed from: what a shard publishes for ``HealthReducer``.
    public var losses: StressLosses

    /// Runs `scenarios` through `cascade` on `threads` dedicated threads and summarizes them against
    /// `insuranceFund`.
    ///
    /// Scenarios are independent: each thread takes the next one with its own scratch, and the outcomes are
    /// merged in scenario order, so the report is the same, bit for bit, whatever the thread count. The calling
    /// thread is one of them and blocks until every scenario has run: call it from a dedicated thread, not from
    /// the Swift concurrency pool.
    ///
    /// - Parameter threads: threads to run on (the calling one included), at most one per scenario and at most
    ///   64; `nil` for the active processor count (``defaultThreads``). 1 runs on the calling thread alone.
    /// - Throws: ``HealthError`` from the first scenario (in order) that does not fit the markets, or for no
    ///   scenario.
    public init(cascade: LiquidationCascade, scenarios shocks: [[Double]], insuranceFund: Double,
                confidence: Double = 0.99, threads: Int? = nil) throws(HealthError) {
        guard !shocks.isEmpty else { throw HealthError(.invalidScenario, "no scenario to run") }
        try Self.check(confidence)
        let outcomes = try ScenarioWorkers.run(cascade, shocks, threads: threads ?? Self.defaultThreads)
        try self.init(losses: StressLosses(outcomes: outcomes, scenarios: shocks, marketCount: cascade.markets.count),
                      insuranceFund: insuranceFund, confidence: confidence)
    }

    /// Summarizes per-scenario `losses` (one process's, or shards' merged by ``HealthReducer``) against
    /// `insuranceFund`: the same figures, bit for bit, as running the scenarios here.
    ///
    /// - Throws: ``HealthError`` for no scenario, per-scenario arrays of different lengths, or a confidence
    ///   outside (0, 1).
    public init(losses: StressLosses, insuranceFund: Double, confidence: Double = 0.99) throws(HealthError) {
        let count = losses.scenarioCount
        guard count > 0 else { throw HealthError(.invalidScenario, "no scenario to run") }
        guard losses.liquidatedNotional.count == count, losses.rounds.count == count else {
            throw HealthError(.invalidScenario, "per-scenario losses of different lengths")
        }
        try Self.check(confidence)
        self.losses = losses
        scenarios = count
        self.confidence = confidence
        let rank = Self.rank(confidence, count: count)
        let debt = losses.badDebt
        let byDebt = debt.indices.sorted { debt[$0] != debt[$1] ? debt[$0] < debt[$1] : $0 < $1 }
        badDebtAtRisk = debt[byDebt[rank]]
        let tail = byDebt[rank...]
        badDebtExpectedShortfall = tail.reduce(0) { $0 + debt[$1] } / Double(tail.count)
        liquidationsAtRisk = losses.liquidatedNotional.sorted()[rank]
        meanBadDebt = debt.reduce(0, +) / Double(count)
        coverageRatio = badDebtAtRisk > 0 ? insuranceFund / badDebtAtRisk : .infinity
        deepestCascade = losses.rounds.max() ?? 0
        unconverged = losses.unconverged.count
        // The tail's bad debt per market, scenario by scenario in the tail's order.
        var entries = [Range<Int>](repeating: 0..<0, count: count)
        var index = 0
        while index < losses.marketBadDebt.count {
            let scenario = losses.marketBadDebt[index].scenario
            var end = index + 1
            while end < losses.marketBadDebt.count, losses.marketBadDebt[end].scenario == scenario { end += 1 }
            if (0..<count).contains(scenario) { entries[scenario] = index..<end }
            index = end
        }
        var byMarket = [Double](repeating: 0, count: losses.marketCount)
        for scenario in tail {
            for entry in losses.marketBadDebt[entries[scenario]] where byMarket.indices.contains(entry.market) {
                byMarket[entry.market] += entry.badDebt
            }
        }
        tailBadDebtByMarket = byMarket
    }

    /// Threads a stress run uses by default: the active processor count, at most 64.
    public static var defaultThreads: Int { ScenarioWorkers.defaultThreads }

    private static func check(_ confidence: Double) throws(HealthError) {
        guard confidence > 0, confidence < 1 else {
            throw HealthError(.invalidSetting, "confidence \(confidence) must be in (0, 1)",
                              context: ["field": "confidence"])
        }
    }

    /// The 0-based index of the inverted-CDF quantile: ⌈α·n⌉ − 1, within 0 ..< n.
    static func rank(_ confidence: Double, count: Int) -> Int {
        min(max(Int((confidence * Double(count)).rounded(.up)) - 1, 0), count - 1)
    }
}
