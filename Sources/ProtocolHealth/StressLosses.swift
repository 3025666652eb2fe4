/// What every scenario of a stress run lost, in scenario order: the per-scenario figures a ``StressReport`` is
/// computed from, and what a shard of a book publishes so that ``HealthReducer`` can merge shards before taking
/// quantiles (quantiles of sums are not sums of quantiles).
public struct StressLosses: Sendable, Hashable {
    /// Bad debt of one scenario attributed to one market (only non-zero ones are listed).
    public struct MarketDebt: Sendable, Hashable {
        /// The scenario's index.
        public var scenario: Int
        /// The market's index.
        public var market: Int
        /// Bad debt attributed to the market in the scenario (> 0).
        public var badDebt: Double

        /// Creates an entry.
        public init(scenario: Int, market: Int, badDebt: Double) {
            self.scenario = scenario
            self.market = market
            self.badDebt = badDebt
        }
    }

    /// Markets the scenarios shock.
    public var marketCount: Int
    /// ``digest(of:)`` of the scenarios: shards merge only losses of the same scenario set.
    public var scenarioDigest: UInt64
    /// Bad debt of each scenario.
    public var badDebt: [Double]
    /// Liquidated notional of each scenario.
    public var liquidatedNotional: [Double]
    /// Rounds each scenario's cascade took.
    public var rounds: [Int]
    /// The scenarios whose cascade hit the round limit, ascending.
    public var unconverged: [Int]
    /// Non-zero bad debt per scenario and market, by scenario then market.
    public var marketBadDebt: [MarketDebt]

    /// Scenarios run.
    public var scenarioCount: Int { badDebt.count }

    /// Creates losses from their parts; the per-scenario arrays must be of one length.
    public init(marketCount: Int, scenarioDigest: UInt64, badDebt: [Double], liquidatedNotional: [Double],
                rounds: [Int], unconverged: [Int], marketBadDebt: [MarketDebt]) {
        self.marketCount = marketCount
        self.scenarioDigest = scenarioDigest
        self.badDebt = badDebt
        self.liquidatedNotional = liquidatedNotional
        self.rounds = rounds
        self.unconverged = unconverged
        self.marketBadDebt = marketBadDebt
    }

    /// The losses of `outcomes`, the cascades of `scenarios` in order.
    init(outcomes: [CascadeOutcome], scenarios: [[Double]], marketCount: Int) {
        self.marketCount = marketCount
        scenarioDigest = Self.digest(of: scenarios)
        badDebt = outcomes.map(\.badDebt)
        liquidatedNotional = outcomes.map(\.liquidatedNotional)
        rounds = outcomes.map(\.rounds)
        unconverged = outcomes.indices.filter { !outcomes[$0].converged }
        marketBadDebt = outcomes.enumerated().flatMap { scenario, outcome in
            outcome.markets.enumerated().compactMap { market, part in
                part.badDebt != 0 ? MarketDebt(scenario: scenario, market: market, badDebt: part.badDebt) : nil
            }
        }
    }

    /// FNV-1a (64-bit) over the scenario count, each scenario's length and its shocks' IEEE-754 bit patterns: equal
    /// scenario sets (same seed, same inputs) give equal digests, and a shard that drew others is refused.
    public static func digest(of scenarios: [[Double]]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ value: UInt64) {
            for byte in 0..<8 {
                hash ^= (value >> (8 * UInt64(byte))) & 0xFF
                hash = hash &* 0x0000_0100_0000_01B3
            }
        }
        mix(UInt64(scenarios.count))
        for scenario in scenarios {
            mix(UInt64(scenario.count))
            for shock in scenario { mix(shock.bitPattern) }
        }
        return hash
    }
}
