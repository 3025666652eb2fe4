import MarketData
import MarketLiquidity

extension RiskEngine {
    /// The price the grid samples for an accepted tick, per `ingest.gridPrice` (``GridPriceSource``): the robust
    /// price for `trade`; for `mid` and `mark` the median of the venues' fresh values at the tick's exchange time
    /// (fresh: within `ingest.filter.staleAfter`), falling back to the robust price when no venue has one. Records
    /// the tick's quote first for `mid`.
    mutating func gridPrice(for tick: Tick, asset: Int) -> Double {
        let source = configuration.ingest.gridPrice
        guard source != .trade else { return tick.robustPrice }
        liquidity.recordReferencePrice(tick.robustPrice, asset: asset)
        let staleAfter = configuration.ingest.filter.staleAfter
        let sampled: Double?
        switch source {
        case .trade:
            sampled = nil
        case .mid:
            if let bid = tick.bid, let ask = tick.ask {
                liquidity.tracker.recordQuote(symbol: tick.symbol, venue: tick.venue, bid: bid, ask: ask,
                                              time: tick.exchangeTime)
            }
            sampled = liquidity.tracker.midPrice(symbol: tick.symbol, books: ingestor.books, at: tick.exchangeTime,
                                                 staleAfter: staleAfter)
        case .mark:
            sampled = liquidity.tracker.markPrice(symbol: tick.symbol, at: tick.exchangeTime, staleAfter: staleAfter)
        }
        guard let sampled else {
            liquidity.gridPriceFallbacks += 1
            return tick.robustPrice
        }
        return sampled
    }
}
