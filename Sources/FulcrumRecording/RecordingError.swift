import FulcrumSettings
/// The error type of the FulcrumRecording module: a code, a message naming what was wrong, and where. An invalid
/// setting is a `ConfigurationError` (FulcrumSettings), like every module's.
public struct RecordingError: CodedError, Hashable {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable, Codable {
        /// A file could not be opened, read, written or synced.
        case io
        /// A recording does not start with a valid header (wrong magic, unknown version, bad checksum).
        case invalidRecording
        /// A record in the middle of a recording fails its length or checksum check.
        case corruptRecording
    }

    /// What went wrong.
    public var code: Code
    /// A sentence naming what was wrong.
    public var message: String
    /// Where it came from, e.g. `["path": "…"]`.
    public var context: [String: String]

    /// Creates an error.
    public init(code: Code, message: String, context: [String: String] = [:]) {
        self.code = code
        self.message = message
        self.context = context
    }
}
