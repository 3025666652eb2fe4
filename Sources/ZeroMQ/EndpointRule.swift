/// What an endpoint must look like for libzmq to bind or connect where it says: checked before any socket exists,
/// so that a mistyped port is refused by name instead of being wrapped around by libzmq
/// (`tcp://127.0.0.1:99999` would bind port 34463).
public enum EndpointRule {
    /// The rule in words, for error messages.
    public static let description = "tcp://HOST:PORT with PORT 1 … 65535 (or * where the socket binds), "
        + "ipc://PATH or inproc://NAME, without whitespace"

    /// Why `endpoint` cannot serve a socket that binds (`binding`) or connects to it; `nil` when it can.
    public static func problem(in endpoint: String, binding: Bool) -> String? {
        if endpoint.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) { return "whitespace or a control character" }
        for scheme in ["ipc://", "inproc://"] where endpoint.hasPrefix(scheme) {
            return endpoint.utf8.count > scheme.utf8.count ? nil : "no address after \(scheme)"
        }
        guard endpoint.hasPrefix("tcp://") else { return "not a tcp://, ipc:// or inproc:// endpoint" }
        var address = Substring(endpoint.dropFirst("tcp://".count))
        // A connecting endpoint may name the local address first: `tcp://SOURCE;HOST:PORT`.
        if !binding, let separator = address.lastIndex(of: ";") {
            address = address[address.index(after: separator)...]
        }
        guard let colon = address.lastIndex(of: ":") else { return "no port (tcp://HOST:PORT)" }
        let host = address[..<colon], port = address[address.index(after: colon)...]
        if host.isEmpty || host == "[]" { return "no host before the port" }
        if port == "*" { return binding ? nil : "port * is only for a socket that binds; this one connects" }
        guard !port.isEmpty, port.utf8.count <= 5, port.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let number = Int(port), (1...65_535).contains(number) else {
            return "port \(port.isEmpty ? "(empty)" : String(port)) is not in 1 … 65535"
        }
        return nil
    }
}
