import Foundation
import FulcrumService
import FulcrumTestSupport
import Testing
@testable import ConfigurationLoading

/// The typed configurations the tests build (``FulcrumConfiguration/smallEngine()``,
/// ``FulcrumConfiguration/checkpointedEngine(gridInterval:coverageWindow:discovery:)``) equal what the loader
/// makes of the same settings written as YAML, field for field.
@Suite("Typed test configurations equal their YAML twins")
struct TestConfigurationTwinTests {
    static func load(_ yaml: String) throws -> FulcrumConfiguration {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("twin.yaml")
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return try ConfigurationLoader.load(FulcrumConfiguration.self, defaults: FulcrumConfiguration(), path: path)
    }

    static func encoded(_ configuration: FulcrumConfiguration) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(configuration), as: UTF8.self)
    }

    static let smallEngineYAML = """
        ingest:
          feeds:
            - name: test
              endpoint: tcp://127.0.0.1:5999
          symbols:
            allowList: [AAA, BBB]
          validation:
            maximumAge: 1h
        estimation:
          gridInterval: 1s
          halfLife: 10s
          warmupESS: 5
        """

    @Test("smallEngine")
    func smallEngine() throws {
        #expect(try Self.encoded(.smallEngine()) == Self.encoded(Self.load(Self.smallEngineYAML)))
    }

    @Test("checkpointedEngine", arguments: [(1_000_000_000, "1s", 30, false), (2_000_000_000, "2s", 60, true)])
    func checkpointedEngine(grid: Int64, gridText: String, window: Int, discovery: Bool) throws {
        let yaml = """
            ingest:
              feeds:
                - name: test
                  endpoint: tcp://127.0.0.1:5999
              symbols:
                allowList: \(discovery ? "[]" : "[AAA, BBB]")
              validation:
                maximumAge: 1h
            estimation:
              gridInterval: \(gridText)
              halfLife: 10s
              warmupESS: 5
              residualCapacity: 200
            model:
              coverage:
                minimumResidualCount: 50
                liquidationHorizonNs: 3000000000
              governance:
                refreshIntervalNs: 1s
            coverage:
              enabled: true
              window: \(window)
              includeWarming: true
              widening:
                enabled: true
              portfolios:
                - name: pair
                  positions: {AAA: 100, BBB: -50}
            """
        let typed = FulcrumConfiguration.checkpointedEngine(gridInterval: grid, coverageWindow: window,
                                                            discovery: discovery)
        #expect(try Self.encoded(typed) == Self.encoded(Self.load(yaml)))
    }
}
