import Synchronization

/// Counters the publisher thread updates and the metrics endpoint reads.
public final class PublisherStatistics: Sendable {
    /// Updates published (each counted once, whatever the number of encodings).
    public let updatesPublished = Atomic<UInt64>(0)
    /// Heartbeats sent.
    public let heartbeatsSent = Atomic<UInt64>(0)
    /// Snapshot requests answered.
    public let snapshotRequests = Atomic<UInt64>(0)
    /// Snapshot requests that could not be parsed.
    public let invalidSnapshotRequests = Atomic<UInt64>(0)
    /// Sequence number of the last update.
    public let lastSequence = Atomic<UInt64>(0)

    /// Creates zeroed counters.
    public init() {}
}
