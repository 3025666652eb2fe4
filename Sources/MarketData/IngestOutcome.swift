/// What ``TickIngestor/ingest(feed:frameCount:_:_:receiptTime:)`` did with one message.
public enum IngestOutcome: Sendable, Hashable {
    /// The tick passed every check; its ``Tick/robustPrice`` is the symbol's reference after it.
    /// `symbolIsNew` is `true` for the first tick ever accepted for the symbol.
    case accepted(Tick, symbolIsNew: Bool)
    /// The tick is valid but deviates from the reference and awaits confirmation (not to be used).
    case quarantined(Tick)
    /// The tick deviates on a symbol only its venue quotes: it awaits the venue's next tick, which settles it as
    /// accepted (then booked at its own time, see ``TickIngestor/takeReleased()``) or quarantined. Counted as
    /// ``IngestCounters/held`` until then.
    case held(Tick)
    /// A market-data message other than a price tick (a book snapshot or delta, funding, open interest, a
    /// liquidation or a candle), valid and applied (books are kept by the ingestor, see ``TickIngestor/books``).
    /// Counted as accepted.
    case market(MarketEvent)
    /// A well-formed message of a channel Fulcrum does not use (e.g. cryptofeed `fills` updates).
    case ignored
    /// The message was rejected for the given reason.
    case rejected(RejectionReason)

    /// The accepted tick, if any.
    public var acceptedTick: Tick? {
        if case .accepted(let tick, _) = self { return tick }
        return nil
    }

    /// The rejection reason, if any (``RejectionReason/quarantined`` for quarantined ticks).
    public var rejectionReason: RejectionReason? {
        switch self {
        case .rejected(let reason): reason
        case .quarantined: .quarantined
        case .accepted, .market, .ignored, .held: nil
        }
    }
}
