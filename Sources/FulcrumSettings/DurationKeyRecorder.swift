/// Collects the keys of ``NanosecondDuration`` settings while a configuration is encoded, so that the loader knows
/// which keys are durations from the types alone, with no list to keep up to date.
///
/// Pass one in the encoder's `userInfo` under ``userInfoKey``; each `NanosecondDuration` then records its key as
/// a dotted path without list indexes (`publisher.heartbeatInterval`, `ingest.feeds.x` for a key of every item).
public final class DurationKeyRecorder {
    /// The `userInfo` key under which an encoder carries the recorder.
    public static let userInfoKey = CodingUserInfoKey(rawValue: "fulcrum.durationKeys")!

    /// The dotted keys recorded so far.
    public private(set) var keys: Set<String> = []

    /// An empty recorder.
    public init() {}

    /// Records the key at `codingPath`, list indexes left out.
    public func record(_ codingPath: [any CodingKey]) {
        keys.insert(codingPath.filter { $0.intValue == nil }.map(\.stringValue).joined(separator: "."))
    }
}
