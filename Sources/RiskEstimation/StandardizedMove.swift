/// A grid return expressed in units of the asset's previous volatility, z = r / σ_prev.
public struct StandardizedMove: Sendable, Hashable, Codable {
    /// Dense asset index.
    public var asset: Int
    /// The standardized return r / σ_prev (signed).
    public var value: Double

    /// Creates a standardized move.
    public init(asset: Int, value: Double) {
        self.asset = asset
        self.value = value
    }
}
