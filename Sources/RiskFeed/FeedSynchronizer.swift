import FulcrumProtocol

/// The client side of the Clone pattern as a pure state machine: snapshot, queued updates,
/// sequence checks and resync decisions. The socket loop feeds it and performs its actions.
public struct FeedSynchronizer: Sendable {
    /// One decoded outbound message.
    public enum Update: Sendable, Equatable {
        case parameters(WireRiskParameters)
        case portfolio(WirePortfolioUpdate)

        var epoch: UInt64 {
            switch self {
            case .parameters(let message): message.publisherEpoch
            case .portfolio(let message): message.publisherEpoch
            }
        }
    }

    /// Why a new snapshot is requested. A publisher that returns after silence needs no reason of its own: its
    /// first message shows a new epoch (a restart), a sequence ahead of the state (a loss), or neither.
    public enum ResyncReason: String, Sendable, Equatable {
        /// An update's sequence skipped a number (live, or in the queue after a snapshot).
        case gap
        /// An update or heartbeat of another publisher lifetime.
        case newEpoch = "new_epoch"
        /// A heartbeat's sequence is past the last update applied: updates were dropped.
        case heartbeatAhead = "heartbeat_ahead"
        /// More updates arrived during a snapshot than the client queues.
        case backlogOverflow = "backlog_overflow"
        /// No complete snapshot reply within the configured time.
        case snapshotTimeout = "snapshot_timeout"
    }

    /// What the socket loop must do after an input.
    public enum Action: Sendable, Equatable {
        case none
        /// Apply these updates to the visible state, in order.
        case apply([Update])
        /// Discard the visible state's synchronization and request a snapshot.
        case resync(ResyncReason)
    }

    enum Phase: Sendable {
        case awaitingSnapshot(items: [Update], queued: [(UInt64, Update)])
        case live
    }

    private(set) var phase: Phase = .awaitingSnapshot(items: [], queued: [])
    /// The publisher epoch the state belongs to; `nil` before the first snapshot.
    public private(set) var epoch: UInt64?
    /// The sequence of the last update reflected in the state.
    public private(set) var sequence: UInt64 = 0
    /// Most updates queued while a snapshot is in flight before the attempt is abandoned.
    public var maxQueued: Int

    /// Creates a synchronizer waiting for its first snapshot.
    public init(maxQueued: Int = 100_000) { self.maxQueued = maxQueued }

    /// Whether the state is complete and current.
    public var isLive: Bool { if case .live = phase { true } else { false } }

    /// Starts over: the loop has just sent a snapshot request.
    public mutating func beginResync() {
        phase = .awaitingSnapshot(items: [], queued: [])
    }

    /// A message from the PUB socket.
    public mutating func received(_ update: Update, sequence incoming: UInt64) -> Action {
        switch phase {
        case .awaitingSnapshot(let items, var queued):
            guard queued.count < maxQueued else { return .resync(.backlogOverflow) }
            queued.append((incoming, update))
            phase = .awaitingSnapshot(items: items, queued: queued)
            return .none
        case .live:
            if update.epoch != epoch { return .resync(.newEpoch) }
            if incoming <= sequence { return .none }
            if incoming != sequence + 1 { return .resync(.gap) }
            sequence = incoming
            return .apply([update])
        }
    }

    /// A heartbeat: its sequence is the publisher's last; being behind it means a loss.
    public mutating func heartbeat(epoch beatEpoch: UInt64, sequence beatSequence: UInt64) -> Action {
        guard isLive else { return .none }
        if beatEpoch != epoch { return .resync(.newEpoch) }
        if beatSequence > sequence { return .resync(.heartbeatAhead) }
        return .none
    }

    /// One item of the snapshot reply.
    public mutating func snapshotItem(_ update: Update) {
        guard case .awaitingSnapshot(var items, let queued) = phase else { return }
        items.append(update)
        phase = .awaitingSnapshot(items: items, queued: queued)
    }

    /// The end of the snapshot: the whole state, then queued updates newer than it.
    ///
    /// - Returns: `.apply` with the snapshot items followed by the queued updates to apply,
    ///   or `.resync` if the queue shows a gap after the snapshot.
    public mutating func snapshotEnd(epoch snapshotEpoch: UInt64, sequence snapshotSequence: UInt64) -> Action {
        guard case .awaitingSnapshot(let items, let queued) = phase else { return .none }
        var next = snapshotSequence
        var applied = items
        for (incoming, update) in queued where incoming > snapshotSequence && update.epoch == snapshotEpoch {
            if incoming != next + 1 { return .resync(.gap) }
            applied.append(update)
            next = incoming
        }
        epoch = snapshotEpoch
        sequence = next
        phase = .live
        return .apply(applied)
    }
}
