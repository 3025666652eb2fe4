import FulcrumProtocol
import MarginModel
import MarketData
import MarketLiquidity
import RiskEstimation

extension RiskEngine {
    /// Records one accepted market-data message: open interest, funding and liquidations go to the tracker, closed
    /// candles to the candle volume of their asset (if the asset exists); books stay in the ingestor and are read
    /// at grid steps only.
    mutating func recordMarket(_ event: MarketEvent) {
        liquidity.tracker.record(event)
        if event.channel == .candles, event.isClosed {
            let raw = Int(event.symbol.rawValue)
            guard raw < assetOfSymbol.count, assetOfSymbol[raw] >= 0 else { return }
            let asset = assetOfSymbol[raw]
            liquidity.candleVolume.ensureAsset(asset)
            let notional = event.quantity * event.price
            if notional.isFinite, notional >= 0 {
                liquidity.candleVolume.record(asset: asset, notional: notional, timestamp: event.intervalEnd)
            }
        }
    }

    /// Computes every asset's market inputs for the step closing at `step.boundary` (impact curves walk the
    /// books here, once per step), into `liquidity.current`.
    mutating func prepareLiquidity(step: GridStep) {
        // Drop the previous step's curves first, so that the tracker updates its arrays in place.
        for index in liquidity.current.indices { liquidity.current[index].liquidity = LiquidityInputs() }
        while liquidity.current.count < symbols.count { liquidity.current.append(LiquidityState.AssetInputs()) }
        while liquidity.symbolOfAsset.count < symbols.count {
            let asset = liquidity.symbolOfAsset.count
            let id = ingestor.symbols.id(of: symbols[asset]).map { SymbolID(rawValue: $0) }
            liquidity.symbolOfAsset.append(id ?? SymbolID(rawValue: UInt32.max))
        }
        let books = ingestor.books
        for asset in symbols.indices {
            let symbol = liquidity.symbolOfAsset[asset]
            guard symbol.rawValue != UInt32.max else { continue }
            liquidity.current[asset].liquidity = liquidity.tracker.inputs(
                symbol: symbol, books: books, now: step.boundary,
                price: liquidity.referencePrice(asset: asset, sampled: prices[asset]))
            liquidity.candleVolume.ensureAsset(asset)
            liquidity.current[asset].candleAverageDailyVolume = liquidity.candleVolume.averageDailyNotional(
                asset: asset, now: step.boundary)
        }
    }

    /// Ticks for which the grid's price source (`ingest.gridPrice` `mid` or `mark`) had no fresh value, so that the
    /// grid sampled the robust price instead; 0 with `trade`.
    public var gridPriceFallbacks: UInt64 { liquidity.gridPriceFallbacks }

    /// The market inputs of `asset` at the last step: mark, index, open interest and the impact curve.
    public func marketInputs(asset: Int) -> LiquidityInputs? {
        asset < liquidity.current.count ? liquidity.current[asset].liquidity : nil
    }

    /// The market-data fields of `ModelInputs`: mark, index, basis, open interest, liquidations, depth and where
    /// the liquidation costs came from (book when the step had an impact curve, volume with an ADV, else unknown).
    @inline(__always)
    func wireMarketInputs(asset: Int, averageDailyVolume: Double?, into inputs: inout Fulcrum_V1_ModelInputs) {
        guard asset < liquidity.current.count else {
            inputs.liquiditySource = averageDailyVolume == nil ? .unknown : .volume
            return
        }
        let market = liquidity.current[asset].liquidity
        inputs.markPrice = market.markPrice ?? 0
        inputs.indexPrice = market.indexPrice ?? 0
        inputs.basis = market.basis ?? 0
        inputs.openInterestNotional = market.openInterestNotional ?? 0
        inputs.liquidatedNotional = market.liquidatedNotional
        inputs.bookDepthNotional = market.visibleDepthNotional ?? 0
        inputs.liquiditySource = market.impact != nil ? .book : averageDailyVolume == nil ? .unknown : .volume
    }
}
