import Logging
import Synchronization

/// Log records kept in memory, for asserting what code under test logged through the `Logger` it was handed.
public final class LogCapture: Sendable {
    /// One logged event, with the handler's and the event's metadata merged and rendered as text.
    public struct Record: Sendable {
        /// The event's level.
        public var level: Logger.Level
        /// The message.
        public var message: String
        /// The metadata (the event's values over the logger's), each value as its description.
        public var metadata: [String: String]

        /// Creates a record.
        public init(level: Logger.Level, message: String, metadata: [String: String]) {
            self.level = level
            self.message = message
            self.metadata = metadata
        }
    }

    private let storage = Mutex<[Record]>([])

    /// An empty capture.
    public init() {}

    /// A logger writing into this capture at `level`.
    public func logger(level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "test") { _ in LogCaptureHandler(capture: self) }
        logger.logLevel = level
        return logger
    }

    /// Appends `record`.
    public func append(_ record: Record) { storage.withLock { $0.append(record) } }

    /// The records so far, oldest first.
    public var records: [Record] { storage.withLock { $0 } }
}
