
/// A configuration problem, naming the key, the bad value and what is allowed: the one error type of every
/// invalid setting, whichever module checks it.
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

    /// `configuration error at KEY: MESSAGE (got VALUE); allowed: ALLOWED`.
    public var description: String {
        var text = "configuration error"
        if !key.isEmpty { text += " at \(key)" }
        text += ": \(message)"
        if !value.isEmpty { text += " (got \(value))" }
        if !allowed.isEmpty { text += "; allowed: \(allowed)" }
        return text
    }
}
