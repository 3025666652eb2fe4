import FulcrumSettings

/// Which names a ``SymbolTable`` accepts.
///
/// Two modes: with a non-empty ``allowList`` only those names are accepted and everything else is rejected as
/// unknown; with an empty one, names are discovered as they arrive, up to ``maximumDiscovered`` of them. The cap
/// matters: a feed that can invent symbols could otherwise grow every per-symbol structure without bound.
public struct SymbolTableConfiguration: Sendable, Hashable, Codable {
    /// Names accepted, in the order their identifiers are assigned. Empty: discover names as they arrive.
    /// Default: empty.
    public var allowList: [String]
    /// How many names may be discovered when ``allowList`` is empty. Default: 1,024. Allowed: 1 … 1,048,576.
    public var maximumDiscovered: Int
    /// Longest accepted name in bytes. Default: 64. Allowed: 1 … 256.
    public var maximumNameLength: Int

    /// Creates a configuration; see each property for its default.
    public init(allowList: [String] = [], maximumDiscovered: Int = 1024, maximumNameLength: Int = 64) {
        self.allowList = allowList
        self.maximumDiscovered = maximumDiscovered
        self.maximumNameLength = maximumNameLength
    }

    /// Checks every setting; `keyPrefix`, the path of the section, prefixes the key in the error (e.g.
    /// `ingest.symbols`).
    ///
    /// - Throws: ``ConfigurationError`` naming the bad key, its value and what is allowed.
    public func validate(keyPrefix: String = "symbols") throws(ConfigurationError) {
        func key(_ name: String) -> String { ConfigurationError.key(name, under: keyPrefix) }
        guard (1...1_048_576).contains(maximumDiscovered) else {
            throw ConfigurationError(
                key: key("maximumDiscovered"), value: "\(maximumDiscovered)", allowed: "1 … 1048576")
        }
        guard (1...256).contains(maximumNameLength) else {
            throw ConfigurationError(
                key: key("maximumNameLength"), value: "\(maximumNameLength)", allowed: "1 … 256")
        }
        var seen = Set<String>()
        for (position, name) in allowList.enumerated() {
            let entry = key("allowList[\(position)]")
            guard SymbolTable.isValidName(Array(name.utf8), maximumLength: maximumNameLength) else {
                throw ConfigurationError(key: entry, value: name,
                                         allowed: "1 … \(maximumNameLength) bytes of printable ASCII without spaces",
                                         message: "invalid name")
            }
            guard seen.insert(name).inserted else {
                throw ConfigurationError(key: entry, value: name, allowed: "names that appear once",
                                         message: "duplicate name")
            }
        }
    }
}
