import ArgumentParser
import ZeroMQ

/// The check of an endpoint given on the command line: ZeroMQ's rule (``EndpointRule``), refused before any
/// socket exists with the option's name, the reason and the form expected.
enum EndpointArgument {
    /// The form of a TCP endpoint, with an example, for messages.
    static let hint = "expected tcp://HOST:PORT, e.g. tcp://127.0.0.1:7601 (or ipc://PATH)"

    /// Refuses `endpoint`, given as `name` (`--backend`, `ENDPOINT`), when a socket that binds (`binding`) or
    /// connects could not use it.
    static func check(_ endpoint: String, name: String, binding: Bool) throws {
        guard let problem = EndpointRule.problem(in: endpoint, binding: binding) else { return }
        throw ValidationError("\(name): invalid endpoint '\(endpoint)': \(problem); \(binding ? bindingHint : hint)")
    }

    /// The form of an endpoint a socket binds.
    static let bindingHint = "expected tcp://HOST:PORT or tcp://*:PORT, e.g. tcp://*:7701 (or ipc://PATH)"
}
