/// What live market data beyond prices tells the optimizer about one asset at a grid step (see
/// ``LiquidityConfiguration``). Every field is optional: absent data leaves today's model in force.
public struct LiquidityInputs: Sendable, Hashable {
    /// The smoothed impact curve, when at least one fresh live book exists.
    public var impact: ImpactCurve?
    /// Open interest as notional (base units × price), summed over venues; `nil` without an open-interest feed.
    public var openInterestNotional: Double?
    /// Notional liquidated over the cascade window, summed over venues; 0 without a liquidation feed.
    public var liquidatedNotional: Double = 0
    /// Visible book depth (notional of the kept levels, both sides), median over fresh venues; `nil` without books.
    public var visibleDepthNotional: Double?
    /// Mark price (median over venues with a funding feed); `nil` without one.
    public var markPrice: Double?
    /// Index price when a source publishes one, else the cross-venue robust trade/quote price.
    public var indexPrice: Double?

    /// No data.
    public init(impact: ImpactCurve? = nil, openInterestNotional: Double? = nil, liquidatedNotional: Double = 0,
                visibleDepthNotional: Double? = nil, markPrice: Double? = nil, indexPrice: Double? = nil) {
        self.impact = impact
        self.openInterestNotional = openInterestNotional
        self.liquidatedNotional = liquidatedNotional
        self.visibleDepthNotional = visibleDepthNotional
        self.markPrice = markPrice
        self.indexPrice = indexPrice
    }

    /// The index–mark basis, (mark − index)/index; `nil` unless both are known.
    public var basis: Double? {
        guard let markPrice, let indexPrice, indexPrice > 0 else { return nil }
        return (markPrice - indexPrice) / indexPrice
    }
}
