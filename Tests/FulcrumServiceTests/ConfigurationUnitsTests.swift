import Foundation
import FulcrumService
import FulcrumSettings
import Testing
@testable import ConfigurationLoading

/// Durations and counts are not confused: a duration key takes a unit (or whole nanoseconds), any other number key
/// refuses one, naming the unit its name gives; and a check reports every error of a file.
@Suite("Units of configuration keys")
struct ConfigurationUnitsTests {
    static let feed = ConfigurationLoaderTests.feed

    @Test("Every kind of duration key is known: listed event-time keys, NanosecondDuration settings, …Ns keys")
    func durationKeys() {
        let durations = ["estimation.halfLife", "estimation.gridInterval", "ingest.validation.sequenceRestartGap",
                         "checkpoint.interval", "publisher.heartbeatInterval", "http.feedFreshness",
                         "recording.flushIntervalNs", "ingest.feedSilenceStaleAfter", "shutdownTimeout",
                         "logging.rateLimitInterval", "model.governance.cooldownNs",
                         "model.assetOverrides.SOL.governance.cooldownNs", "model.coverage.liquidationHorizonNs"]
        for key in durations {
            #expect(ConfigurationLoader.isDuration(key, in: FulcrumConfiguration.self,
                                                   defaults: FulcrumConfiguration()), "\(key)")
        }
        let counts = ["estimation.warmupESS", "estimation.window", "publisher.lingerMilliseconds",
                      "http.dashboardRefreshMilliseconds", "model.coverage.tailProbability", "recording.bufferBytes",
                      "ingest.filter.confirmingVenues"]
        for key in counts {
            #expect(!ConfigurationLoader.isDuration(key, in: FulcrumConfiguration.self,
                                                    defaults: FulcrumConfiguration()), "\(key)")
        }
    }

    @Test("The listed duration keys exist: a renamed key cannot leave a stale entry")
    func listedKeysExist() throws {
        let defaults = try ConfigurationLoader.encode(FulcrumConfiguration())
        for key in FulcrumConfiguration.configurationRules.durations {
            let node = defaults.descendant(at: ConfigurationPath(key: key))
            #expect(node?.kind == .integer, "\(key) is not an integer key of the defaults")
        }
    }

    @Test("A count given a duration is an error naming it a count; a number of some unit names the unit")
    func countsRefuseUnits() {
        let count = ConfigurationLoaderTests.error(Self.feed + "estimation:\n  warmupESS: 5s\n")
        #expect(count?.key == "estimation.warmupESS" && count?.line == 6, "\(String(describing: count))")
        #expect(count?.message.contains("warmupESS is a count") == true, "\(String(describing: count))")
        let integer = ConfigurationLoaderTests.error(Self.feed + "estimation:\n  window: \"300s\"\n")
        #expect(integer?.allowed == "an integer, without a unit", "\(String(describing: integer))")
        let linger = ConfigurationLoaderTests.error(Self.feed + "publisher:\n  lingerMilliseconds: 1.5s\n")
        #expect(linger?.message == "lingerMilliseconds is a number of milliseconds, not a duration: write 1500",
                "\(String(describing: linger))")
        #expect(linger?.allowed == "an integer of milliseconds, without a unit")
        let environment = ConfigurationLoaderTests.error(Self.feed,
                                                         environment: ["FULCRUM__ESTIMATION__WARMUP_ESS": "5s"])
        #expect(environment?.key == "estimation.warmupESS", "\(String(describing: environment))")
        // Numbers in any of YAML's forms still are numbers.
        #expect((try? ConfigurationLoaderTests.load(Self.feed + "estimation:\n  warmupESS: '40'\n"))?
            .estimation.warmupESS == 40)
    }

    @Test("A duration takes a unit or whole nanoseconds; a fraction without a unit is refused")
    func durationsTakeUnits() throws {
        let units = try ConfigurationLoaderTests.load(Self.feed + "estimation:\n  halfLife: 90s\n")
        #expect(units.estimation.halfLife == 90_000_000_000)
        let nanoseconds = try ConfigurationLoaderTests.load(Self.feed + "estimation:\n  halfLife: 9e10\n")
        #expect(nanoseconds.estimation.halfLife == 90_000_000_000)
        let fraction = ConfigurationLoaderTests.error(Self.feed + "estimation:\n  halfLife: 2.5\n")
        #expect(fraction?.key == "estimation.halfLife" && fraction?.line == 6)
        #expect(fraction?.message.contains("whole nanoseconds; write its unit, e.g. 2.5s") == true,
                "\(String(describing: fraction))")
        let override = ConfigurationLoaderTests.error(Self.feed + """
            model:
              assetOverrides:
                SOL:
                  governance:
                    cooldownNs: 0.5
            """)
        #expect(override?.key == "model.assetOverrides.SOL.governance.cooldownNs", "\(String(describing: override))")
    }

    @Test("A word YAML reads as a boolean names the line and says to quote it")
    func quoteBooleans() {
        let error = ConfigurationLoaderTests.error(Self.feed + "logging:\n  level: on\n")
        #expect(error?.key == "logging.level" && error?.line == 6, "\(String(describing: error))")
        #expect(error?.message == #"YAML reads on unquoted as a boolean; write "on" in quotes"#)
    }

    @Test("A check collects every error, loader's and validation's, in order, without repeating one")
    func checkCollects() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-\(UUID().uuidString).yaml")
        try (Self.feed + """
            estimation:
              warmupESS: 1m
              halfLife: 0
            http:
              adress: x
              address: "nowhere"
            """).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = FulcrumConfiguration.check(path: file.path, environment: [:])
        #expect(result.configuration == nil)
        let keys = result.problems.compactMap { ($0 as? ConfigurationError)?.key }
        #expect(keys == ["estimation.warmupESS", "http.adress", "estimation.halfLife", "http.address"], "\(keys)")

        // A default that fails too (no feed at all) is reported once, and the check stops there.
        let empty = FulcrumConfiguration.check(path: nil, environment: ["FULCRUM__SIMULATOR__ENABLED": "false"])
        #expect(empty.problems.compactMap { ($0 as? ConfigurationError)?.key } == ["ingest.feeds"],
                "\(empty.problems)")
        #expect(FulcrumConfiguration.check(path: nil, environment: [:]).configuration != nil)
    }
}
