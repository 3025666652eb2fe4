/// A configuration problem, naming the key, the bad value and what is allowed: the one error type of every
/// invalid setting, whichever module checks it.
///
/// A module's `validate(keyPrefix:)` writes each key under the path of its section in the configuration file
/// (``key(_:under:)``), so the error names the key as the file spells it, e.g. `estimation.halfLife`, and no
/// caller has to rewrite it.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable, Hashable {
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

    /// The message of a value outside what its key allows: the default of
    /// ``init(key:value:allowed:message:line:column:)``.
    public static let outOfRange = "out of range"

    /// Creates an error; `message` says what went wrong, by default that the value is ``outOfRange``.
    public init(key: String, value: String, allowed: String, message: String = ConfigurationError.outOfRange,
                line: Int? = nil, column: Int? = nil) {
        self.key = key
        self.value = value
        self.allowed = allowed
        self.message = message
        self.line = line
        self.column = column
    }

    /// The dotted key of `name` in the section at `prefix`: `prefix.name`, or `name` alone when `prefix` is empty
    /// (a section checked on its own, outside a configuration file).
    public static func key(_ name: String, under prefix: String) -> String {
        prefix.isEmpty ? name : "\(prefix).\(name)"
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
