/// The headline margin figures of an asset (its smallest size tier).
public struct MarginLevels: Sendable, Hashable, Codable {
    /// Initial margin fraction.
    public var initialMarginFraction: Double
    /// Maintenance margin fraction (≤ IMF).
    public var maintenanceMarginFraction: Double
    /// Maximum leverage (a configured step ≤ 1/IMF).
    public var maxLeverage: Int

    /// Creates levels.
    public init(initialMarginFraction: Double, maintenanceMarginFraction: Double, maxLeverage: Int) {
        self.initialMarginFraction = initialMarginFraction
        self.maintenanceMarginFraction = maintenanceMarginFraction
        self.maxLeverage = maxLeverage
    }
}
