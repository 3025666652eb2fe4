import FulcrumSettings
/// Authentication and encryption of Fulcrum's ZeroMQ sockets (under `security` in the configuration).
public struct SecuritySettings: Sendable, Codable {
    /// CURVE on every socket: feeds, PUB and snapshot.
    public var curve: CurveSettings = CurveSettings()

    /// The defaults (everything in the clear).
    public init() {}

    /// Checks the values; errors name the key.
    public func validate() throws {
        try curve.validate()
    }
}

/// CURVE settings: Fulcrum's key pair, the clients it admits, and the server keys of feeds it connects to.
///
/// With `enabled`, every socket Fulcrum binds (the PUB, the snapshot ROUTER and feeds with `bind: true`) is a
/// CURVE server in ZAP domain `zapDomain`, and Fulcrum's own ZAP handler admits only clients whose public key is
/// allow-listed; anything else — an unknown key, a client without CURVE, a client pinned to another server key —
/// gets no connection (fail closed). Feeds Fulcrum connects to (`bind: false`) are CURVE clients of the server
/// key given in `feedServerKeys`, with Fulcrum's key pair.
public struct CurveSettings: Sendable, Codable {
    /// Turn CURVE on. Default false.
    public var enabled: Bool = false
    /// Fulcrum's key file as written by `fulcrum keygen` (lines `public-key Z85` and `secret-key Z85`; mode 0600).
    public var secretKeyFile: String = ""
    /// Public keys of admitted clients, Z85 (40 characters each). Quote them in YAML (`'…'`): Z85 uses characters
    /// such as `[`, `{`, `#` and `:` that YAML would otherwise parse.
    public var allowedClientKeys: [String] = []
    /// A file of further admitted public keys: one per line, either bare Z85 or `public-key Z85` (the `.pub` files
    /// of `fulcrum keygen` can be concatenated); blank lines and lines starting with `#` are skipped.
    public var allowedClientsFile: String = ""
    /// The ZAP domain of Fulcrum's server sockets. Default `fulcrum`.
    public var zapDomain: String = "fulcrum"
    /// Feed name → the public key (Z85) of the feed's CURVE server, for every feed with `bind: false`.
    public var feedServerKeys: [String: String] = [:]

    /// The defaults (off).
    public init() {}

    /// Checks the values that need no file access; keys and files are checked when the sockets are set up.
    public func validate() throws {
        guard enabled else { return }
        guard !secretKeyFile.isEmpty else {
            throw ConfigurationError(key: "security.curve.secretKeyFile", value: "\"\"",
                                     allowed: "the key file of `fulcrum keygen`", message: "CURVE needs Fulcrum's key")
        }
        guard !zapDomain.isEmpty, zapDomain.utf8.count <= 254 else {
            throw ConfigurationError(key: "security.curve.zapDomain", value: zapDomain, allowed: "1 … 254 bytes",
                                     message: "invalid ZAP domain")
        }
        for (index, key) in allowedClientKeys.enumerated() where key.utf8.count != 40 {
            throw ConfigurationError(key: "security.curve.allowedClientKeys[\(index)]", value: key,
                                     allowed: "a 40-character Z85 public key", message: "invalid key")
        }
        for (feed, key) in feedServerKeys where key.utf8.count != 40 {
            throw ConfigurationError(key: "security.curve.feedServerKeys.\(feed)", value: key,
                                     allowed: "a 40-character Z85 public key", message: "invalid key")
        }
    }
}
