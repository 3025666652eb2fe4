import MarketData

/// Rate-limited reporting of rejected messages, kept by the ingest thread.
///
/// Nothing happens per message: the ingestor already counts every rejection per feed and reason in flat
/// ``IngestCounters``. Once per loop iteration, ``collect(counters:now:_:)`` compares those counters with what it
/// reported last and, for each (feed, reason) whose count moved and whose last line is at least `interval` old,
/// hands the caller one ``Line`` with the number of rejections since that line. So the first rejection of a kind
/// is reported at once, a flood yields one line per feed and reason per interval, and the tail of a burst is
/// reported when its interval has passed. State is two flat arrays of `feeds × reasons` slots, sized once; a
/// check that reports nothing allocates nothing and takes no lock.
public struct RejectionLog: Sendable {
    /// One line to log.
    public struct Line: Equatable, Sendable {
        /// Feed index in configuration order.
        public var feed: Int
        /// Why the messages were rejected.
        public var reason: RejectionReason
        /// Rejections since the previous line of this feed and reason (or since the start).
        public var events: UInt64
        /// Rejections of this feed and reason since the start.
        public var total: UInt64
    }

    /// Shortest time between two lines of one feed and reason.
    public let interval: Duration
    private var reported: [UInt64]
    private var lastLine: [ContinuousClock.Instant?]
    private let feedCount: Int

    /// Tracks `feedCount` feeds, allowing one line per feed and reason per `interval`.
    public init(feedCount: Int, interval: Duration) {
        self.interval = interval
        self.feedCount = max(feedCount, 0)
        reported = Array(repeating: 0, count: self.feedCount * RejectionReason.count)
        lastLine = Array(repeating: nil, count: self.feedCount * RejectionReason.count)
    }

    /// Calls `body` with every line due at `now`, given the current counters of each feed, and records them as
    /// reported.
    ///
    /// - Parameter counters: the counters of feed `index` (e.g. ``TickIngestor/counters(feed:)``).
    /// - Returns: the number of lines.
    @discardableResult
    public mutating func collect(counters: (Int) -> IngestCounters, now: ContinuousClock.Instant,
                          _ body: (Line) -> Void) -> Int {
        var lines = 0
        for feed in 0..<feedCount {
            let current = counters(feed)
            // Raw values are dense; `allCases` would build an array on every call.
            for index in 0..<RejectionReason.count {
                guard let reason = RejectionReason(rawValue: UInt8(index)) else { continue }
                let slot = feed &* RejectionReason.count &+ index
                let total = current[reason]
                guard total > reported[slot] else { continue }
                if let last = lastLine[slot], now - last < interval { continue }
                body(Line(feed: feed, reason: reason, events: total &- reported[slot], total: total))
                reported[slot] = total
                lastLine[slot] = now
                lines += 1
            }
        }
        return lines
    }

    /// Calls `body` with every rejection not yet reported, whatever the interval (at shutdown).
    @discardableResult
    public mutating func flush(counters: (Int) -> IngestCounters, now: ContinuousClock.Instant,
                        _ body: (Line) -> Void) -> Int {
        for slot in lastLine.indices { lastLine[slot] = nil }
        return collect(counters: counters, now: now, body)
    }
}
