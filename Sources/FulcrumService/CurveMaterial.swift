import Foundation
import FulcrumSettings
import MarketData
import ZeroMQ

/// The keys a CURVE configuration names, read and checked: Fulcrum's key pair (from a file only its owner can
/// read), the admitted client keys and the server keys of the feeds Fulcrum connects to over a network.
///
/// The one check of ``CurveSettings`` with file access, shared by `fulcrum config check` (through
/// ``FulcrumConfiguration/validate()``) and `fulcrum run` (through ``SecurityContext/make(settings:feeds:context:)``):
/// a configuration one accepts, the other accepts too. Errors are ``ConfigurationError``s naming the key.
public struct CurveMaterial: Sendable {
    /// Fulcrum's key pair.
    public let keyPair: CurveKeyPair
    /// Public keys admitted by the ZAP handler.
    public let allowedClients: [CurveKey]
    /// Feed name → server key, for the feeds Fulcrum connects to over tcp or ipc.
    public let feedServerKeys: [String: CurveKey]

    /// Permission bits a secret key file must not have: any access by group or others (as ssh requires of a
    /// private key).
    static let forbiddenKeyFileModes: mode_t = 0o077

    /// Whether CURVE applies to `feed` at all: not on `inproc://`, where no bytes leave the process and libzmq runs
    /// no security handshake.
    public static func applies(to feed: FeedConfiguration) -> Bool { !feed.endpoint.hasPrefix("inproc://") }

    /// The feeds Fulcrum connects to with CURVE, which need the feed server's public key.
    static func needsServerKey(_ feed: FeedConfiguration) -> Bool { !feed.bind && applies(to: feed) }

    /// Checks the rules that need no file: a server key for every feed that needs one, no key for an unknown feed.
    static func checkFeeds(settings: CurveSettings, feeds: [FeedConfiguration]) throws {
        guard settings.enabled else { return }
        let names = Set(feeds.map(\.name))
        for name in settings.feedServerKeys.keys.sorted() where !names.contains(name) {
            throw ConfigurationError(key: "security.curve.feedServerKeys.\(name)", value: name,
                                     allowed: "a feed name: " + names.sorted().joined(separator: ", "),
                                     message: "unknown feed")
        }
        for feed in feeds where needsServerKey(feed) && settings.feedServerKeys[feed.name] == nil {
            throw ConfigurationError(key: "security.curve.feedServerKeys.\(feed.name)", value: "(missing)",
                                     allowed: "the feed server's public key (Z85)",
                                     message: "feed \(feed.name) is connected to (bind: false) over "
                                         + "\(feed.endpoint), so with CURVE on Fulcrum needs its server key")
        }
    }

    /// Reads and checks every key `settings` names; `nil` when CURVE is off.
    public static func load(settings: CurveSettings, feeds: [FeedConfiguration]) throws -> CurveMaterial? {
        guard settings.enabled else { return nil }
        let keyPair = try loadKeyPair(settings.secretKeyFile)
        try checkFeeds(settings: settings, feeds: feeds)
        var allowed: [CurveKey] = []
        for (index, text) in settings.allowedClientKeys.enumerated() {
            allowed.append(try key(text, at: "security.curve.allowedClientKeys[\(index)]"))
        }
        if !settings.allowedClientsFile.isEmpty { allowed += try loadAllowList(settings.allowedClientsFile) }
        var feedKeys: [String: CurveKey] = [:]
        for (name, text) in settings.feedServerKeys {
            feedKeys[name] = try key(text, at: "security.curve.feedServerKeys.\(name)")
        }
        return CurveMaterial(keyPair: keyPair, allowedClients: allowed, feedServerKeys: feedKeys)
    }

    static func key(_ text: String, at configurationKey: String) throws -> CurveKey {
        do { return try CurveKey(z85: text) } catch {
            throw ConfigurationError(key: configurationKey, value: text, allowed: "a 40-character Z85 key",
                                     message: "\(error)")
        }
    }

    /// Reads `fulcrum keygen`'s key file: lines `public-key Z85` and `secret-key Z85` (the public key is derived
    /// from the secret one and, when present, must match it). The file must not be accessible by group or others.
    static func loadKeyPair(_ path: String) throws -> CurveKeyPair {
        let key = "security.curve.secretKeyFile"
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & forbiddenKeyFileModes != 0 {
            let mode = String(status.st_mode & 0o777, radix: 8)
            throw ConfigurationError(key: key, value: path, allowed: "a file only its owner can access (chmod 600)",
                                     message: "permissions 0\(mode) for '\(path)' are too open: a CURVE secret key "
                                         + "must not be accessible by group or others")
        }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigurationError(key: key, value: path, allowed: "a readable key file", message: "\(error)")
        }
        var fields: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: " ", maxSplits: 1).map { String($0) }
            if parts.count == 2 { fields[parts[0]] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        guard let secret = fields["secret-key"] else {
            throw ConfigurationError(key: key, value: path, allowed: "a file with a `secret-key Z85` line",
                                     message: "no secret key")
        }
        let pair = try CurveKeyPair.derive(secretKey: try Self.key(secret, at: key))
        if let stated = fields["public-key"], stated != pair.publicKey.z85 {
            throw ConfigurationError(key: key, value: path, allowed: "a public key matching the secret key",
                                     message: "the file's public key does not belong to its secret key")
        }
        return pair
    }

    /// Reads an allow-list file: bare Z85 keys or `public-key Z85` lines; `#` comments and blank lines skipped.
    static func loadAllowList(_ path: String) throws -> [CurveKey] {
        let key = "security.curve.allowedClientsFile"
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigurationError(key: key, value: path, allowed: "a readable file", message: "\(error)")
        }
        var keys: [CurveKey] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let value = line.hasPrefix("public-key ") ? String(line.dropFirst("public-key ".count)) : line
            keys.append(try Self.key(value, at: "\(key) (\(path) line \(number + 1))"))
        }
        return keys
    }
}
