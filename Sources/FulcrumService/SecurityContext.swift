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

    /// Reads the key files of `settings` (``CurveMaterial``, the check `fulcrum config check` runs too) and binds
    /// the ZAP handler in `context`; `nil` when CURVE is off. Errors are ``ConfigurationError``s naming the key.
    public static func make(settings: CurveSettings, feeds: [FeedConfiguration],
                            context: ZMQContext) throws -> SecurityContext? {
        guard let material = try CurveMaterial.load(settings: settings, feeds: feeds) else { return nil }
        let handler = try ZAPHandler(context: context, allowedClients: material.allowedClients,
                                     domains: [settings.zapDomain])
        return SecurityContext(keyPair: material.keyPair, allowedClients: material.allowedClients,
                               zapDomain: settings.zapDomain, handler: handler, feedServerKeys: material.feedServerKeys)
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
    /// (feeds it connects to); leaves `inproc://` feeds alone, where CURVE does not apply. Call before
    /// `bind`/`connect`.
    public func apply(to socket: Socket, feed: FeedConfiguration) throws {
        guard CurveMaterial.applies(to: feed) else { return }
        if feed.bind {
            try serverOptions.apply(to: socket)
        } else if let serverKey = feedServerKeys[feed.name] {
            try socket.setCurveClient(serverKey: serverKey, keyPair: keyPair)
        }
    }
}
