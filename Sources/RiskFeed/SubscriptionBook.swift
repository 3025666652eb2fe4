import FulcrumProtocol

/// The topic prefixes the publisher's subscribers hold, counted from the subscription messages an
/// XPUB socket delivers.
///
/// The PUB side of the feed is an XPUB socket with verbose (un)subscriptions, so every subscriber's
/// `subscribe` and `unsubscribe` — including the implicit unsubscriptions of a subscriber that
/// disconnects — arrives as one message: a byte `1` (subscribe) or `0` (unsubscribe) and the prefix.
/// Counting them per prefix tells, at any moment, whether anyone would receive a topic, so that
/// renditions nobody subscribed to (the JSON copies, typically) are never rendered.
public struct SubscriptionBook: Sendable {
    private var counts: [[UInt8]: Int] = [:]
    /// Subscriptions currently held, over all subscribers and prefixes.
    public private(set) var total = 0
    /// Whether some subscriber would receive at least one JSON rendition (a topic behind ``Topic/jsonPrefix``).
    public private(set) var wantsJSON = false

    /// An empty book.
    public init() {}

    /// Applies one subscription message; returns `false` (and changes nothing) for a message that is not one.
    @discardableResult
    public mutating func apply(_ message: UnsafeRawBufferPointer) -> Bool {
        guard let kind = message.first, kind <= 1 else { return false }
        let prefix = Array(message.dropFirst())
        if kind == 1 {
            counts[prefix, default: 0] += 1
            total += 1
        } else {
            // An unsubscription without its subscription cannot come from libzmq; ignore rather than go negative.
            guard let count = counts[prefix] else { return true }
            if count > 1 { counts[prefix] = count - 1 } else { counts[prefix] = nil }
            total -= 1
        }
        wantsJSON = counts.keys.contains(where: Self.reachesJSON)
        return true
    }

    /// Whether some subscriber's prefix matches `topic`.
    public func wants(topic: some Collection<UInt8>) -> Bool {
        counts.keys.contains { prefix in prefix.count <= topic.count && topic.starts(with: prefix) }
    }

    /// Whether `prefix` matches some topic that starts with ``Topic/jsonPrefix``.
    static func reachesJSON(_ prefix: [UInt8]) -> Bool {
        let json = Array(Topic.jsonPrefix.utf8)
        return prefix.count <= json.count ? json.starts(with: prefix) : prefix.starts(with: json)
    }
}
