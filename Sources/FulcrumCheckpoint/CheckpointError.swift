/// A checkpoint that cannot be used or written: what is wrong, and with which file.
///
/// Fulcrum refuses a corrupt or incompatible checkpoint at start and exits non-zero with this message; it never
/// starts from one silently. `fulcrum run --fresh` sets the file aside and starts a new one.
public struct CheckpointError: Error, CustomStringConvertible, Sendable {
    /// What kind of problem it is.
    public enum Code: String, Sendable {
        /// The file or its payload is damaged: not a database, failed integrity check, checksum mismatch,
        /// truncated or malformed payload, or state that does not fit together.
        case corrupt
        /// The file is sound but was written by another schema or payload version, or for a configuration
        /// whose state cannot be continued (estimation settings, symbol allow-list).
        case incompatible
        /// The database could not be opened, read or written.
        case storage
    }

    /// The kind of problem.
    public var code: Code
    /// What went wrong, naming the value found and the one expected where there is one.
    public var message: String
    /// The checkpoint file, when known.
    public var path: String

    /// Creates an error.
    public init(code: Code, message: String, path: String = "") {
        self.code = code
        self.message = message
        self.path = path
    }

    /// A damaged payload (the path is filled in by the store).
    static func malformed(_ message: String) -> CheckpointError {
        CheckpointError(code: .corrupt, message: "malformed payload: \(message)")
    }

    /// The same error, naming `path`.
    func at(_ path: String) -> CheckpointError {
        var copy = self
        copy.path = path
        return copy
    }

    public var description: String {
        let file = path.isEmpty ? "checkpoint" : "checkpoint \(path)"
        switch code {
        case .corrupt, .incompatible:
            return "\(file) refused (\(code.rawValue)): \(message). Start with `fulcrum run --fresh` to set it "
                + "aside and begin from scratch (a new warm-up)."
        case .storage:
            return "\(file): \(message)"
        }
    }
}
