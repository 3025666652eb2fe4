import Foundation
import FulcrumService
import FulcrumSettings
import FulcrumTestSupport
import MarketData
import Testing
import ZeroMQ

/// The checks `fulcrum config check` and `fulcrum run` share (``FulcrumConfiguration/validate()``): key files and
/// their permissions, server keys only where CURVE applies, endpoint ports.
@Suite("Validation shared by config check and run: CURVE key files, in-process feeds, endpoint ports")
struct CurveValidationTests {
    /// A configuration with CURVE on and a key file written as `fulcrum keygen` does, with `mode`.
    static func curve(mode: mode_t, in directory: TemporaryDirectory,
                      feeds: [FeedConfiguration]? = nil) throws -> FulcrumConfiguration {
        let keys = try CurveKeyPair.generate()
        let path = directory.path("fulcrum.key")
        try "public-key \(keys.publicKey.z85)\nsecret-key \(keys.secretKey.z85)\n"
            .write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, mode)
        var configuration = FulcrumConfiguration()
        configuration.ingest.feeds = feeds ?? [FeedConfiguration(name: "bound", endpoint: "tcp://127.0.0.1:7600",
                                                                 bind: true)]
        configuration.security.curve.enabled = true
        configuration.security.curve.secretKeyFile = path
        return configuration
    }

    @Test("A secret key file accessible by group or others is refused, naming the path and the mode",
          arguments: [0o644, 0o640, 0o604, 0o660, 0o610, 0o601] as [mode_t])
    func openKeyFile(mode: mode_t) throws {
        let directory = try TemporaryDirectory(prefix: "curve-mode")
        defer { directory.remove() }
        let configuration = try Self.curve(mode: mode, in: directory)
        let error = #expect(throws: ConfigurationError.self) { try configuration.validate() }
        #expect(error?.key == "security.curve.secretKeyFile" && error?.value == directory.path("fulcrum.key"))
        #expect(error?.message.contains("permissions 0\(String(mode, radix: 8))") == true
                    && error?.message.contains("too open") == true, "\(String(describing: error))")
    }

    @Test("A key file only its owner can read passes", arguments: [0o600, 0o400] as [mode_t])
    func ownerOnly(mode: mode_t) throws {
        let directory = try TemporaryDirectory(prefix: "curve-mode")
        defer { directory.remove() }
        try Self.curve(mode: mode, in: directory).validate()
    }

    @Test("No server key is demanded for an in-process feed (the simulator's); one is for a connecting tcp feed")
    func serverKeysWhereCurveApplies() throws {
        let directory = try TemporaryDirectory(prefix: "curve-inproc")
        defer { directory.remove() }
        var simulated = FulcrumConfiguration.embeddedDefault
        let keyed = try Self.curve(mode: 0o600, in: directory)
        simulated.security = keyed.security
        try simulated.validate()

        let connected = try Self.curve(mode: 0o600, in: directory, feeds: [
            FeedConfiguration(name: "market", endpoint: "tcp://127.0.0.1:7600", bind: false),
        ])
        let error = #expect(throws: ConfigurationError.self) { try connected.validate() }
        #expect(error?.key == "security.curve.feedServerKeys.market", "\(String(describing: error))")
    }

    @Test("A missing key file is refused by validation itself, before any socket", arguments: [false, true])
    func missingKeyFile(exists: Bool) throws {
        let directory = try TemporaryDirectory(prefix: "curve-missing")
        defer { directory.remove() }
        var configuration = try Self.curve(mode: 0o600, in: directory)
        if !exists { configuration.security.curve.secretKeyFile = directory.path("absent.key") }
        if exists {
            try configuration.validate()
        } else {
            let error = #expect(throws: ConfigurationError.self) { try configuration.validate() }
            #expect(error?.key == "security.curve.secretKeyFile")
        }
    }

    @Test("Endpoint ports are 1 … 65535, or * where Fulcrum binds", arguments: [
        ("ingest", "tcp://127.0.0.1:99999", "ingest.feeds[0].endpoint"),
        ("ingest-connect-star", "tcp://127.0.0.1:*", "ingest.feeds[0].endpoint"),
        ("publish", "tcp://127.0.0.1:70000", "publisher.publishEndpoint"),
        ("snapshot", "tcp://127.0.0.1:0", "publisher.snapshotEndpoint"),
    ])
    func ports(place: String, endpoint: String, key: String) {
        var configuration = FulcrumConfiguration()
        configuration.ingest.feeds = [FeedConfiguration(name: "market", endpoint: "tcp://127.0.0.1:7600")]
        switch place {
        case "ingest", "ingest-connect-star": configuration.ingest.feeds[0].endpoint = endpoint
        case "publish": configuration.publisher.configuration.publishEndpoint = endpoint
        default: configuration.publisher.configuration.snapshotEndpoint = endpoint
        }
        let error = #expect(throws: ConfigurationError.self) { try configuration.validate() }
        #expect(error?.key == key && error?.value == endpoint, "\(String(describing: error))")
        #expect(error?.allowed.contains("1 … 65535") == true)
        var bound = FulcrumConfiguration()
        bound.ingest.feeds = [FeedConfiguration(name: "market", endpoint: "tcp://127.0.0.1:*", bind: true)]
        bound.publisher.configuration.publishEndpoint = "tcp://127.0.0.1:*"
        #expect(throws: Never.self) { try bound.validate() }
    }
}
