/// How a feed's messages are encoded on the ZeroMQ socket.
public enum FeedEncoding: String, Sendable, Hashable, Codable, CaseIterable {
    /// Fulcrum's wire contract: two frames `[topic, fulcrum.v1.Tick]` (protobuf).
    case fulcrumProtobuf = "fulcrum-protobuf"
    /// cryptofeed's ZeroMQ backend: one UTF-8 frame `"<EXCHANGE>-<key>-<SYMBOL> <json>"`.
    case cryptofeed = "cryptofeed"

    /// Number of frames one message has in this encoding.
    public var frameCount: Int {
        switch self {
        case .fulcrumProtobuf: 2
        case .cryptofeed: 1
        }
    }
}
