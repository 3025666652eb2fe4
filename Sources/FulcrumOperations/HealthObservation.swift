import FulcrumProtocol

/// What protocol health shows the operations endpoint: the latest `fulcrum.v1.ProtocolHealth` message and the
/// position feed's counters, read through ``MetricsCollector/Sources/health`` on every refresh.
///
/// Plain values: the application fills them from the health service's shared state, so this module knows
/// nothing of that service, only the wire message.
public struct HealthObservation: Sendable {
    /// The position feed's cumulative counts (the position synchronizer's counters and the frames its input
    /// could not read).
    public struct PositionFeed: Sendable, Codable, Hashable {
        /// Updates applied to the book.
        public var updatesApplied: UInt64
        /// Updates older than the book (duplicates, or already in a snapshot), ignored.
        public var updatesIgnored: UInt64
        /// Snapshots applied.
        public var snapshotsApplied: UInt64
        /// Changes the book refused (unknown market, non-finite field, full book).
        public var changesRefused: UInt64
        /// Resyncs by reason (`start`, `gap`, `new_epoch`, `stale_snapshot`, `snapshot_timeout`).
        public var resyncs: [String: UInt64]
        /// Frames that could not be read, by kind (`update`, `snapshot`).
        public var malformedFrames: [String: UInt64]

        /// Creates the counts.
        public init(updatesApplied: UInt64 = 0, updatesIgnored: UInt64 = 0, snapshotsApplied: UInt64 = 0,
                    changesRefused: UInt64 = 0, resyncs: [String: UInt64] = [:],
                    malformedFrames: [String: UInt64] = [:]) {
            self.updatesApplied = updatesApplied
            self.updatesIgnored = updatesIgnored
            self.snapshotsApplied = snapshotsApplied
            self.changesRefused = changesRefused
            self.resyncs = resyncs
            self.malformedFrames = malformedFrames
        }
    }

    /// The latest message published (`nil` until the first one was computed).
    public var message: Fulcrum_V1_ProtocolHealth?
    /// The position feed's counts (`nil` with a fixed book: a file or the simulated one).
    public var positionFeed: PositionFeed?

    /// Creates an observation.
    public init(message: Fulcrum_V1_ProtocolHealth?, positionFeed: PositionFeed? = nil) {
        self.message = message
        self.positionFeed = positionFeed
    }
}
