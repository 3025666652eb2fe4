/// Merges the health of a book sharded by account across processes into the health of the whole book.
///
/// A margin unit lives whole on one shard (shard by account: a cross account's positions must be valued together),
/// and every shard values its units at the same marks and parameters (the same grid step) and stresses them under
/// the same scenarios (the same seed and inputs, checked by ``StressLosses/scenarioDigest``).
///
/// - **Aggregates** are sums over units, so they merge by adding: units, liquidatable units, equity, maintenance,
///   and per market long and short open interest, open interest by leverage bucket, within 1σ/2σ/3σ and
///   liquidatable. Equal to the one-process figures up to the order of the floating-point additions (relative
///   differences of a few ulp). **Top contributors** merge by rank: the k largest of the whole book are among the
///   union of each shard's k largest; ties in notional go to the lower account, then the lower unit (a unit is its
///   shard's slot, so one process's tie order by unit is not reproduced across shards).
/// - **Stress** merges per scenario, before any quantile: each scenario's bad debt, liquidated notional and
///   per-market bad debt are summed over the shards, its rounds are the deepest shard's, and it is unconverged if
///   any shard's cascade was; ``StressReport/init(losses:insuranceFund:confidence:)`` then takes VaR, ES and LaR
///   over the merged scenarios. Quantiles do not add: summing the shards' VaRs or averaging them is wrong both ways.
///
/// **What sharding changes.** Each shard's cascade walks the whole book of every market alone: liquidations on
/// other shards neither consume the depth it fills against nor move the marks its survivors are valued at. When
/// cascades do not interact across shards (no market liquidated on two shards in one scenario — e.g. each
/// market's positions on one shard) the merged figures are the one-process figures. When they do, sharding is
/// **not conservative**: each shard sees depth that another shard's liquidations have already taken and marks they
/// have not yet moved, so it understates fill prices' slippage, second-round breaches and bad debt. The merged
/// liquidator capacity is also each shard's in full. Shard so that the accounts that share a market's liquidity
/// in stress share a shard, or give each shard its share of each market's depth and liquidator capacity.
public enum HealthReducer {
    /// The aggregates of the whole book from its shards' (each evaluated over the same markets).
    ///
    /// - Throws: ``HealthError`` (`shardMismatch`) when no shard is given or shards have different market counts.
    public static func merge(_ shards: [HealthSummary], topCount: Int = 10) throws(HealthError) -> HealthSummary {
        guard let first = shards.first else { throw HealthError(.shardMismatch, "no shard to merge") }
        let marketCount = first.markets.count
        guard shards.allSatisfy({ $0.markets.count == marketCount }) else {
            throw HealthError(.shardMismatch, "shards of different market counts: "
                              + shards.map { "\($0.markets.count)" }.joined(separator: ", "))
        }
        var merged = HealthSummary(marketCount: marketCount)
        var contributors: [HealthSummary.Contributor] = []
        for shard in shards {
            merged.units += shard.units
            merged.liquidatableUnits += shard.liquidatableUnits
            merged.equity += shard.equity
            merged.maintenance += shard.maintenance
            for (index, market) in shard.markets.enumerated() {
                merged.markets[index].longNotional += market.longNotional
                merged.markets[index].shortNotional += market.shortNotional
                merged.markets[index].liquidatableNotional += market.liquidatableNotional
                add(market.notionalByLeverage, to: &merged.markets[index].notionalByLeverage)
                add(market.notionalWithinSigma, to: &merged.markets[index].notionalWithinSigma)
            }
            contributors += shard.topContributors
        }
        contributors.sort {
            if $0.notional != $1.notional { return $0.notional > $1.notional }
            return $0.account != $1.account ? $0.account < $1.account : $0.unit < $1.unit
        }
        merged.topContributors = Array(contributors.prefix(max(0, topCount)))
        return merged
    }

    /// The per-scenario losses of the whole book from its shards'.
    ///
    /// - Throws: ``HealthError`` (`shardMismatch`) when no shard is given, or shards ran different scenario sets
    ///   (digest, count) or market counts.
    public static func merge(_ shards: [StressLosses]) throws(HealthError) -> StressLosses {
        guard let first = shards.first else { throw HealthError(.shardMismatch, "no shard to merge") }
        for (index, shard) in shards.enumerated() {
            guard shard.scenarioDigest == first.scenarioDigest, shard.scenarioCount == first.scenarioCount,
                  shard.marketCount == first.marketCount, shard.liquidatedNotional.count == shard.scenarioCount,
                  shard.rounds.count == shard.scenarioCount else {
                throw HealthError(.shardMismatch, "shard \(index) ran other scenarios (digest "
                                  + "\(shard.scenarioDigest), \(shard.scenarioCount) scenarios, "
                                  + "\(shard.marketCount) markets) than shard 0 (digest \(first.scenarioDigest), "
                                  + "\(first.scenarioCount), \(first.marketCount))",
                                  context: ["shard": "\(index)"])
            }
        }
        var merged = first
        var unconverged = Set(first.unconverged)
        var debts: [Int: Double] = [:]
        let width = max(1, first.marketCount)
        func key(_ entry: StressLosses.MarketDebt) -> Int { entry.scenario * width + entry.market }
        for entry in first.marketBadDebt { debts[key(entry), default: 0] += entry.badDebt }
        for shard in shards.dropFirst() {
            for scenario in 0..<first.scenarioCount {
                merged.badDebt[scenario] += shard.badDebt[scenario]
                merged.liquidatedNotional[scenario] += shard.liquidatedNotional[scenario]
                merged.rounds[scenario] = max(merged.rounds[scenario], shard.rounds[scenario])
            }
            unconverged.formUnion(shard.unconverged)
            for entry in shard.marketBadDebt { debts[key(entry), default: 0] += entry.badDebt }
        }
        merged.unconverged = unconverged.sorted()
        merged.marketBadDebt = debts.keys.sorted().map { key in
            StressLosses.MarketDebt(scenario: key / width, market: key % width,
                                    badDebt: debts[key] ?? 0)
        }
        return merged
    }

    private static func add(_ values: [Double], to totals: inout [Double]) {
        for index in values.indices where totals.indices.contains(index) { totals[index] += values[index] }
    }
}
