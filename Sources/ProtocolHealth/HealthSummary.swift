/// The protocol's health at one grid step: per market and in total.
public struct HealthSummary: Sendable, Hashable {
    /// One market's open interest and how close it is to liquidation.
    public struct Market: Sendable, Hashable {
        /// Long open interest (quote notional at the mark).
        public var longNotional = 0.0
        /// Short open interest.
        public var shortNotional = 0.0
        /// Open interest by the leverage of the unit holding it (buckets of ``HealthEvaluator/leverageBuckets``
        /// and one above).
        public var notionalByLeverage = [Double](repeating: 0, count: HealthEvaluator.leverageBuckets.count + 1)
        /// Open interest whose unit is within 1σ, 2σ, 3σ of liquidation (already liquidatable included).
        public var notionalWithinSigma = [Double](repeating: 0, count: HealthEvaluator.sigmaBands.count)
        /// Open interest of units liquidatable now.
        public var liquidatableNotional = 0.0

        mutating func add(notional: Double, long: Bool, leverageBucket: Int, distance: Double, liquidatable: Bool) {
            if long { longNotional += notional } else { shortNotional += notional }
            notionalByLeverage[leverageBucket] += notional
            for (index, band) in HealthEvaluator.sigmaBands.enumerated() where distance <= band {
                notionalWithinSigma[index] += notional
            }
            if liquidatable { liquidatableNotional += notional }
        }
    }

    /// A unit among the largest near liquidation.
    public struct Contributor: Sendable, Hashable {
        /// The account.
        public var account: UInt64
        /// The margin unit (its slot in the book).
        public var unit: Int
        /// The unit's notional.
        public var notional: Double
        /// Its distance to liquidation in σ.
        public var distanceInSigma: Double
        /// M / E.
        public var marginRatio: Double
    }

    /// Per market, indexed as the conditions were.
    public var markets: [Market]
    /// Units with positions.
    public var units = 0
    /// Units liquidatable now.
    public var liquidatableUnits = 0
    /// Σ equity.
    public var equity = 0.0
    /// Σ maintenance margin.
    public var maintenance = 0.0
    /// The largest units within the widest σ band, by notional.
    public var topContributors: [Contributor] = []

    init(marketCount: Int) { markets = Array(repeating: Market(), count: marketCount) }
}
