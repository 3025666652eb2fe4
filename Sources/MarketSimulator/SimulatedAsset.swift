/// One instrument of the simulated market.
public struct SimulatedAsset: Sendable, Hashable, Codable {
    /// Symbol published in ticks.
    public var symbol: String
    /// Price at the start of the simulation.
    public var initialPrice: Double
    /// Annualized volatility in the calm regime (365-day year), e.g. 0.6 for 60 %.
    public var annualVolatility: Double

    /// Creates an asset.
    public init(symbol: String, initialPrice: Double, annualVolatility: Double) {
        self.symbol = symbol
        self.initialPrice = initialPrice
        self.annualVolatility = annualVolatility
    }
}
