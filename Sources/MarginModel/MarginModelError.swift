/// The one error type of the MarginModel module.
public struct MarginModelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable, Codable {
        /// A configuration value is out of its allowed range; `context` names the key.
        case invalidConfiguration
        /// An asset index or symbol does not belong to the optimizer.
        case unknownAsset
        /// Restored state does not fit the optimizer's configuration (for example a different tier count).
        case incompatibleState
    }

    /// The kind of failure.
    public var code: Code
    /// A human-readable explanation naming the bad value and what is allowed.
    public var message: String
    /// Where it came from: a configuration key path such as `governance.maximumRelativeStep`, or an asset.
    public var context: String
    /// For `.invalidConfiguration`: the rejected value as text (empty otherwise).
    public var value: String = ""
    /// For `.invalidConfiguration`: what the key accepts (empty otherwise).
    public var allowed: String = ""

    /// Creates an error.
    public init(code: Code, message: String, context: String) {
        self.code = code
        self.message = message
        self.context = context
    }

    /// An invalid configuration value: `key` is the dotted key, `value` what was given, `allowed` what is.
    public static func invalidConfiguration(key: String, value: String, allowed: String) -> MarginModelError {
        var error = MarginModelError(code: .invalidConfiguration,
                                     message: "invalid value '\(value)' for '\(key)'; allowed: \(allowed)", context: key)
        error.value = value
        error.allowed = allowed
        return error
    }

    /// `code` and `context` followed by the message.
    public var description: String { "MarginModelError.\(code.rawValue) [\(context)]: \(message)" }
}
