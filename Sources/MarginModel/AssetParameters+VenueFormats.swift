extension AssetParameters {
    /// The published smallest-tier levels as a dYdX-style liquidity tier.
    public func dydxLiquidityTier(id: UInt32, name: String, openInterestLowerCap: Double = 0,
                                  openInterestUpperCap: Double = 0) -> DydxLiquidityTier {
        DydxLiquidityTier(levels: published, id: id, name: name, openInterestLowerCap: openInterestLowerCap,
                          openInterestUpperCap: openInterestUpperCap)
    }

    /// The published tier schedule as a Hyperliquid-style margin table.
    public func hyperliquidMarginTable(description: String, leverageSteps: [Int]) -> HyperliquidMarginTable {
        HyperliquidMarginTable(description: description, tiers: publishedTiers, leverageSteps: leverageSteps)
    }

    /// The published tier schedule as Binance-style brackets with `cum`.
    public func binanceLeverageBrackets() -> [BinanceLeverageBracket] {
        BinanceLeverageBracket.brackets(from: publishedTiers)
    }
}
