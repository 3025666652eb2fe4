/// Wall-clock silence of the feeds, and the feed-silence rule of the outbound feed.
///
/// Per-symbol staleness is measured in event time by the estimator and drives the optimizer's circuit breaker
/// at every grid step. But event time only moves when ticks arrive: if every feed goes silent no grid step
/// closes, and without a wall-clock rule the last published parameters would stand unflagged for as long as the
/// silence lasts. So, once no feed has delivered an accepted tick for `ingest.feedSilenceStaleAfter`, every
/// asset is republished once with status STALE and reason `REASON_STALE_FEED` (values otherwise unchanged); the
/// next grid step republishes every asset as the optimizer sees it, which clears the flag.
///
/// This is the one rule of Fulcrum driven by the wall clock rather than by the ticks' event time, so its
/// updates are not part of replay determinism: a replay of the same messages gives the same updates except
/// these (and the republication of every asset at the grid step that follows them).
///
/// A value type owned by the ingest thread: ``recordAccepted(feed:at:)`` is O(1) and allocation-free, called
/// once per accepted tick; ``evaluate(now:)`` is called once per loop iteration, not per tick.
public struct FeedStaleness: Sendable {
    /// What the caller must do after ``evaluate(now:)``.
    public enum Action: Equatable, Sendable {
        /// Nothing.
        case none
        /// Every feed has been silent for `silence` ns: republish every asset as stale.
        case publishStale(silence: Int64)
    }

    /// Silence after which assets are republished as stale, ns; 0 turns the rule off.
    public let staleAfter: Int64
    /// When the ingest loop started, wall-clock ns: the reference for feeds never heard from.
    public let started: Int64
    /// Receipt time (wall clock, ns since the Unix epoch) of each feed's last accepted tick; `nil` until its
    /// first.
    public private(set) var lastAccepted: [Int64?]
    /// When the current silence was declared (the stale republication), wall-clock ns; `nil` while some feed is
    /// live or the rule has not fired for the current silence.
    public private(set) var silentSince: Int64?

    /// Tracks `feedCount` feeds from `started` on.
    public init(feedCount: Int, staleAfter: Int64, started: Int64) {
        self.staleAfter = staleAfter
        self.started = started
        lastAccepted = Array(repeating: nil, count: max(feedCount, 0))
        silentSince = nil
    }

    /// Notes an accepted tick of `feed` received at `receiptTime` (wall clock, ns); ends a declared silence.
    @inline(__always)
    public mutating func recordAccepted(feed: Int, at receiptTime: Int64) {
        guard feed >= 0 && feed < lastAccepted.count else { return }
        lastAccepted[feed] = receiptTime
        silentSince = nil
    }

    /// Wall-clock time of the most recent accepted tick on any feed, or the start if none has arrived.
    public var lastActivity: Int64 {
        var latest = started
        for time in lastAccepted { if let time, time > latest { latest = time } }
        return latest
    }

    /// Decides, at wall-clock time `now`, whether the silence of every feed has just crossed the threshold.
    /// Fires once per silence: the next accepted tick re-arms it.
    public mutating func evaluate(now: Int64) -> Action {
        guard staleAfter > 0, silentSince == nil else { return .none }
        let silence = now &- lastActivity
        guard silence >= staleAfter else { return .none }
        silentSince = now
        return .publishStale(silence: silence)
    }
}
