/// How liquidations are carried out in a stress cascade.
public struct CascadeSettings: Sendable, Hashable, Codable {
    /// Fee charged on the notional closed, as a fraction (0.005 = 50 bp); taken from what equity is left, so it
    /// never adds to bad debt. Default 0.005.
    public var liquidationFee: Double
    /// Most rounds before the cascade stops unconverged (each round liquidates at least one unit, so the
    /// number of units is a bound too). Default 1,000.
    public var maximumRounds: Int
    /// How many units and markets to name as the drivers of bad debt. Default 10.
    public var topCount: Int

    /// Creates settings; see each property for its default.
    public init(liquidationFee: Double = 0.005, maximumRounds: Int = 1_000, topCount: Int = 10) {
        self.liquidationFee = liquidationFee
        self.maximumRounds = maximumRounds
        self.topCount = topCount
    }

    /// Checks each setting.
    ///
    /// - Throws: ``HealthError`` naming the setting.
    public func validate() throws(HealthError) {
        guard liquidationFee.isFinite, (0..<1).contains(liquidationFee) else {
            throw HealthError(.invalidSetting, "liquidationFee \(liquidationFee) must be in [0, 1)",
                              context: ["field": "liquidationFee"])
        }
        guard maximumRounds >= 1 else {
            throw HealthError(.invalidSetting, "maximumRounds must be at least 1", context: ["field": "maximumRounds"])
        }
        guard topCount >= 0 else {
            throw HealthError(.invalidSetting, "topCount must not be negative", context: ["field": "topCount"])
        }
    }
}
