/// The cost of liquidating a notional against one side of an order book: the slippage of walking it.
///
/// Walking spends N quote units level by level from the best price: at level k (price pₖ, size qₖ) it takes
/// tₖ = min(remaining, pₖ·qₖ) notional, buying or selling tₖ/pₖ base units. VWAP = N / Σ tₖ/pₖ. The cost relative
/// to the mid m is (m − VWAP)/m for bids (selling, liquidating a long) and (VWAP − m)/m for asks (buying,
/// liquidating a short). When N exceeds the side's visible depth D = Σ pₖ·qₖ, the cost continues by the square-root
/// law from the full walk: c(N) = c(D)·√(N/D). Sums run in level order, as the Python reference
/// (`fulcrum_tools.reference.impact_curve`) does, so both agree to rounding (better than 1e-12 relative).
public enum BookWalk {
    /// The cost fraction of liquidating `notional` against a side given best-first; NaN for an empty side or a
    /// mid that is not finite and positive.
    ///
    /// - Parameters:
    ///   - prices: level prices, best first (bids descending, asks ascending).
    ///   - sizes: level sizes in base units.
    ///   - mid: the book's mid price.
    ///   - notional: quote units to liquidate (> 0).
    ///   - isBid: whether the side is the bids (a sale).
    public static func cost(prices: UnsafeBufferPointer<Double>, sizes: UnsafeBufferPointer<Double>, mid: Double,
                            notional: Double, isBid: Bool) -> Double {
        guard prices.count > 0, mid.isFinite, mid > 0, notional > 0 else { return .nan }
        var remaining = notional
        var quantity = 0.0
        var spent = 0.0
        for k in 0..<prices.count {
            let levelNotional = prices[k] * sizes[k]
            let take = min(remaining, levelNotional)
            quantity += take / prices[k]
            spent += take
            remaining -= take
            if remaining <= 0 { break }
        }
        guard quantity > 0 else { return .nan }
        let vwap = spent / quantity
        let slippage = isBid ? (mid - vwap) / mid : (vwap - mid) / mid
        let walked = max(slippage, 0)
        // `spent` is the visible depth when the walk ran out of levels.
        return remaining > 0 ? walked * (notional / spent).squareRoot() : walked
    }

    /// The notional of all levels of a side, Σ pₖ·qₖ.
    public static func depth(prices: UnsafeBufferPointer<Double>, sizes: UnsafeBufferPointer<Double>) -> Double {
        var total = 0.0
        for k in 0..<prices.count { total += prices[k] * sizes[k] }
        return total
    }
}
