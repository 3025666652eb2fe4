import FulcrumSettings
/// The error type of the MarketData module: a code, a message, and where it came from.
///
/// Tick-level problems are not errors: they are ``RejectionReason``s counted in ``IngestCounters``; an invalid
/// setting is a `ConfigurationError` (FulcrumSettings), like every module's. This type is for checkpointed state
/// that cannot be restored.
public struct MarketDataError: CodedError, Hashable {
    /// What kind of problem it is.
    public enum Code: String, Sendable, Hashable {
        /// A checkpointed state does not fit together or does not fit the configuration.
        case invalidCheckpoint = "invalid_checkpoint"
    }

    /// The kind of problem.
    public var code: Code
    /// Human-readable explanation naming what does not fit.
    public var message: String
    /// Where the problem is, e.g. `["field": "validator"]`.
    public var context: [String: String]

    /// Creates an error.
    public init(code: Code, message: String, context: [String: String]) {
        self.code = code
        self.message = message
        self.context = context
    }
}
