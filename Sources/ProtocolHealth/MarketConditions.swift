import MarginModel

/// What the health model needs to know of one market at a grid step: the price positions are marked at, its
/// volatility over the liquidation horizon, the published maintenance schedule and the live book.
public struct MarketConditions: Sendable {
    /// Mark price (> 0).
    public var markPrice: Double
    /// σ of the log return over the liquidation horizon (a fraction; > 0).
    public var horizonVolatility: Double
    /// The published size tiers: maintenance margin of a position of notional N is N·MMFₙ − dₙ.
    public var tiers: MarginTierTable
    /// The bid side: where liquidated longs are sold.
    public var bids: DepthCurve
    /// The ask side: where liquidated shorts are bought back.
    public var asks: DepthCurve
    /// Notional the liquidators can close in this market per cascade round (quote); `.infinity` for no limit.
    public var liquidatorCapacity: Double

    /// Creates the conditions of one market.
    public init(markPrice: Double, horizonVolatility: Double, tiers: MarginTierTable, bids: DepthCurve,
                asks: DepthCurve, liquidatorCapacity: Double = .infinity) {
        self.markPrice = markPrice
        self.horizonVolatility = horizonVolatility
        self.tiers = tiers
        self.bids = bids
        self.asks = asks
        self.liquidatorCapacity = liquidatorCapacity
    }

    /// Checks the fields the formulas divide by or take roots of.
    ///
    /// - Throws: ``HealthError`` naming the market and field.
    public func validate(market: Int) throws(HealthError) {
        let context = ["market": "\(market)"]
        guard markPrice.isFinite, markPrice > 0 else {
            throw HealthError(.invalidSetting, "mark price \(markPrice) must be positive", context: context)
        }
        guard horizonVolatility.isFinite, horizonVolatility > 0 else {
            throw HealthError(.invalidSetting, "horizon volatility \(horizonVolatility) must be positive",
                              context: context)
        }
        guard !tiers.isEmpty else { throw HealthError(.invalidSetting, "no margin tier", context: context) }
        guard liquidatorCapacity > 0 else {
            throw HealthError(.invalidSetting, "liquidator capacity must be positive", context: context)
        }
    }
}
