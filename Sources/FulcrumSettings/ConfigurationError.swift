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
    /// The line of the configuration file where the value (or the unknown key) is written, counted from 1; `nil`
    /// when it did not come from a file (a default, an environment variable) or was checked after loading.
    public var line: Int?
    /// The column of that place on its line, counted from 1.
    public var column: Int?

    /// Creates an error.
    public init(key: String, value: String, allowed: String, message: String, line: Int? = nil, column: Int? = nil) {
        self.key = key
        self.value = value
        self.allowed = allowed
        self.message = message
        self.line = line
        self.column = column
    }

    /// `configuration error at KEY (line L, column C): MESSAGE (got VALUE); allowed: ALLOWED`.
    public var description: String {
        var text = "configuration error"
        if !key.isEmpty { text += " at \(key)" }
        if let line { text += column.map { " (line \(line), column \($0))" } ?? " (line \(line))" }
        text += ": \(message)"
        if !value.isEmpty { text += " (got \(value))" }
        if !allowed.isEmpty { text += "; allowed: \(allowed)" }
        return text
    }
}
