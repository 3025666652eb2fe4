import Logging
import Synchronization

/// Logs events that can repeat once per message — rejected ticks, malformed requests — as at most one line per
/// key per interval, so a flood of bad input cannot flood the log.
///
/// The first event of a key is logged at once; events of that key during the following interval are only counted,
/// and the next line logged for it carries, under `fulcrum.events`, how many events it stands for (itself and every
/// event folded since the previous line). ``flush(now:)``, called periodically, logs what is still folded once the
/// interval has passed, so the tail of a burst is not lost. Keys must come from a bounded set (feed × reason, not
/// symbol × price): one entry per key is kept for the life of the logger.
public final class RateLimitedLogger: Sendable {
    struct Entry {
        var lastLogged: ContinuousClock.Instant
        var pending: UInt64
        var level: Logger.Level
        var message: Logger.Message
        var metadata: Logger.Metadata
    }

    /// The logger lines go to.
    public let logger: Logger
    /// The shortest time between two lines of the same key.
    public let interval: Duration
    private let entries = Mutex<[String: Entry]>([:])

    /// Creates a rate-limited view of `logger` allowing one line per key per `interval`.
    public init(logger: Logger, interval: Duration) {
        self.logger = logger
        self.interval = interval
    }

    /// Records `count` events of `key` observed at `now`; logs one line if the key's interval has passed.
    ///
    /// - Returns: whether a line was logged.
    @discardableResult
    public func log(
        _ level: Logger.Level, key: String, _ message: @autoclosure () -> Logger.Message,
        metadata: @autoclosure () -> Logger.Metadata = [:], count: UInt64 = 1,
        now: ContinuousClock.Instant = .now
    ) -> Bool {
        guard count > 0, logger.logLevel <= level else { return false }
        let text = message()
        let fields = metadata()
        let events: UInt64? = entries.withLock { entries in
            let previous = entries[key]
            let due = previous.map { now - $0.lastLogged >= interval } ?? true
            let pending = (previous?.pending ?? 0) &+ count
            entries[key] = Entry(lastLogged: due ? now : previous?.lastLogged ?? now, pending: due ? 0 : pending,
                                 level: level, message: text, metadata: fields)
            return due ? pending : nil
        }
        guard let events else { return false }
        emit(level, text, fields, events: events)
        return true
    }

    /// Logs, for every key whose interval has passed, the events still folded (with the latest event's message
    /// and metadata).
    ///
    /// - Returns: the number of lines logged.
    @discardableResult
    public func flush(now: ContinuousClock.Instant = .now) -> Int {
        let due: [Entry] = entries.withLock { entries in
            var due: [Entry] = []
            for key in entries.keys.sorted() {
                guard let entry = entries[key], entry.pending > 0, now - entry.lastLogged >= interval else { continue }
                due.append(entry)
                entries[key]?.pending = 0
                entries[key]?.lastLogged = now
            }
            return due
        }
        for entry in due { emit(entry.level, entry.message, entry.metadata, events: entry.pending) }
        return due.count
    }

    private func emit(_ level: Logger.Level, _ message: Logger.Message, _ metadata: Logger.Metadata, events: UInt64) {
        var fields = metadata
        fields["fulcrum.events"] = "\(events)"
        logger.log(level: level, message, metadata: fields)
    }

    /// Events of `key` counted but not yet logged.
    public func pendingCount(key: String) -> UInt64 {
        entries.withLock { $0[key]?.pending ?? 0 }
    }
}
