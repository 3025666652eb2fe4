/// The one error type of the RiskEstimation module.
public struct RiskEstimationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable, Codable {
        /// A configuration value is out of its allowed range.
        case invalidConfiguration
        /// A decoded estimator state is inconsistent with itself or with its configuration.
        case invalidState
    }

    /// What went wrong.
    public var code: Code
    /// A sentence naming the bad key or field, its value and what is allowed.
    public var message: String
    /// Where it came from, e.g. `["key": "lateness", "value": "-1"]`.
    public var context: [String: String]

    /// Creates an error.
    public init(code: Code, message: String, context: [String: String] = [:]) {
        self.code = code
        self.message = message
        self.context = context
    }

    /// `code: message [context]`.
    public var description: String {
        let details = context.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        return details.isEmpty ? "\(code.rawValue): \(message)" : "\(code.rawValue): \(message) [\(details)]"
    }
}
