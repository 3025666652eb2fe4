import MarketData

/// How a recording's messages of one feed were received and are to be decoded: the stable subset of a
/// ``FeedConfiguration`` that a recording stores, so that recordings stay readable when feed settings gain
/// fields. Missing keys decode to the feed defaults.
public struct RecordedFeed: Sendable, Hashable, Codable {
    /// The feed's name.
    public var name: String
    /// Where it was received from.
    public var endpoint: String
    /// Whether the endpoint was bound.
    public var bind: Bool
    /// Topic prefixes it subscribed to (empty: everything).
    public var topicPrefixes: [String]
    /// Message encoding.
    public var encoding: FeedEncoding
    /// Largest accepted message, bytes.
    public var maxMessageSize: Int
    /// Topic keys of the cryptofeed channels.
    public var cryptofeedKeys: CryptofeedTopicKeys

    /// The recorded part of `feed`.
    public init(_ feed: FeedConfiguration) {
        name = feed.name
        endpoint = feed.endpoint
        bind = feed.bind
        topicPrefixes = feed.topicPrefixes
        encoding = feed.encoding
        maxMessageSize = feed.maxMessageSize
        cryptofeedKeys = feed.cryptofeedKeys
    }

    /// A feed configuration that decodes these messages as they were decoded live.
    public var configuration: FeedConfiguration {
        FeedConfiguration(name: name, endpoint: endpoint, bind: bind, topicPrefixes: topicPrefixes,
                          encoding: encoding, maxMessageSize: maxMessageSize, cryptofeedKeys: cryptofeedKeys)
    }

    enum CodingKeys: String, CodingKey {
        case name, endpoint, bind, topicPrefixes, encoding, maxMessageSize, cryptofeedKeys
    }

    /// Decodes, taking the feed defaults for missing keys.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = FeedConfiguration()
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? defaults.name
        endpoint = try container.decodeIfPresent(String.self, forKey: .endpoint) ?? defaults.endpoint
        bind = try container.decodeIfPresent(Bool.self, forKey: .bind) ?? defaults.bind
        topicPrefixes = try container.decodeIfPresent([String].self, forKey: .topicPrefixes) ?? defaults.topicPrefixes
        encoding = try container.decodeIfPresent(FeedEncoding.self, forKey: .encoding) ?? defaults.encoding
        maxMessageSize = try container.decodeIfPresent(Int.self, forKey: .maxMessageSize) ?? defaults.maxMessageSize
        cryptofeedKeys = try container.decodeIfPresent(CryptofeedTopicKeys.self, forKey: .cryptofeedKeys)
            ?? defaults.cryptofeedKeys
    }
}
