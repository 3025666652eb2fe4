import FulcrumProtocol
import MarginModel

extension WireRiskParameters {
    /// The published smallest-tier levels.
    public var publishedLevels: MarginLevels {
        MarginLevels(initialMarginFraction: imf, maintenanceMarginFraction: mmf, maxLeverage: Int(maxLeverage))
    }

    /// The published size tiers as a table (continuous maintenance deductions included).
    public var tierTable: MarginTierTable {
        MarginTierTable(tiers.map { tier in
            MarginTier(lowerBoundNotional: tier.notionalFloor, upperBoundNotional: tier.notionalCap,
                       initialMarginFraction: tier.imf, maintenanceMarginFraction: tier.mmf,
                       maxLeverage: Int(tier.maxLeverage), maintenanceDeduction: tier.maintenanceDeduction)
        })
    }

    /// Maintenance margin of a position of `notional` (absolute value) under the published tiers.
    public func maintenanceMargin(forNotional notional: Double) -> Double {
        let table = tierTable
        return table.isEmpty ? abs(notional) * mmf : table.maintenanceMargin(forNotional: abs(notional))
    }

    /// The parameters as a dYdX-style liquidity tier (fractions in ppm), with the live open-interest caps the
    /// update carries (`ModelInputs.open_interest_lower_cap`, `open_interest_upper_cap`; 0 without them).
    public func dydxLiquidityTier(id: UInt32) -> DydxLiquidityTier {
        DydxLiquidityTier(levels: publishedLevels, id: id, name: symbol,
                          openInterestLowerCap: inputs.openInterestLowerCap,
                          openInterestUpperCap: inputs.openInterestUpperCap)
    }

    /// The published tiers as a Hyperliquid-style margin table, capped at the live upper open-interest cap when
    /// the update carries one.
    public func hyperliquidMarginTable(
        leverageSteps: [Int] = [1, 2, 3, 5, 10, 20, 25, 40, 50]
    ) -> HyperliquidMarginTable {
        HyperliquidMarginTable(description: symbol, tiers: tierTable, leverageSteps: leverageSteps,
                               openInterestCap: inputs.openInterestUpperCap > 0 ? inputs.openInterestUpperCap : nil)
    }

    /// The published tiers as Binance-style leverage brackets with `cum`.
    public func binanceLeverageBrackets() -> [BinanceLeverageBracket] {
        BinanceLeverageBracket.brackets(from: tierTable)
    }
}
