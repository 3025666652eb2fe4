import Synchronization

/// Counters the publisher thread updates and the metrics endpoint reads.
public final class PublisherStatistics: Sendable {
    /// Why a peer was refused during the security handshake.
    public enum Refusal: String, Sendable, CaseIterable {
        /// A plain (non-CURVE) client at a CURVE socket.
        case plain
        /// A CURVE client whose boxes do not open: pinned to another server key.
        case wrongKey = "wrong_key"
        /// A CURVE client whose public key the allow-list does not hold (refused by the ZAP handler).
        case notAllowed = "not_allowed"
        /// Any other failed handshake (malformed greeting, connection dropped mid-handshake).
        case other
    }

    /// Updates published (each counted once, whatever the number of encodings).
    public let updatesPublished = Atomic<UInt64>(0)
    /// Heartbeats sent.
    public let heartbeatsSent = Atomic<UInt64>(0)
    /// Snapshot requests answered.
    public let snapshotRequests = Atomic<UInt64>(0)
    /// Snapshot requests that could not be parsed.
    public let invalidSnapshotRequests = Atomic<UInt64>(0)
    /// Snapshot replies dropped, whole or from the message that did not fit on: the client's backlog
    /// (``SnapshotLimits/clientBacklog``) was full, or the client was gone.
    public let snapshotRepliesDropped = Atomic<UInt64>(0)
    /// Sequence number of the last update.
    public let lastSequence = Atomic<UInt64>(0)
    /// Peers connected to the PUB socket (including any still in their handshake).
    public let subscribers = Atomic<Int>(0)
    /// Topic subscriptions those peers hold (a client typically holds three: `risk.`, `portfolio`, `hb`).
    public let subscriptions = Atomic<Int>(0)
    /// JSON renditions rendered (only while some subscriber's prefix reaches them).
    public let jsonRendered = Atomic<UInt64>(0)
    private let refusedPlain = Atomic<UInt64>(0)
    private let refusedWrongKey = Atomic<UInt64>(0)
    private let refusedNotAllowed = Atomic<UInt64>(0)
    private let refusedOther = Atomic<UInt64>(0)

    /// Creates zeroed counters.
    public init() {}

    /// Peers refused for `reason` so far, on the PUB and snapshot sockets together.
    public func refused(_ reason: Refusal) -> UInt64 {
        switch reason {
        case .plain: refusedPlain.load(ordering: .relaxed)
        case .wrongKey: refusedWrongKey.load(ordering: .relaxed)
        case .notAllowed: refusedNotAllowed.load(ordering: .relaxed)
        case .other: refusedOther.load(ordering: .relaxed)
        }
    }

    func recordRefusal(_ reason: Refusal) {
        switch reason {
        case .plain: refusedPlain.add(1, ordering: .relaxed)
        case .wrongKey: refusedWrongKey.add(1, ordering: .relaxed)
        case .notAllowed: refusedNotAllowed.add(1, ordering: .relaxed)
        case .other: refusedOther.add(1, ordering: .relaxed)
        }
    }
}
