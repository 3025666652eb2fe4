import FulcrumProtocol

/// What a consumer currently holds: the last parameters of every asset and their freshness.
public struct RiskFeedState: Sendable {
    /// Latest parameters by symbol.
    public var parameters: [String: WireRiskParameters] = [:]
    /// Latest portfolio-margin inputs.
    public var portfolio: WirePortfolioUpdate?
    /// The publisher lifetime the state belongs to.
    public var epoch: UInt64?
    /// Sequence of the last update reflected.
    public var sequence: UInt64 = 0
    /// True once a snapshot has been applied and no gap has been seen since.
    public var isSynchronized = false
    /// False when no heartbeat arrived within the configured time: the data may be stale.
    public var isPublisherAlive = false
    /// Snapshots applied so far (1 after the initial sync; more after resyncs).
    public var snapshotsApplied = 0

    /// Creates an empty state.
    public init() {}

    mutating func apply(_ update: FeedSynchronizer.Update) {
        switch update {
        case .parameters(let message): parameters[message.symbol] = message
        case .portfolio(let message): portfolio = message
        }
    }
}

/// What the client reports to its consumer, in order.
public enum RiskFeedEvent: Sendable {
    /// A snapshot was applied; the state is complete as of `sequence`.
    case synchronized(epoch: UInt64, sequence: UInt64, symbols: Int)
    /// One asset's new parameters.
    case parameters(WireRiskParameters)
    /// New portfolio-margin inputs.
    case portfolio(WirePortfolioUpdate)
    /// A gap, restart or loss was detected; a snapshot is on its way.
    case resyncing(FeedSynchronizer.ResyncReason)
    /// Nothing heard (heartbeat, update, snapshot end) within the configured dead time: treat the state as stale.
    case publisherDead
    /// The publisher was heard: at first contact, or again after ``publisherDead``. Its first messages reveal a
    /// restart or a loss in the meantime, reported as ``resyncing(_:)``; without one, the state is current again.
    case publisherAlive
}
