import FulcrumSettings
/// The error type of the MarginModel module: unknown assets and restored state that does not fit. An invalid
/// setting is a `ConfigurationError` (FulcrumSettings), like every module's.
public struct MarginModelError: CodedError, Hashable {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable, Codable {
        /// An asset index or symbol does not belong to the optimizer.
        case unknownAsset
        /// Restored state does not fit the optimizer's configuration (for example a different tier count).
        case incompatibleState
    }

    /// The kind of failure.
    public var code: Code
    /// A human-readable explanation naming what does not fit.
    public var message: String
    /// Where it came from: an asset, or the field of a restored state.
    public var context: [String: String]

    /// Creates an error.
    public init(code: Code, message: String, context: [String: String]) {
        self.code = code
        self.message = message
        self.context = context
    }
}
