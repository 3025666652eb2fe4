/// Topic names of the outbound feed (the first frame of every message).
///
/// Protobuf messages use the bare topics; their JSON renditions carry the same topic behind
/// ``jsonPrefix``, so a SUB prefix picks one encoding. See protocols/README.md.
public enum Topic {
    /// Per-asset parameters: `risk.<SYMBOL>`.
    public static let riskPrefix = "risk."
    /// Correlation and volatility for portfolio margin.
    public static let portfolio = "portfolio"
    /// Liveness and last sequence.
    public static let heartbeat = "hb"
    /// Protocol health, on the health socket (not sequenced: it is not part of the risk state).
    public static let health = "health"
    /// Closes a snapshot reply on the snapshot socket.
    public static let snapshotEnd = "snapshot.end"
    /// Prefix of the JSON rendition of any topic.
    public static let jsonPrefix = "json."

    /// ``riskPrefix`` as the bytes of a topic frame.
    public static let riskPrefixBytes: [UInt8] = Array(riskPrefix.utf8)
    /// ``jsonPrefix`` as the bytes of a topic frame.
    public static let jsonPrefixBytes: [UInt8] = Array(jsonPrefix.utf8)

    /// The topic of `symbol`'s parameters.
    public static func risk(_ symbol: String) -> String { riskPrefix + symbol }

    /// What a topic carries, decided from its name alone.
    public enum Kind: Sendable, Equatable {
        case risk(symbol: String)
        case portfolio
        case heartbeat
        case snapshotEnd
        case unknown
    }

    /// Classifies a protobuf-encoded topic (without ``jsonPrefix``).
    public static func kind(of topic: String) -> Kind {
        if topic.hasPrefix(riskPrefix) { return .risk(symbol: String(topic.dropFirst(riskPrefix.count))) }
        switch topic {
        case portfolio: return .portfolio
        case heartbeat: return .heartbeat
        case snapshotEnd: return .snapshotEnd
        default: return .unknown
        }
    }
}
