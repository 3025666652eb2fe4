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

    init(configuration: LiquidityConfiguration) {
        tracker = LiquidityTracker(configuration: configuration)
    }
}
