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

    /// Runs `scenarios` through `cascade` and summarizes them against `insuranceFund`.
    ///
    /// - Throws: ``HealthError`` from a scenario that does not fit the markets, or for no scenario.
    public init(cascade: LiquidationCascade, scenarios shocks: [[Double]], insuranceFund: Double,
                confidence: Double = 0.99) throws(HealthError) {
        guard !shocks.isEmpty else { throw HealthError(.invalidScenario, "no scenario to run") }
        guard confidence > 0, confidence < 1 else {
            throw HealthError(.invalidSetting, "confidence \(confidence) must be in (0, 1)",
                              context: ["field": "confidence"])
        }
        var outcomes: [CascadeOutcome] = []
        outcomes.reserveCapacity(shocks.count)
        var scratch = CascadeScratch(unitCount: cascade.book.unitSlotCount)
        for shock in shocks { outcomes.append(try cascade.run(shocks: shock, scratch: &scratch)) }
        scenarios = shocks.count
        self.confidence = confidence
        let rank = Self.rank(confidence, count: shocks.count)
        let byDebt = outcomes.indices.sorted {
            outcomes[$0].badDebt != outcomes[$1].badDebt ? outcomes[$0].badDebt < outcomes[$1].badDebt : $0 < $1
        }
        badDebtAtRisk = outcomes[byDebt[rank]].badDebt
        let tail = byDebt[rank...]
        badDebtExpectedShortfall = tail.reduce(0) { $0 + outcomes[$1].badDebt } / Double(tail.count)
        liquidationsAtRisk = outcomes.map(\.liquidatedNotional).sorted()[rank]
        meanBadDebt = outcomes.reduce(0) { $0 + $1.badDebt } / Double(outcomes.count)
        coverageRatio = badDebtAtRisk > 0 ? insuranceFund / badDebtAtRisk : .infinity
        deepestCascade = outcomes.map(\.rounds).max() ?? 0
        unconverged = outcomes.count { !$0.converged }
        var byMarket = [Double](repeating: 0, count: cascade.markets.count)
        for index in tail {
            for (market, part) in outcomes[index].markets.enumerated() { byMarket[market] += part.badDebt }
        }
        tailBadDebtByMarket = byMarket
    }

    /// The 0-based index of the inverted-CDF quantile: ⌈α·n⌉ − 1, within 0 ..< n.
    static func rank(_ confidence: Double, count: Int) -> Int {
        min(max(Int((confidence * Double(count)).rounded(.up)) - 1, 0), count - 1)
    }
}
