import Foundation
import FulcrumSettings
import MarketData
import RiskFeed
import ZeroMQ

/// CURVE as set up for one process: Fulcrum's key pair, the ZAP handler with its allow-list, and the server keys of
/// the feeds Fulcrum connects to. Built once at start from ``CurveSettings`` (reading the key files), before any
/// socket binds.
public final class SecurityContext: Sendable {
    /// Fulcrum's key pair (its public key is what clients pin).
    public let keyPair: CurveKeyPair
    /// Public keys admitted by the ZAP handler.
    public let allowedClients: [CurveKey]
    /// ZAP domain of Fulcrum's server sockets.
    public let zapDomain: String
    /// The ZAP handler, bound in the process's context; run it with ``SecurityService``.
    public let handler: ZAPHandler
    let feedServerKeys: [String: CurveKey]

    /// Reads the key files of `settings`, checks every feed that Fulcrum connects to has a server key, and binds
    /// the ZAP handler in `context`; `nil` when CURVE is off. Errors are ``ConfigurationError``s naming the key.
    public static func make(settings: CurveSettings, feeds: [FeedConfiguration],
                            context: ZMQContext) throws -> SecurityContext? {
        guard settings.enabled else { return nil }
        let keyPair = try loadKeyPair(settings.secretKeyFile)
        var allowed: [CurveKey] = []
        for (index, text) in settings.allowedClientKeys.enumerated() {
            allowed.append(try key(text, at: "security.curve.allowedClientKeys[\(index)]"))
        }
        if !settings.allowedClientsFile.isEmpty { allowed += try loadAllowList(settings.allowedClientsFile) }
        var feedKeys: [String: CurveKey] = [:]
        let names = Set(feeds.map(\.name))
        for (name, text) in settings.feedServerKeys {
            guard names.contains(name) else {
                throw ConfigurationError(key: "security.curve.feedServerKeys.\(name)", value: name,
                                         allowed: "a feed name: " + names.sorted().joined(separator: ", "),
                                         message: "unknown feed")
            }
            feedKeys[name] = try key(text, at: "security.curve.feedServerKeys.\(name)")
        }
        for feed in feeds where !feed.bind && feedKeys[feed.name] == nil {
            throw ConfigurationError(key: "security.curve.feedServerKeys.\(feed.name)", value: "(missing)",
                                     allowed: "the feed server's public key (Z85)",
                                     message: "feed \(feed.name) is connected to (bind: false), so with CURVE on "
                                         + "Fulcrum needs its server key")
        }
        let handler = try ZAPHandler(context: context, allowedClients: allowed, domains: [settings.zapDomain])
        return SecurityContext(keyPair: keyPair, allowedClients: allowed, zapDomain: settings.zapDomain,
                               handler: handler, feedServerKeys: feedKeys)
    }

    init(keyPair: CurveKeyPair, allowedClients: [CurveKey], zapDomain: String, handler: ZAPHandler,
         feedServerKeys: [String: CurveKey]) {
        self.keyPair = keyPair
        self.allowedClients = allowedClients
        self.zapDomain = zapDomain
        self.handler = handler
        self.feedServerKeys = feedServerKeys
    }

    /// CURVE server settings for the publisher's PUB and snapshot sockets.
    public var serverOptions: CurveServerOptions {
        CurveServerOptions(secretKey: keyPair.secretKey, zapDomain: zapDomain)
    }

    /// Makes a feed socket a CURVE server (feeds Fulcrum binds) or a CURVE client of the feed's server key
    /// (feeds it connects to). Call before `bind`/`connect`.
    public func apply(to socket: Socket, feed: FeedConfiguration) throws {
        if feed.bind {
            try serverOptions.apply(to: socket)
        } else if let serverKey = feedServerKeys[feed.name] {
            try socket.setCurveClient(serverKey: serverKey, keyPair: keyPair)
        }
    }

    static func key(_ text: String, at configurationKey: String) throws -> CurveKey {
        do { return try CurveKey(z85: text) } catch {
            throw ConfigurationError(key: configurationKey, value: text, allowed: "a 40-character Z85 key",
                                     message: "\(error)")
        }
    }

    /// Reads `fulcrum keygen`'s key file: lines `public-key Z85` and `secret-key Z85` (the public key is derived
    /// from the secret one and, when present, must match it).
    static func loadKeyPair(_ path: String) throws -> CurveKeyPair {
        let key = "security.curve.secretKeyFile"
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
