import FulcrumEngine

/// What one refresh saw, for `/health`, `/ready` and `/parameters`.
public struct MetricsObservation: Sendable {
    /// The engine snapshot the refresh used.
    public var snapshot: EngineSnapshot
    /// Per configured feed: time since its accepted-tick count last moved, or since start if it never has.
    public var feedAges: [Duration]
    /// Per configured feed: whether it has delivered an accepted tick since start.
    public var feedsHeard: [Bool]
    /// Time since the publisher's heartbeat count last moved, or since start if it never has; `nil` without a
    /// publisher.
    public var heartbeatAge: Duration?
    /// Sequence number of the last update published (0 before the first, or without a publisher).
    public var lastSequence: UInt64
    /// Time since the collector started.
    public var uptime: Duration
    /// What protocol health reported (`nil` without a health source).
    public var health: HealthObservation?
}
