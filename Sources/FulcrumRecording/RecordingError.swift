/// The one error type of the FulcrumRecording module: a code, a message naming what was wrong, and where.
public struct RecordingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable, Codable {
        /// A configuration value is out of its allowed range.
        case invalidConfiguration
        /// A file could not be opened, read, written or synced.
        case io
        /// A recording does not start with a valid header (wrong magic, unknown version, bad checksum).
        case invalidRecording
        /// A record in the middle of a recording fails its length or checksum check.
        case corruptRecording
    }

    /// What went wrong.
    public var code: Code
    /// A sentence naming the bad value and what is allowed.
    public var message: String
    /// Where it came from, e.g. `["key": "recording.bufferBytes", "value": "0"]` or `["path": "…", "line": "12"]`.
    public var context: [String: String]

    /// Creates an error.
    public init(code: Code, message: String, context: [String: String] = [:]) {
        self.code = code
        self.message = message
        self.context = context
    }

    /// An invalid configuration value: `key` is the dotted key, `value` what was given, `allowed` what is.
    public static func invalidConfiguration(key: String, value: String, allowed: String) -> RecordingError {
        RecordingError(code: .invalidConfiguration,
                         message: "invalid value '\(value)' for '\(key)'; allowed: \(allowed)",
                         context: ["key": key, "value": value, "allowed": allowed])
    }

    /// `code: message [context]`.
    public var description: String {
        let details = context.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        return details.isEmpty ? "\(code.rawValue): \(message)" : "\(code.rawValue): \(message) [\(details)]"
    }
}
