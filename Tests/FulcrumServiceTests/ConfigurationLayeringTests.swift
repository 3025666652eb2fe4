import FulcrumService
import FulcrumSettings
import FulcrumTestSupport
import Testing

@Suite("A configuration file layers over the embedded default")
struct ConfigurationLayeringTests {
    static func load(_ text: String) throws -> FulcrumConfiguration {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        return try FulcrumConfiguration.load(path: try directory.write(text, to: "fulcrum.yaml"), environment: [:])
    }

    static let feed = """
        ingest:
          feeds: [{name: bus, endpoint: "tcp://127.0.0.1:5555", bind: true}]

        """

    @Test("A file that names only ports keeps the simulated market and its feed, and validates")
    func portsOnly() throws {
        let configuration = try Self.load("publisher:\n  publishEndpoint: tcp://127.0.0.1:9601\n")
        #expect(configuration.simulator.enabled)
        #expect(configuration.ingest.feeds.map(\.name) == ["simulated"])
        #expect(configuration.ingest.feeds.first?.endpoint == configuration.simulator.endpoint)
        #expect(configuration.publisher.publishEndpoint == "tcp://127.0.0.1:9601")
        #expect(throws: Never.self) { try configuration.validate() }
    }

    @Test("A file that names feeds runs them alone; the simulator only if it enables it, with its feed added")
    func namedFeeds() throws {
        let own = try Self.load(Self.feed)
        #expect(!own.simulator.enabled && own.ingest.feeds.map(\.name) == ["bus"])
        let both = try Self.load(Self.feed + "simulator:\n  enabled: true\n")
        #expect(both.simulator.enabled && both.ingest.feeds.map(\.name) == ["bus", "simulated"])
        #expect(throws: Never.self) { try both.validate() }
    }

    @Test("simulator.enabled alone brings the simulator's feed back; its endpoint follows the simulator's")
    func simulatorAlone() throws {
        let moved = try Self.load("simulator:\n  enabled: true\n  endpoint: inproc://elsewhere\n")
        #expect(moved.ingest.feeds.map(\.endpoint) == ["inproc://elsewhere"])
        // A simulator published over tcp and read back by a feed of its name is not added twice.
        let tcp = try Self.load("""
            simulator: {enabled: true, endpoint: "tcp://0.0.0.0:5555"}
            ingest:
              feeds: [{name: simulated, endpoint: "tcp://127.0.0.1:5555"}]
            """)
        #expect(tcp.ingest.feeds.map(\.endpoint) == ["tcp://127.0.0.1:5555"])
    }

    @Test("Turning the simulator off without naming feeds leaves none, and validation names ingest.feeds")
    func noSource() throws {
        let configuration = try Self.load("simulator:\n  enabled: false\n")
        #expect(configuration.ingest.feeds.isEmpty)
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
        do { try configuration.validate() } catch { #expect("\(error)".contains("ingest.feeds")) }
    }
}
