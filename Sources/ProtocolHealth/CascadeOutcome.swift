/// What one stress scenario's liquidation cascade left behind.
public struct CascadeOutcome: Sendable, Hashable {
    /// One market's part in the cascade.
    public struct Market: Sendable, Hashable {
        /// Notional liquidated in the market (at fill prices).
        public var liquidatedNotional = 0.0
        /// Bad debt of the liquidated units, attributed to markets by their share of each unit's notional.
        public var badDebt = 0.0
        /// Final mark over the pre-shock mark, minus one: the shock and the cascade's impact together.
        public var priceMove = 0.0
    }

    /// A unit that left bad debt.
    public struct Debtor: Sendable, Hashable {
        /// The account.
        public var account: UInt64
        /// The margin unit.
        public var unit: Int
        /// Its bad debt (quote).
        public var badDebt: Double
        /// The round it was liquidated in (1 = the shock itself).
        public var round: Int
    }

    /// Rounds that liquidated something.
    public var rounds = 0
    /// Whether the cascade reached a fixed point (no unit below maintenance) within the round limit.
    public var converged = true
    /// Units liquidated.
    public var liquidatedUnits = 0
    /// Notional liquidated, all markets (Liquidations at Risk for this scenario).
    public var liquidatedNotional = 0.0
    /// Σ max(0, −equity after close-out): what the insurance fund must cover.
    public var badDebt = 0.0
    /// Liquidation fees collected from the equity that was left.
    public var feesCollected = 0.0
    /// Per market, indexed as the conditions were.
    public var markets: [Market]
    /// Unit valuations the rounds did: what the screen (``CascadeScreen``) left to value, the measure of the
    /// cascade's work (a unit far from liquidation under the scenario is never valued).
    public var unitsValued = 0
    /// The units with the most bad debt, most first (ties by unit).
    public var topDebtors: [Debtor] = []

    init(marketCount: Int) { markets = Array(repeating: Market(), count: marketCount) }
}
