/// The governance memory of one asset: what is published and when the rules last fired.
///
/// Codable so that the service can checkpoint it and restore it with `MarginOptimizer.restore(_:asset:)`;
/// the residual tail selection is checkpointed separately (`MarginOptimizer.tailState(ofAsset:)`).
public struct AssetMarginState: Sendable, Hashable, Codable {
    /// False until the first update has published values.
    public var isInitialized: Bool
    /// The published tier schedule.
    public var published: MarginTierTable
    /// Event time of the last rate-limited change, ns (`Int64.min` when none yet).
    public var lastLimitedChangeNs: Int64
    /// Event time of the last published update, ns (`Int64.min` when none yet).
    public var lastPublishNs: Int64
    /// The circuit breaker holds the stressed level until this event time, ns (`Int64.min` when inactive).
    public var breakerUntilNs: Int64
    /// What tripped the breaker last (`.circuitBreakerShock` or `.circuitBreakerStale` bits, possibly both).
    public var breakerCause: MarginReasons
    /// The last valid σ per grid step, used when an update brings an invalid one (0 when none yet).
    public var lastValidSigmaStep: Double
    /// The last valid grid interval, ns, used when an update brings an invalid one (0 when none yet).
    public var lastValidGridIntervalNs: Int64
    /// The status of the last update.
    public var status: MarginStatus

    /// The state of an asset that has not been updated yet.
    public init() {
        isInitialized = false
        published = MarginTierTable()
        lastLimitedChangeNs = .min
        lastPublishNs = .min
        breakerUntilNs = .min
        breakerCause = []
        lastValidSigmaStep = 0
        lastValidGridIntervalNs = 0
        status = .warming
    }
}
