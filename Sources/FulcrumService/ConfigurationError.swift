import Foundation

/// A configuration problem, naming the key, the bad value and what is allowed.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    /// Dotted path of the offending key, e.g. `estimation.halfLife`.
    public var key: String
    /// The value found, as text.
    public var value: String
    /// What would have been accepted.
    public var allowed: String
    /// What went wrong.
    public var message: String

    /// Creates an error.
    public init(key: String, value: String, allowed: String, message: String) {
        self.key = key
        self.value = value
        self.allowed = allowed
        self.message = message
    }

    init(decoding error: DecodingError, tree: Any) {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context):
            self.init(key: path(context), value: "", allowed: "a value of type \(type)",
                      message: context.debugDescription)
        case .valueNotFound(let type, let context):
            self.init(key: path(context), value: "null", allowed: "a value of type \(type)",
                      message: context.debugDescription)
        case .keyNotFound(let key, let context):
            self.init(key: (path(context).isEmpty ? "" : path(context) + ".") + key.stringValue, value: "(missing)",
                      allowed: "a value", message: context.debugDescription)
        case .dataCorrupted(let context):
            self.init(key: path(context), value: "", allowed: "a valid value", message: context.debugDescription)
        @unknown default:
            self.init(key: "", value: "", allowed: "", message: "\(error)")
        }
    }

    public var description: String {
        var text = "configuration error"
        if !key.isEmpty { text += " at \(key)" }
        text += ": \(message)"
        if !value.isEmpty { text += " (got \(value))" }
        if !allowed.isEmpty { text += "; allowed: \(allowed)" }
        return text
    }
}
