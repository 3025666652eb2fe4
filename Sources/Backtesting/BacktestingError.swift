import FulcrumSettings
/// The error type of the Backtesting module: a code, a message naming what was wrong, and where. Backtests check
/// no setting of their own: the settings they run with are the service's, whose invalid values are
/// `ConfigurationError`s (FulcrumSettings).
public struct BacktestingError: CodedError, Hashable {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable, Codable {
        /// A file could not be opened, read, written or synced.
        case io
        /// A recording does not start with a valid header (wrong magic, unknown version, bad checksum).
        case invalidRecording
        /// A record in the middle of a recording fails its length or checksum check.
        case corruptRecording
        /// A CSV or OHLC input cannot be parsed.
        case invalidInput
        /// Restored (checkpointed) state does not fit together or does not fit the configuration.
        case invalidState
    }

    /// What went wrong.
    public var code: Code
    /// A sentence naming what was wrong.
    public var message: String
    /// Where it came from, e.g. `["path": "…", "line": "12"]`.
    public var context: [String: String]

    /// Creates an error.
    public init(code: Code, message: String, context: [String: String] = [:]) {
        self.code = code
        self.message = message
        self.context = context
    }
}
