import Logging

/// A swift-log handler appending every event to a ``LogCapture``; ``LogCapture/logger(level:)`` makes one.
public struct LogCaptureHandler: LogHandler {
    /// Where the events go.
    public let capture: LogCapture
    /// The logger's own metadata, merged under each event's.
    public var metadata: Logger.Metadata = [:]
    /// The level below which the logger drops events before they reach the handler.
    public var logLevel: Logger.Level = .trace

    /// A handler writing into `capture`.
    public init(capture: LogCapture) { self.capture = capture }

    /// The logger's metadata value for `key`.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Records `event` with the logger's and the event's metadata merged (the event's values win).
    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        capture.append(.init(level: event.level, message: event.message.description,
                             metadata: merged.mapValues { "\($0)" }))
    }
}
