import Foundation
import Testing
@testable import FulcrumService

/// Loading YAML over the defaults, environment overrides, and the errors `fulcrum config check` prints.
@Suite("Configuration loading")
struct ConfigurationLoaderTests {
    static let feed = "ingest:\n  feeds:\n    - name: a\n      endpoint: tcp://127.0.0.1:5555\n"

    static func load(_ yaml: String, environment: [String: String] = [:]) throws -> FulcrumConfiguration {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-\(UUID().uuidString).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let configuration = try ConfigurationLoader.load(
            FulcrumConfiguration.self, defaults: FulcrumConfiguration(), path: file.path, environment: environment,
            listItemDefaults: FulcrumConfiguration.listItemDefaults)
        try configuration.validate()
        return configuration
    }

    /// The error `load` throws for `yaml`, as a ConfigurationError.
    static func error(_ yaml: String, environment: [String: String] = [:]) -> ConfigurationError? {
        do {
            _ = try load(yaml, environment: environment)
            return nil
        } catch {
            return error as? ConfigurationError
        }
    }

    @Test("A file names only what differs; durations take units; list items merge over their defaults")
    func mergesOverDefaults() throws {
        let configuration = try Self.load(Self.feed + """
            http:
              address: 0.0.0.0:9000
              feedFreshness: 45s
            shutdownTimeout: 2500ms
            logging:
              rateLimitInterval: 1m
            """)
        #expect(configuration.http.address == "0.0.0.0:9000")
        #expect(configuration.http.feedFreshness == 45_000_000_000)
        #expect(configuration.http.livenessTimeout == HTTPSettings().livenessTimeout)
        #expect(configuration.shutdownTimeout == 2_500_000_000)
        #expect(configuration.logging.rateLimitInterval == 60_000_000_000)
        #expect(configuration.ingest.feeds.count == 1)
        #expect(configuration.ingest.feeds[0].maxMessageSize == 65_536, "a feed item gets the item defaults")
    }

    @Test("FULCRUM__SECTION__KEY overrides the file, matched without regard to case or underscores")
    func environmentOverrides() throws {
        let configuration = try Self.load(Self.feed + "http:\n  address: 127.0.0.1:1\n", environment: [
            "FULCRUM__HTTP__ADDRESS": "0.0.0.0:7680",
            "FULCRUM__HTTP__FEED_FRESHNESS": "5s",
            "FULCRUM__SHUTDOWN_TIMEOUT": "20s",
            "FULCRUM__INGEST__FEEDS": "[{name: b, endpoint: 'tcp://10.0.0.1:5555', bind: true}]",
            "UNRELATED": "x",
        ])
        #expect(configuration.http.address == "0.0.0.0:7680")
        #expect(configuration.http.feedFreshness == 5_000_000_000)
        #expect(configuration.shutdownTimeout == 20_000_000_000)
        #expect(configuration.ingest.feeds.map(\.name) == ["b"])
        #expect(configuration.ingest.feeds[0].bind)
    }

    @Test("Errors name the key, the bad value and what is allowed")
    func errorsNameTheKey() {
        let address = Self.error(Self.feed + "http:\n  address: localhost\n")
        #expect(address?.key == "http.address")
        #expect(address?.value == "localhost")
        #expect(address?.allowed.contains("HOST:PORT") == true)

        let unknown = Self.error(Self.feed + "http:\n  adress: 127.0.0.1:1\n")
        #expect(unknown?.key == "http.adress")
        #expect(unknown?.allowed.contains("address") == true)

        let type = Self.error(Self.feed + "http:\n  sampleInterval: often\n")
        #expect(type?.key == "http.sampleInterval")
        #expect(type?.value == "often")
        #expect(type?.allowed.contains("duration") == true)

        let deadline = Self.error(Self.feed + "shutdownTimeout: 1s\npublisher:\n  lingerMilliseconds: 2000\n")
        #expect(deadline?.key == "shutdownTimeout")
        #expect(deadline?.allowed.contains("publisher.lingerMilliseconds") == true)

        let environment = Self.error(Self.feed, environment: ["FULCRUM__HTTP__NOPE": "1"])
        #expect(environment?.key == "FULCRUM__HTTP__NOPE")

        let limit = Self.error(Self.feed + "http:\n  correlationLimit: 5000\n")
        #expect(limit?.key == "http.correlationLimit" && limit?.value == "5000")
    }

    @Test("The embedded default validates and keeps HTTP on the loopback port 7680")
    func embeddedDefault() throws {
        let configuration = FulcrumConfiguration.embeddedDefault
        try configuration.validate()
        #expect(configuration.http.enabled)
        #expect(configuration.http.host == "127.0.0.1" && configuration.http.port == 7680)
    }
}
