extension AssetParameters {
    /// The published smallest-tier levels as a dYdX-style liquidity tier, with the live open-interest caps of this
    /// update (``MarginInputsEcho/openInterestLowerCap``, ``MarginInputsEcho/openInterestUpperCap``: ADV
    /// multiples bounded by the configured caps); both caps 0 (no scaling) when the asset has none.
    public func dydxLiquidityTier(id: UInt32, name: String) -> DydxLiquidityTier {
        DydxLiquidityTier(levels: published, id: id, name: name,
                          openInterestLowerCap: inputs.openInterestLowerCap ?? 0,
                          openInterestUpperCap: inputs.openInterestUpperCap ?? 0)
    }

    /// The published tier schedule as a Hyperliquid-style margin table, with the live upper open-interest cap as
    /// the asset's open-interest cap.
    public func hyperliquidMarginTable(description: String, leverageSteps: [Int]) -> HyperliquidMarginTable {
        HyperliquidMarginTable(description: description, tiers: publishedTiers, leverageSteps: leverageSteps,
                               openInterestCap: inputs.openInterestUpperCap)
    }

    /// The published tier schedule as Binance-style brackets with `cum`. Binance's bracket format carries no
    /// open-interest cap; open interest reaches it through the tiers' IMF and leverage (the OI scaling).
    public func binanceLeverageBrackets() -> [BinanceLeverageBracket] {
        BinanceLeverageBracket.brackets(from: publishedTiers)
    }
}
