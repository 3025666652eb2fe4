import FulcrumSettings
/// The error type of the RiskEstimation module: restored state that does not fit. An invalid setting is a
/// `ConfigurationError` (FulcrumSettings), like every module's.
public struct RiskEstimationError: CodedError, Hashable {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable, Codable {
        /// A decoded estimator state is inconsistent with itself or with its configuration.
        case invalidState
    }

    /// What went wrong.
    public var code: Code
    /// A sentence naming the bad field, its value and what was expected.
    public var message: String
    /// Where it came from, e.g. `["field": "crossSum", "value": "3", "expected": "6"]`.
    public var context: [String: String]

    /// Creates an error.
    public init(code: Code, message: String, context: [String: String] = [:]) {
        self.code = code
        self.message = message
        self.context = context
    }
}
