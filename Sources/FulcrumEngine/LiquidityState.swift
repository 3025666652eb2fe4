import MarginModel
import MarketData
import MarketLiquidity
import RiskEstimation

/// The engine's market data beyond prices: the ``LiquidityTracker`` (open interest, mark prices, liquidations,
/// smoothed impact curves), traded volume measured from closed candles, and the per-asset inputs of the step being
/// run. Owned by ``RiskEngine``; see `RiskEngine+Liquidity.swift`.
struct LiquidityState {
    /// One asset's market inputs at a step.
    struct AssetInputs {
        /// Books, open interest, liquidations, mark and index.
        var liquidity = LiquidityInputs()
        /// Average daily notional from closed candles (volume × close), when candles arrive.
        var candleAverageDailyVolume: Double?

        /// Sets the liquidity inputs, and the candle ADV where the trades gave none.
        func apply(to inputs: inout AssetRiskInputs) {
            inputs.liquidity = liquidity
            if inputs.averageDailyVolumeNotional == nil || inputs.averageDailyVolumeNotional == 0 {
                inputs.averageDailyVolumeNotional = candleAverageDailyVolume
            }
        }
    }

    var tracker: LiquidityTracker
    /// Closed candles' notional per asset (the same estimator as the trades' ``TradedVolume``).
    var candleVolume = TradedVolume()
    /// The inputs of the step being run, per asset.
    var current: [AssetInputs] = []
    /// The symbol of each asset, filled as assets appear.
    var symbolOfAsset: [SymbolID] = []
    /// The robust cross-venue price per asset, kept when the grid samples mids or marks (the engine's `prices`
    /// then holds the sampled price): the tracker values open interest and falls back to it for the index.
    var referencePrices: [Double] = []
    /// Ticks for which the grid's price source (`mid`, `mark`) had no fresh value, so the robust price was sampled.
    var gridPriceFallbacks: UInt64 = 0

    /// Keeps `price` as `asset`'s robust price.
    mutating func recordReferencePrice(_ price: Double, asset: Int) {
        while referencePrices.count <= asset { referencePrices.append(.nan) }
        referencePrices[asset] = price
    }

    /// The robust price of `asset` when kept, else `sampled` (the grid's price, the robust one with `trade`).
    func referencePrice(asset: Int, sampled: Double) -> Double {
        asset < referencePrices.count && referencePrices[asset].isFinite ? referencePrices[asset] : sampled
    }

    init(configuration: LiquidityConfiguration) {
        tracker = LiquidityTracker(configuration: configuration)
    }
}
