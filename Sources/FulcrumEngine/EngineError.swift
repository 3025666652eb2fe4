/// The error type of the FulcrumEngine module: state that cannot be restored into an engine.
public struct EngineError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Code: String, Sendable, Hashable {
        /// The state's parts do not fit together.
        case corrupt
        /// The state is sound but cannot be continued under this configuration (estimation settings, allow-list).
        case incompatible
    }

    /// The kind of problem.
    public var code: Code
    /// What went wrong, naming the value found and the one expected where there is one.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code.rawValue): \(message)" }
}
