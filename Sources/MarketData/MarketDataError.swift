/// The error type of the MarketData module: a code, a message, and where it came from.
///
/// Tick-level problems are not errors: they are ``RejectionReason``s counted in ``IngestCounters``. This type is
/// for configuration problems found once at start-up.
public struct MarketDataError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Code: String, Sendable, Hashable {
        /// A configuration value is out of range or inconsistent.
        case invalidConfiguration = "invalid_configuration"
        /// A checkpointed state does not fit together or does not fit the configuration.
        case invalidCheckpoint = "invalid_checkpoint"
    }

    /// The kind of problem.
    public var code: Code
    /// Human-readable explanation naming the bad value and what is allowed.
    public var message: String
    /// Where the problem is, e.g. the configuration key `ingest.feeds[0].maxMessageSize`.
    public var context: String

    /// Creates an error.
    public init(code: Code, message: String, context: String) {
        self.code = code
        self.message = message
        self.context = context
    }

    /// An invalid configuration value: `key` is the dotted key, `value` what was given, `allowed` what is.
    public static func invalidConfiguration(key: String, value: String, allowed: String) -> MarketDataError {
        MarketDataError(
            code: .invalidConfiguration,
            message: "invalid value '\(value)' for '\(key)'; allowed: \(allowed)",
            context: key)
    }

    /// `code: message`.
    public var description: String { "\(code.rawValue): \(message)" }
}
