/// Message counters of one feed (or of all feeds), kept in flat storage with one slot per
/// ``RejectionReason``: incrementing never allocates or hashes.
///
/// Invariant: `received == accepted + ignored + rejected + held`, where quarantined ticks count as rejected with
/// reason ``RejectionReason/quarantined``: every message ends in exactly one of accepted, ignored and rejected;
/// ``held`` counts the few ticks still awaiting their stream's next tick (at most one per stream), each of which
/// ends as accepted or quarantined.
public struct IngestCounters: Sendable, Hashable {
    /// Messages handed to the ingestor.
    public private(set) var received: UInt64 = 0
    /// Ticks and other market-data messages (books, funding, open interest, liquidations, candles) accepted.
    public private(set) var accepted: UInt64 = 0
    /// Well-formed messages of channels Fulcrum does not use.
    public private(set) var ignored: UInt64 = 0
    /// Ticks held now, awaiting their stream's next tick (see ``IngestOutcome/held(_:)``).
    public private(set) var held: UInt64 = 0
    private var rejections: [UInt64]

    /// All counters at zero.
    public init() {
        rejections = Array(repeating: 0, count: RejectionReason.count)
    }

    /// Rejections for one reason.
    @inlinable
    public subscript(reason: RejectionReason) -> UInt64 { rejectionCount(reason) }

    /// Rejections for one reason.
    public func rejectionCount(_ reason: RejectionReason) -> UInt64 {
        reason.index < rejections.count ? rejections[reason.index] : 0
    }

    /// Rejections over all reasons (quarantined included).
    public var rejected: UInt64 { rejections.reduce(0, &+) }

    /// Quarantined ticks (same as `self[.quarantined]`).
    public var quarantined: UInt64 { rejectionCount(.quarantined) }

    /// Counts one message and its outcome.
    @inline(__always)
    public mutating func record(_ outcome: IngestOutcome) {
        received &+= 1
        switch outcome {
        case .accepted, .market: accepted &+= 1
        case .ignored: ignored &+= 1
        case .quarantined: rejections[RejectionReason.quarantined.index] &+= 1
        case .rejected(let reason): rejections[reason.index] &+= 1
        case .held: held &+= 1
        }
    }

    /// Ends one held tick as accepted or quarantined; `received` does not change, so the invariant holds.
    public mutating func settleHeld(accepted isAccepted: Bool) {
        guard held > 0 else { return }
        held &-= 1
        if isAccepted { accepted &+= 1 } else { rejections[RejectionReason.quarantined.index] &+= 1 }
    }

    /// Moves one accepted message to the rejections for `reason` (a tick its consumer could not take after all);
    /// `received` does not change, so the invariant holds.
    public mutating func revokeAcceptance(_ reason: RejectionReason) {
        guard accepted > 0 else { return }
        accepted &-= 1
        rejections[reason.index] &+= 1
    }

    /// Adds another set of counters to this one.
    public mutating func add(_ other: IngestCounters) {
        received &+= other.received
        accepted &+= other.accepted
        ignored &+= other.ignored
        held &+= other.held
        for index in rejections.indices where index < other.rejections.count {
            rejections[index] &+= other.rejections[index]
        }
    }
}
