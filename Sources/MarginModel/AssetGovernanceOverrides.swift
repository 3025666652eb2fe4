/// Per-asset replacements for the global governance settings (`governance.*`); every field is optional.
///
/// An asset with thinner books may need smaller steps or longer cooldowns than the rest of the book, and a quiet
/// asset a shorter refresh; the other assets keep the global rule.
public struct AssetGovernanceOverrides: Sendable, Hashable, Codable {
    /// Replaces `governance.maximumRelativeStep`, the largest relative move of a rate-limited value per update.
    public var maximumRelativeStep: Double?
    /// Replaces `governance.cooldownNs`, the least event time between two rate-limited changes.
    public var cooldownNs: Int64?
    /// Replaces `governance.hysteresisBasisPoints`, the smallest change published before the refresh.
    public var hysteresisBasisPoints: Double?
    /// Replaces `governance.refreshIntervalNs`, the event time after which an unchanged update is republished.
    public var refreshIntervalNs: Int64?

    /// Creates overrides; `nil` keeps the global value.
    public init(
        maximumRelativeStep: Double? = nil,
        cooldownNs: Int64? = nil,
        hysteresisBasisPoints: Double? = nil,
        refreshIntervalNs: Int64? = nil
    ) {
        self.maximumRelativeStep = maximumRelativeStep
        self.cooldownNs = cooldownNs
        self.hysteresisBasisPoints = hysteresisBasisPoints
        self.refreshIntervalNs = refreshIntervalNs
    }

    /// `global` with the fields set here replaced.
    public func resolved(over global: MarginModelConfiguration.Governance) -> MarginModelConfiguration.Governance {
        MarginModelConfiguration.Governance(
            maximumRelativeStep: maximumRelativeStep ?? global.maximumRelativeStep,
            cooldownNs: cooldownNs ?? global.cooldownNs,
            hysteresisBasisPoints: hysteresisBasisPoints ?? global.hysteresisBasisPoints,
            refreshIntervalNs: refreshIntervalNs ?? global.refreshIntervalNs)
    }
}
