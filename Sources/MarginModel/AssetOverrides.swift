/// Per-asset settings that replace the global ones; every field is optional.
public struct AssetOverrides: Sendable, Hashable, Codable {
    /// Replaces `coverage.tailProbability`.
    public var tailProbability: Double?
    /// Replaces `coverage.liquidationHorizonNs`.
    public var liquidationHorizonNs: Int64?
    /// Raises or lowers the IMF floor (`leverage.minimumInitialMarginFraction`).
    public var minimumInitialMarginFraction: Double?
    /// Replaces the MMF floor.
    public var minimumMaintenanceMarginFraction: Double?
    /// Replaces the IMF cap.
    public var maximumInitialMarginFraction: Double?
    /// Caps max leverage for the asset (equivalently floors IMF at 1/cap).
    public var maximumLeverage: Int?
    /// Average daily volume in notional; takes precedence over the volume observed on the feed.
    public var averageDailyVolumeNotional: Double?
    /// Absolute tier lower bounds in notional (first 0, ascending); replaces the ADV-relative bounds.
    public var tierLowerBounds: [Double]?
    /// Absolute maximum position notional (upper bound of the last tier).
    public var maximumNotional: Double?
    /// Open-interest lower cap for the dYdX-style rendering (notional).
    public var openInterestLowerCap: Double?
    /// Open-interest upper cap for the dYdX-style rendering (notional).
    public var openInterestUpperCap: Double?
    /// Replaces some of the global governance settings for this asset (`governance.*`); `nil` keeps them all.
    public var governance: AssetGovernanceOverrides?

    /// Creates overrides; `nil` keeps the global value.
    public init(
        tailProbability: Double? = nil,
        liquidationHorizonNs: Int64? = nil,
        minimumInitialMarginFraction: Double? = nil,
        minimumMaintenanceMarginFraction: Double? = nil,
        maximumInitialMarginFraction: Double? = nil,
        maximumLeverage: Int? = nil,
        averageDailyVolumeNotional: Double? = nil,
        tierLowerBounds: [Double]? = nil,
        maximumNotional: Double? = nil,
        openInterestLowerCap: Double? = nil,
        openInterestUpperCap: Double? = nil,
        governance: AssetGovernanceOverrides? = nil
    ) {
        self.tailProbability = tailProbability
        self.liquidationHorizonNs = liquidationHorizonNs
        self.minimumInitialMarginFraction = minimumInitialMarginFraction
        self.minimumMaintenanceMarginFraction = minimumMaintenanceMarginFraction
        self.maximumInitialMarginFraction = maximumInitialMarginFraction
        self.maximumLeverage = maximumLeverage
        self.averageDailyVolumeNotional = averageDailyVolumeNotional
        self.tierLowerBounds = tierLowerBounds
        self.maximumNotional = maximumNotional
        self.openInterestLowerCap = openInterestLowerCap
        self.openInterestUpperCap = openInterestUpperCap
        self.governance = governance
    }
}
