import FulcrumSettings

/// Where protocol health reads positions from: a position source's PUB (updates) and ROUTER (snapshots), the
/// `health.positions` section. Markets are the symbols of `ingest.symbols.allowList`, in that order; a position
/// in another symbol is refused and counted. See protocols/README.md, "Positions in".
public struct PositionFeedSettings: Sendable, Codable, Hashable {
    /// The source's PUB endpoint (Fulcrum's SUB connects; topic `positions`). Empty: no position feed.
    public var endpoint: String = ""
    /// The source's ROUTER endpoint for snapshots (Fulcrum's DEALER connects).
    public var snapshotEndpoint: String = ""
    /// A snapshot request unanswered this long is sent again. Default: 5 s.
    @NanosecondDuration public var snapshotTimeout: Duration = .seconds(5)
    /// Largest message accepted from the source (a snapshot of a million positions is about 40 MB).
    /// Default: 256 MiB.
    public var maxMessageSize: Int = 256 << 20

    /// The defaults: no position feed.
    public init() {}

    /// Whether a position source is configured.
    public var isConfigured: Bool { !endpoint.isEmpty }
}
