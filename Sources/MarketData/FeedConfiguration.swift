import FulcrumSettings

/// One market-data subscription: where to receive ticks and how they are encoded.
public struct FeedConfiguration: Sendable, Hashable, Codable {
    /// Name used in logs and as the `feed` metric dimension. Default: `"default"`. Allowed: 1 … 64 characters
    /// of `[A-Za-z0-9._-]`.
    public var name: String
    /// ZeroMQ endpoint. Default: `"tcp://127.0.0.1:5555"`. Allowed: `tcp://`, `ipc://` or `inproc://` followed
    /// by a non-empty address without whitespace.
    public var endpoint: String
    /// Whether Fulcrum binds the endpoint (publishers connect to it, as cryptofeed's ZeroMQ backend does) or
    /// connects to a publisher that binds. Default: `false`.
    public var bind: Bool
    /// Topic prefixes to accept; empty accepts everything. The socket subscribes to every topic and the ingestor
    /// filters, so that a message whose topic matches none is counted as ``RejectionReason/unexpectedTopic``
    /// rather than dropped unseen by the socket. Default: empty. Allowed: each 1 … 255 bytes.
    public var topicPrefixes: [String]
    /// Message encoding. Default: ``FeedEncoding/fulcrumProtobuf``.
    public var encoding: FeedEncoding
    /// Largest accepted message in bytes, all frames together; larger ones are rejected as
    /// ``RejectionReason/oversizedFrame`` and the connection stays up (the socket's own limit is
    /// ``socketFrameLimit``, far above). Default: 65,536. Allowed: 64 … 16,777,216.
    public var maxMessageSize: Int
    /// Topic keys of the cryptofeed channels (used by ``FeedEncoding/cryptofeed`` feeds only). Default:
    /// cryptofeed's, `trades` and `ticker`.
    public var cryptofeedKeys: CryptofeedTopicKeys

    /// The frame size beyond which libzmq drops the sending connection (`ZMQ_MAXMSGSIZE` on every feed socket),
    /// 256 MiB: it bounds the memory one frame can take, while any frame up to it reaches the ingestor, is rejected
    /// as ``RejectionReason/oversizedFrame`` above ``maxMessageSize`` and leaves the connection and the messages
    /// behind it untouched. A larger frame costs the connection: libzmq closes it (counted as a feed disconnect),
    /// and what the peer had sent behind that frame and not yet delivered is lost; a connecting peer reconnects.
    public static let socketFrameLimit = 256 * 1_048_576

    /// Creates a configuration; see each property for its default.
    public init(
        name: String = "default",
        endpoint: String = "tcp://127.0.0.1:5555",
        bind: Bool = false,
        topicPrefixes: [String] = [],
        encoding: FeedEncoding = .fulcrumProtobuf,
        maxMessageSize: Int = 65_536,
        cryptofeedKeys: CryptofeedTopicKeys = CryptofeedTopicKeys()
    ) {
        self.name = name
        self.endpoint = endpoint
        self.bind = bind
        self.topicPrefixes = topicPrefixes
        self.encoding = encoding
        self.maxMessageSize = maxMessageSize
        self.cryptofeedKeys = cryptofeedKeys
    }

    /// What a ZeroMQ endpoint in the configuration may be, as errors state it.
    public static let endpointRule = "tcp://, ipc:// or inproc:// followed by an address without whitespace"

    /// Whether `endpoint` follows ``endpointRule``: a transport ZeroMQ serves here and a non-empty address.
    public static func isValidEndpoint(_ endpoint: String) -> Bool {
        let schemes = ["tcp://", "ipc://", "inproc://"]
        let hasScheme = schemes.contains { endpoint.hasPrefix($0) && endpoint.utf8.count > $0.utf8.count }
        return hasScheme && !endpoint.utf8.contains { $0 <= 0x20 || $0 == 0x7F }
    }

    /// Checks every setting; `keyPrefix`, the path of the section, prefixes the key in the error (e.g.
    /// `ingest.feeds[0]`).
    ///
    /// - Throws: ``ConfigurationError`` naming the bad key, its value and what is allowed.
    public func validate(keyPrefix: String = "feed") throws(ConfigurationError) {
        func key(_ name: String) -> String { ConfigurationError.key(name, under: keyPrefix) }
        let nameBytes = Array(name.utf8)
        let nameIsValid = (1...64).contains(nameBytes.count) && nameBytes.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A)
                || byte == 0x2E || byte == 0x5F || byte == 0x2D
        }
        guard nameIsValid else {
            throw ConfigurationError(key: key("name"), value: name, allowed: "1 … 64 characters of [A-Za-z0-9._-]",
                                     message: "invalid name")
        }
        guard Self.isValidEndpoint(endpoint) else {
            throw ConfigurationError(key: key("endpoint"), value: endpoint, allowed: Self.endpointRule,
                                     message: "invalid endpoint")
        }
        for (index, prefix) in topicPrefixes.enumerated() where !(1...255).contains(prefix.utf8.count) {
            throw ConfigurationError(
                key: key("topicPrefixes[\(index)]"), value: prefix, allowed: "1 … 255 bytes")
        }
        guard (64...16_777_216).contains(maxMessageSize) else {
            throw ConfigurationError(
                key: key("maxMessageSize"), value: "\(maxMessageSize)", allowed: "64 … 16777216")
        }
        try cryptofeedKeys.validate(keyPrefix: key("cryptofeedKeys"))
    }
}
