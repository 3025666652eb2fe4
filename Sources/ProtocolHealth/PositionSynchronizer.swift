/// Keeps a ``PositionBook`` equal to a position source's, by the Clone rules of Fulcrum's own feed: a snapshot,
/// then every numbered update after it, in order; a gap or a new epoch means a new snapshot.
///
/// A state machine that returns what to do, like the risk feed's `FeedSynchronizer`: the caller owns the sockets
/// and sends a snapshot request when told. While a snapshot is awaited, updates are kept (at most
/// ``bufferLimit``; past it the oldest go and the snapshot that comes must cover them, else another is asked);
/// when it arrives, the kept updates it does not reflect are applied on top of it.
public struct PositionSynchronizer: Sendable {
    /// What the caller must do.
    public enum Action: Sendable, Equatable {
        /// Ask the source's snapshot socket for a snapshot.
        case requestSnapshot(reason: ResyncReason)
    }

    /// Why a snapshot is needed.
    public enum ResyncReason: String, Sendable, Equatable {
        /// Nothing known yet.
        case start
        /// An update's number was not the next one.
        case gap
        /// The source's epoch changed.
        case newEpoch = "new_epoch"
        /// The snapshot came from another epoch, or does not reach the updates kept meanwhile.
        case staleSnapshot = "stale_snapshot"
        /// A snapshot request went unanswered (asked again by the caller).
        case snapshotTimeout = "snapshot_timeout"
    }

    /// Counts of what happened, for metrics and tests.
    public struct Counters: Sendable, Equatable {
        /// Updates applied to the book.
        public var updatesApplied: UInt64 = 0
        /// Snapshots applied.
        public var snapshotsApplied: UInt64 = 0
        /// Changes the book refused (unknown market, non-finite field, full book); each is skipped alone.
        public var changesRefused: UInt64 = 0
        /// Updates older than the book (duplicates, or already in a snapshot): ignored.
        public var updatesIgnored: UInt64 = 0
        /// Resyncs by reason.
        public var resyncs: [String: UInt64] = [:]
    }

    private enum State: Sendable {
        case awaiting(kept: [PositionDelta])
        case live(epoch: UInt64, sequence: UInt64)
    }

    /// The book as of the last update applied.
    public private(set) var book: PositionBook
    /// What happened so far.
    public private(set) var counters = Counters()
    /// Most updates kept while a snapshot is awaited.
    public let bufferLimit: Int
    private var state: State = .awaiting(kept: [])

    /// Creates a synchronizer over an empty book of `marketCount` markets.
    public init(marketCount: Int, positionCapacity: Int = 4_000_000, unitCapacity: Int = 2_000_000,
                bufferLimit: Int = 10_000) {
        book = PositionBook(marketCount: marketCount, positionCapacity: positionCapacity, unitCapacity: unitCapacity)
        self.bufferLimit = bufferLimit
    }

    /// Whether the book follows the source now.
    public var isLive: Bool {
        if case .live = state { return true }
        return false
    }

    /// The first action: ask for a snapshot.
    public mutating func start() -> Action { resync(.start) }

    /// Handles an update from the source's PUB socket.
    public mutating func receive(_ delta: PositionDelta) -> Action? {
        switch state {
        case .awaiting(var kept):
            kept.append(delta)
            if kept.count > bufferLimit { kept.removeFirst(kept.count - bufferLimit) }
            state = .awaiting(kept: kept)
            return nil
        case let .live(epoch, sequence):
            if delta.epoch != epoch {
                state = .awaiting(kept: [delta])
                return resync(.newEpoch)
            }
            if delta.sequence <= sequence {
                counters.updatesIgnored += 1
                return nil
            }
            if delta.sequence != sequence + 1 {
                state = .awaiting(kept: [delta])
                return resync(.gap)
            }
            apply(delta)
            state = .live(epoch: epoch, sequence: delta.sequence)
            return nil
        }
    }

    /// Handles a snapshot reply: the book becomes the snapshot plus the kept updates after it.
    public mutating func receive(snapshot epoch: UInt64, sequence: UInt64, changes: [PositionChange]) -> Action? {
        guard case .awaiting(let kept) = state else { return nil }
        let after = kept.filter { $0.epoch == epoch && $0.sequence > sequence }
        // The kept updates must continue the snapshot without a hole (the first may have been dropped from a
        // full buffer), and none may be of a newer epoch than the snapshot.
        let continuous = after.enumerated().allSatisfy { $0.element.sequence == sequence + 1 + UInt64($0.offset) }
        guard continuous, !kept.contains(where: { $0.epoch > epoch }) else {
            state = .awaiting(kept: kept.filter { $0.epoch >= epoch })
            return resync(.staleSnapshot)
        }
        book.removeAll()
        for change in changes { applyOne(change) }
        counters.snapshotsApplied += 1
        counters.updatesIgnored += UInt64(kept.count - after.count)
        for delta in after { apply(delta) }
        state = .live(epoch: epoch, sequence: after.last?.sequence ?? sequence)
        return nil
    }

    private mutating func resync(_ reason: ResyncReason) -> Action {
        counters.resyncs[reason.rawValue, default: 0] += 1
        return .requestSnapshot(reason: reason)
    }

    private mutating func apply(_ delta: PositionDelta) {
        for change in delta.changes { applyOne(change) }
        counters.updatesApplied += 1
    }

    private mutating func applyOne(_ change: PositionChange) {
        do {
            try change.apply(to: &book)
        } catch {
            counters.changesRefused += 1
        }
    }
}
