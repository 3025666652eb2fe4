/// The shape every module's error shares, after swift-kafka-client's: a code saying what kind of failure it is, a
/// sentence naming what was wrong, and where it came from as key–value pairs (`path`, `line`, `field`, …).
///
/// A module declares its own struct with its own `Code` enumeration, so `catch` clauses stay typed per module; the
/// rendering is this one.
public protocol CodedError: Error, Sendable, CustomStringConvertible {
    /// The module's enumeration of failure kinds; its raw value is the word a log line shows.
    associatedtype Code: RawRepresentable where Code.RawValue == String
    /// What kind of failure.
    var code: Code { get }
    /// A sentence naming what was wrong.
    var message: String { get }
    /// Where it came from, e.g. `["path": "…", "line": "12"]`.
    var context: [String: String] { get }
}

extension CodedError {
    /// `code: message [key=value, …]`, the context sorted by key so that equal errors print alike.
    public var description: String {
        let details = context.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        return details.isEmpty ? "\(code.rawValue): \(message)" : "\(code.rawValue): \(message) [\(details)]"
    }
}
