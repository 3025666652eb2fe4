import Foundation
import FulcrumOperations
import FulcrumSettings
import MarginModel
import MarketData
import RiskEstimation
import RiskFeed
import Testing
@testable import ConfigurationLoading
@testable import FulcrumService
import Yams
import ZeroMQ

/// Loading YAML over the defaults, environment overrides, and the errors `fulcrum config check` prints.
@Suite("Configuration loading")
struct ConfigurationLoaderTests {
    static let feed = "ingest:\n  feeds:\n    - name: a\n      endpoint: tcp://127.0.0.1:5555\n"

    static func load(_ yaml: String, environment: [String: String] = [:],
                     validating: Bool = true) throws -> FulcrumConfiguration {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-\(UUID().uuidString).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let configuration = try ConfigurationLoader.load(
            FulcrumConfiguration.self, defaults: FulcrumConfiguration(), path: file.path, environment: environment)
        if validating { try configuration.validate() }
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
        #expect(configuration.http.feedFreshness == .seconds(45))
        #expect(configuration.http.livenessTimeout == HTTPSettings().livenessTimeout)
        #expect(configuration.shutdownTimeout == .milliseconds(2_500))
        #expect(configuration.logging.rateLimitInterval == .seconds(60))
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
        #expect(configuration.http.feedFreshness == .seconds(5))
        #expect(configuration.shutdownTimeout == .seconds(20))
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

    @Test("Scalars mean what YAML says: every boolean spelling, whole numbers in any form, durations for numbers")
    func scalarForms() throws {
        for word in ["yes", "on", "true", "True", "TRUE"] {
            #expect(try Self.load(Self.feed + "publisher:\n  publishJSON: \(word)\n").publisher.publishJSON, "\(word)")
        }
        for word in ["no", "off", "false", "False"] {
            #expect(try !Self.load(Self.feed + "publisher:\n  publishJSON: \(word)\n").publisher.publishJSON, "\(word)")
        }
        Self.expectError(Self.feed + "publisher:\n  publishJSON: \"true\"\n", key: "publisher.publishJSON",
                         value: "true", allowed: "true or false")
        Self.expectError(Self.feed + "publisher:\n  publishJSON: 1\n", key: "publisher.publishJSON", value: "1",
                         allowed: "true or false")
        let integers: [(String, Int)] = [("1e4", 10_000), ("1.0e4", 10_000), ("2.0", 2), ("0x10", 16), ("0o17", 15),
                                         ("1_000", 1_000), ("1:30", 90), ("+5", 5), ("\"100\"", 100), ("'100'", 100)]
        for (text, value) in integers {
            let configuration = try Self.load(Self.feed + "publisher:\n  sendHighWaterMark: \(text)\n")
            #expect(configuration.publisher.sendHighWaterMark == value, "\(text)")
        }
        let nanoseconds: [(String, Int64)] = [("2s", 2_000_000_000), ("\"2s\"", 2_000_000_000), ("1.5s", 1_500_000_000),
                                              ("2 s", 2_000_000_000), ("100us", 100_000), ("1e9", 1_000_000_000),
                                              ("\"1e9\"", 1_000_000_000), ("2.5e9", 2_500_000_000), ("10", 10),
                                              ("0x3B9ACA00", 1_000_000_000), ("1_000_000_000", 1_000_000_000)]
        for (text, value) in nanoseconds {
            let configuration = try Self.load(Self.feed + "estimation:\n  halfLife: \(text)\n", validating: false)
            #expect(configuration.estimation.halfLife == value, "\(text)")
        }
        let durations = "a duration with a unit such as 250ms, 5s, 2h (a bare number is nanoseconds)"
        Self.expectError(Self.feed + "estimation:\n  halfLife: -1s\n", key: "estimation.halfLife", value: "-1s",
                         allowed: durations)
        Self.expectError(Self.feed + "estimation:\n  halfLife: ~\n", key: "estimation.halfLife", value: "null",
                         allowed: durations)
        Self.expectError(Self.feed + "estimation:\n  halfLife: yes\n", key: "estimation.halfLife", value: "yes",
                         allowed: "an integer")
        Self.expectError(Self.feed + "estimation:\n  halfLife: 1e19\n", key: "estimation.halfLife", value: "1e+19",
                         allowed: "a whole number in range")
        Self.expectError(Self.feed + "publisher:\n  sendHighWaterMark: .inf\n", key: "publisher.sendHighWaterMark",
                         value: ".inf", allowed: "a finite number")
        #expect(try Self.load(Self.feed + "simulator:\n  ticksPerSecond: 1e2\n").simulator.ticksPerSecond == 100)
        #expect(try Self.load(Self.feed + "simulator:\n  ticksPerSecond: '7.5'\n").simulator.ticksPerSecond == 7.5)
    }

    @Test("A plain number, boolean or null is not a string: quoted it is")
    func stringsAreWords() throws {
        Self.expectError(Self.feed + "http:\n  address: 123\n", key: "http.address", value: "123", allowed: "a string",
                         message: #"YAML reads 123 unquoted as a number; write "123" in quotes"#)
        Self.expectError(Self.feed + "http:\n  address: 0x10\n", key: "http.address", value: "16", allowed: "a string")
        Self.expectError(Self.feed + "http:\n  address: yes\n", key: "http.address", value: "yes", allowed: "a string")
        Self.expectError(Self.feed + "http:\n  address: ~\n", key: "http.address", value: "null", allowed: "a string",
                         message: "missing value")
        Self.expectError(Self.feed + "  symbols:\n    allowList: [AAA, 1]\n",
                         key: "ingest.symbols.allowList[1]", value: "1", allowed: "a string")
        Self.expectError(Self.feed + "security:\n  curve:\n    feedServerKeys: {x: 123}\n",
                         key: "security.curve.feedServerKeys.x", value: "123", allowed: "a string")
        // `off` is one of the mode's words, but unquoted YAML reads it as a boolean.
        Self.expectError(Self.feed + "model:\n  antiProcyclicality:\n    mode: off\n",
                         key: "model.antiProcyclicality.mode", value: "off",
                         allowed: "off | stressedVolatilityFloor | buffer")
        let quoted = try Self.load(Self.feed + "model:\n  antiProcyclicality:\n    mode: \"off\"\n")
        #expect(quoted.model.antiProcyclicality.mode == .off)
        #expect(try Self.load(Self.feed + "http:\n  address: '127.0.0.1:80'\n").http.address == "127.0.0.1:80")
        // A null for a key the decoder may leave out keeps its default.
        #expect(try Self.load(Self.feed + "estimation:\n  method: ~\n").estimation.method == .ewma)
    }

    @Test("YAML anchors and merge keys are read as YAML defines them")
    func mergeKeys() throws {
        let configuration = try Self.load(Self.feed + """
            model:
              assetOverrides:
                BTC-USD: &major
                  maximumLeverage: 20
                  governance: {cooldownNs: 1m}
                ETH-USD:
                  <<: *major
                  maximumLeverage: 10
            """)
        let overrides = configuration.model.assetOverrides
        #expect(overrides["BTC-USD"]?.maximumLeverage == 20 && overrides["ETH-USD"]?.maximumLeverage == 10)
        #expect(overrides["ETH-USD"]?.governance?.cooldownNs == 60_000_000_000)
        Self.expectError(Self.feed + "model:\n  assetOverrides:\n    BTC: {<<: {maxLeverage: 5}}\n",
                         key: "model.assetOverrides.BTC.maxLeverage", value: "5",
                         allowed: "one of: averageDailyVolumeNotional, governance, liquidationHorizonNs, "
                            + "maximumInitialMarginFraction, maximumLeverage, maximumNotional, "
                            + "minimumInitialMarginFraction, minimumMaintenanceMarginFraction, openInterestLowerCap, "
                            + "openInterestUpperCap, tailProbability, tierLowerBounds")
    }

    @Test("An error about a value of the file names its line and column; one from the environment has none")
    func errorsNameTheirPlace() throws {
        let unknown = try #require(Self.error(Self.feed + "http:\n  adress: 127.0.0.1:1\n"))
        #expect(unknown.line == 6 && unknown.column == 3)
        #expect(unknown.description.hasPrefix("configuration error at http.adress (line 6, column 3): unknown key"))
        let fraction = try #require(Self.error(Self.feed + "publisher:\n  sendHighWaterMark: 1.5\n"))
        #expect(fraction.line == 6 && fraction.column == 22)
        let word = try #require(Self.error("ingest:\n  feeds:\n    - name: a\n      encoding: xml\n"))
        #expect(word.key == "ingest.feeds[0].encoding" && word.line == 4 && word.column == 17)
        let environment = try #require(Self.error(Self.feed, environment: ["FULCRUM__HTTP__ENABLED": "maybe"]))
        #expect(environment.key == "http.enabled" && environment.line == nil && environment.column == nil)
    }

    @Test("The embedded default validates and keeps HTTP on the loopback port 7680")
    func embeddedDefault() throws {
        let configuration = FulcrumConfiguration.embeddedDefault
        try configuration.validate()
        #expect(configuration.http.enabled)
        #expect(configuration.http.host == "127.0.0.1" && configuration.http.port == 7680)
    }

    /// Asserts that `yaml` (with `environment`) is refused with exactly this key, value and allowed text.
    static func expectError(_ yaml: String, environment: [String: String] = [:], key: String, value: String,
                            allowed: String, message: String? = nil,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error = Self.error(yaml, environment: environment) else {
            Issue.record("expected \(key) to be refused", sourceLocation: sourceLocation)
            return
        }
        #expect(error.key == key, sourceLocation: sourceLocation)
        #expect(error.value == value, sourceLocation: sourceLocation)
        #expect(error.allowed == allowed, sourceLocation: sourceLocation)
        if let message { #expect(error.message == message, sourceLocation: sourceLocation) }
    }

    @Test("An asset override may replace governance settings, with durations in units")
    func assetGovernanceOverride() throws {
        let configuration = try Self.load(Self.feed + """
            model:
              assetOverrides:
                BTC-USD:
                  maximumLeverage: 50
                  liquidationHorizonNs: 30m
                  governance:
                    maximumRelativeStep: 0.05
                    cooldownNs: 5m
            """)
        let override = try #require(configuration.model.assetOverrides["BTC-USD"])
        #expect(override.maximumLeverage == 50)
        #expect(override.liquidationHorizonNs == 1_800_000_000_000)
        #expect(override.tailProbability == nil, "an entry carries only the keys it names")
        #expect(override.governance
                    == AssetGovernanceOverrides(maximumRelativeStep: 0.05, cooldownNs: 300_000_000_000))
        let optimizer = try MarginOptimizer(configuration: configuration.model, symbols: ["BTC-USD", "ETH-USD"])
        #expect(optimizer.governance(ofAsset: 0).cooldownNs == 300_000_000_000)
        #expect(optimizer.governance(ofAsset: 0).refreshIntervalNs
                    == configuration.model.governance.refreshIntervalNs)
        #expect(optimizer.governance(ofAsset: 1) == configuration.model.governance)
    }

    @Test("A misspelled key inside an asset override is refused like any unknown key")
    func unknownOverrideKeys() {
        let overrideKeys = "averageDailyVolumeNotional, governance, liquidationHorizonNs, "
            + "maximumInitialMarginFraction, maximumLeverage, maximumNotional, minimumInitialMarginFraction, "
            + "minimumMaintenanceMarginFraction, "
            + "openInterestLowerCap, openInterestUpperCap, tailProbability, tierLowerBounds"
        Self.expectError(Self.feed + "model:\n  assetOverrides:\n    BTC-USD:\n      tailProbabilty: 0.02\n",
                         key: "model.assetOverrides.BTC-USD.tailProbabilty", value: "0.02",
                         allowed: "one of: " + overrideKeys, message: "unknown key")
        Self.expectError(Self.feed + """
            model:
              assetOverrides:
                BTC-USD:
                  governance:
                    maxStepDown: 0.2
            """, key: "model.assetOverrides.BTC-USD.governance.maxStepDown", value: "0.2",
            allowed: "one of: cooldownNs, hysteresisBasisPoints, maximumRelativeStep, refreshIntervalNs",
            message: "unknown key")
        // The same error as a misspelled key of a fixed section.
        Self.expectError(Self.feed + "model:\n  governance:\n    maxStepDown: 0.2\n",
                         key: "model.governance.maxStepDown", value: "0.2",
                         allowed: "one of: cooldownNs, hysteresisBasisPoints, maximumRelativeStep, refreshIntervalNs",
                         message: "unknown key")
        // A whole map given in the environment is held to the same keys.
        Self.expectError(Self.feed, environment: ["FULCRUM__MODEL__ASSET_OVERRIDES": "{SOL: {maxLeverage: 5}}"],
                         key: "model.assetOverrides.SOL.maxLeverage", value: "5", allowed: "one of: " + overrideKeys)
    }

    @Test("Bad words for enumerations list the allowed words; type mismatches name the expected type")
    func enumerationsAndTypes() throws {
        Self.expectError(Self.feed + "estimation:\n  method: foo\n", key: "estimation.method", value: "foo",
                         allowed: "ewma | window")
        Self.expectError(Self.feed + "model:\n  coverage:\n    riskMeasure: 99\n", key: "model.coverage.riskMeasure",
                         value: "99", allowed: "expectedShortfall | valueAtRisk")
        Self.expectError("ingest:\n  feeds:\n    - name: a\n      encoding: xml\n", key: "ingest.feeds[0].encoding",
                         value: "xml", allowed: "fulcrum-protobuf | cryptofeed")
        Self.expectError(Self.feed + "  gridPrice: last\n", key: "ingest.gridPrice", value: "last",
                         allowed: "trade | mid | mark")
        #expect(try Self.load(Self.feed + "  gridPrice: mark\n").ingest.gridPrice == .mark)
        #expect(try Self.load(Self.feed).ingest.gridPrice == .trade)
        Self.expectError(Self.feed + "publisher:\n  publishJSON: maybe\n", key: "publisher.publishJSON",
                         value: "maybe", allowed: "true or false")
        Self.expectError(Self.feed + "model:\n  leverage:\n    leverageSteps: [1, x]\n",
                         key: "model.leverage.leverageSteps[1]", value: "x", allowed: "an integer")
        Self.expectError(Self.feed + "model:\n  assetOverrides:\n    SOL:\n      tierLowerBounds: 5\n",
                         key: "model.assetOverrides.SOL.tierLowerBounds", value: "5", allowed: "a list")
        Self.expectError(Self.feed + "http:\n  address: [a, b]\n", key: "http.address", value: "[\"a\",\"b\"]",
                         allowed: "a string")
        Self.expectError(Self.feed + "estimation:\n  halfLife: {a: 1}\n", key: "estimation.halfLife",
                         value: "{\"a\":1}", allowed: "a duration with a unit such as 250ms, 5s, 2h (a bare number is nanoseconds)")
        // JSONDecoder reports a number its key's integer type cannot hold without saying where.
        Self.expectError(Self.feed + "publisher:\n  sendHighWaterMark: 1.5\n", key: "publisher.sendHighWaterMark",
                         value: "1.5", allowed: "a whole number")
        Self.expectError(Self.feed + "model:\n  leverage:\n    leverageSteps: [1, 2.5]\n",
                         key: "model.leverage.leverageSteps[1]", value: "2.5", allowed: "a whole number")
        Self.expectError(Self.feed + "model:\n  assetOverrides:\n    SOL:\n      maximumLeverage: 1.0e+30\n",
                         key: "model.assetOverrides.SOL.maximumLeverage", value: "1e+30",
                         allowed: "a whole number in range")
    }

    @Test("Every word-valued key with a fixed set of words lists them when given another")
    func everyEnumerationListsItsWords() throws {
        // Each string leaf of the defaults, set to a word no enumeration has: a key that refuses it at decoding
        // must say which words it takes (the rules' choices are complete).
        let tree = try ConfigurationLoader.encode(FulcrumConfiguration.embeddedDefault)
        var checked = 0
        func visit(_ node: Node, _ path: [String]) {
            if case .mapping(let section) = node {
                for (name, child) in section { visit(child, path + [name.string ?? ""]) }
            } else if node.kind == .string {
                let variable = "FULCRUM__" + path.joined(separator: "__")
                guard let error = Self.error(Self.feed, environment: [variable: "not-a-word"]) else { return }
                checked += 1
                guard error.key == path.joined(separator: ".") else { return }
                #expect(!error.allowed.hasPrefix("a string") && error.allowed != "a valid value"
                            && !error.allowed.hasPrefix("a value of type"),
                        "\(error.key) refuses a word without naming the allowed ones: \(error)")
            }
        }
        visit(tree, [])
        #expect(checked >= 5)
    }

    @Test("Range errors of the estimation and model sections name the key with its section")
    func rangeErrorsCarryTheSection() {
        Self.expectError(Self.feed + "estimation:\n  halfLife: 0\n", key: "estimation.halfLife", value: "0",
                         allowed: "> 0 ns")
        Self.expectError(Self.feed + "estimation:\n  shrinkage:\n    fixed:\n      intensity: 2\n",
                         key: "estimation.shrinkage.fixed.intensity", value: "2.0", allowed: "0 ≤ intensity ≤ 1")
        Self.expectError(Self.feed + "model:\n  coverage:\n    tailProbability: 0.7\n",
                         key: "model.coverage.tailProbability", value: "0.7", allowed: "a probability in (0, 0.5)")
        Self.expectError(Self.feed + """
            model:
              assetOverrides:
                BTC-USD:
                  governance:
                    maximumRelativeStep: 1.5
            """, key: "model.assetOverrides.BTC-USD.governance.maximumRelativeStep", value: "1.5",
            allowed: "a fraction in (0, 1)")
    }

    @Test("The correlation model names full or factors; factors refuse Ledoit–Wolf and bad counts by key")
    func correlationModelAlternatives() throws {
        let factors = try Self.load(
            Self.feed + "estimation:\n  correlationModel:\n    factors:\n      factors: 24\n")
        guard case .factors(let model) = factors.estimation.correlationModel else {
            Issue.record("expected the factor model, got \(factors.estimation.correlationModel)")
            return
        }
        #expect(model.factors == 24 && model.orthonormalizationPeriod == FactorConfiguration().orthonormalizationPeriod)
        #expect(try Self.load(Self.feed).estimation.correlationModel == .full)
        #expect(try Self.load(Self.feed + "estimation:\n  correlationModel: {full: {}}\n").estimation.correlationModel
            == .full)
        Self.expectError(Self.feed + "estimation:\n  correlationModel:\n    factors:\n      factors: 65\n",
                         key: "estimation.correlationModel.factors.factors", value: "65", allowed: "1...64")
        Self.expectError(Self.feed + "estimation:\n  correlationModel:\n    pca: {}\n",
                         key: "estimation.correlationModel.pca", value: "{}", allowed: "one of: factors, full")
        let refused = Self.feed + """
            estimation:
              shrinkage:
                ledoitWolf: {}
              correlationModel:
                factors: {}
            """
        let error = try #require(Self.error(refused))
        #expect(error.key == "estimation.correlationModel" && error.value == "factors")
        #expect(error.allowed.contains("ledoitWolf"), "\(error.allowed)")
    }

    @Test("Shrinkage names one alternative with only its own keys")
    func shrinkageAlternatives() throws {
        let fixed = try Self.load(Self.feed + "estimation:\n  shrinkage:\n    fixed:\n      intensity: 0.3\n")
        #expect(fixed.estimation.shrinkage == .fixed(intensity: 0.3, target: .identity))
        let wolf = try Self.load(
            Self.feed + "estimation:\n  shrinkage:\n    ledoitWolf:\n      target: constantCorrelation\n")
        #expect(wolf.estimation.shrinkage == .ledoitWolf(target: .constantCorrelation))
        Self.expectError(Self.feed + "estimation:\n  shrinkage:\n    ledoitWolf:\n      target: zero\n",
                         key: "estimation.shrinkage.ledoitWolf.target", value: "zero",
                         allowed: "identity | constantCorrelation")
        Self.expectError(Self.feed + "estimation:\n  shrinkage:\n    oracle: {}\n",
                         key: "estimation.shrinkage.oracle", value: "{}", allowed: "one of: fixed, ledoitWolf, none")
        Self.expectError(Self.feed + "estimation:\n  shrinkage: {none: {}, ledoitWolf: {}}\n",
                         key: "estimation.shrinkage", value: "{\"ledoitWolf\":{},\"none\":{}}",
                         allowed: "none | fixed | ledoitWolf")
    }

    @Test("Logging level, endpoints, linger and heartbeat are checked")
    func serviceSettings() {
        Self.expectError(Self.feed + "logging:\n  level: verbose\n", key: "logging.level", value: "verbose",
                         allowed: "trace | debug | info | notice | warning | error | critical")
        let endpoints = EndpointRule.description
        Self.expectError(Self.feed + "publisher:\n  publishEndpoint: http://127.0.0.1:7601\n",
                         key: "publisher.publishEndpoint", value: "http://127.0.0.1:7601", allowed: endpoints)
        Self.expectError(Self.feed + "publisher:\n  snapshotEndpoint: 'tcp://'\n", key: "publisher.snapshotEndpoint",
                         value: "tcp://", allowed: endpoints)
        Self.expectError(Self.feed + "publisher:\n  lingerMilliseconds: -1\n", key: "publisher.lingerMilliseconds",
                         value: "-1", allowed: "an integer ≥ 0 (an infinite linger would leave shutdown unbounded)")
        Self.expectError(Self.feed + "publisher:\n  heartbeatInterval: 2s\n", key: "publisher.heartbeatInterval",
                         value: "2000000000", allowed: "1ms ... 1s")
        #expect(Self.error(Self.feed + "publisher:\n  heartbeatInterval: 1s\n  publishEndpoint: 'tcp://*:7601'\n"
                            + "  snapshotEndpoint: ipc:///tmp/fulcrum-snapshot\n") == nil)
        // Feed endpoints: the feed's own configuration checks the transport, then the service the port (a feed
        // that binds may take `*`).
        Self.expectError("ingest:\n  feeds:\n    - name: a\n      endpoint: 'inproc://'\n",
                         key: "ingest.feeds[0].endpoint", value: "inproc://", allowed: FeedConfiguration.endpointRule,
                         message: "invalid endpoint")
        Self.expectError("ingest:\n  feeds:\n    - name: a\n      endpoint: 'tcp://127.0.0.1:99999'\n",
                         key: "ingest.feeds[0].endpoint", value: "tcp://127.0.0.1:99999", allowed: endpoints,
                         message: "invalid endpoint: port 99999 is not in 1 … 65535")
    }

    @Test("The publisher section is the publisher's own configuration, beside the engine's portfolioEverySteps")
    func publisherSection() throws {
        let configuration = try Self.load(Self.feed + """
            publisher:
              publishEndpoint: ipc:///tmp/fulcrum-publish
              heartbeatInterval: 200ms
              sendHighWaterMark: 20
              publishJSON: false
              portfolioEverySteps: 5
            """, environment: ["FULCRUM__PUBLISHER__LINGER_MILLISECONDS": "250"])
        let publisher = configuration.publisher.configuration
        #expect(publisher.publishEndpoint == "ipc:///tmp/fulcrum-publish")
        #expect(publisher.snapshotEndpoint == PublisherConfiguration().snapshotEndpoint)
        #expect(publisher.heartbeatInterval == .milliseconds(200))
        #expect(publisher.sendHighWaterMark == 20 && !publisher.publishJSON && publisher.lingerMilliseconds == 250)
        #expect(configuration.publisher.portfolioEverySteps == 5 && configuration.engine.portfolioEverySteps == 5)
        // The file's form: the same keys as ever, the heartbeat in nanoseconds, nothing decided at run time.
        let section = try #require(try ConfigurationLoader.encode(configuration)["publisher"]?.mapping)
        #expect(section.keys.compactMap(\.string).sorted() == [
            "heartbeatInterval", "lingerMilliseconds", "portfolioEverySteps", "publishEndpoint", "publishJSON",
            "sendHighWaterMark", "snapshotEndpoint",
        ])
        #expect(section["heartbeatInterval"]?.int == 200_000_000)
    }

    @Test("The simulator section is the simulated feed's own configuration")
    func simulatorSection() throws {
        let configuration = try Self.load(Self.feed + "simulator:\n  enabled: true\n  ticksPerSecond: 5\n",
                                          environment: ["FULCRUM__SIMULATOR__MARKET__SEED": "7"])
        #expect(configuration.simulator.enabled && configuration.simulator.ticksPerSecond == 5)
        #expect(configuration.simulator.market.seed == 7)
        #expect(configuration.simulator.endpoint == SimulatedFeed.Configuration().endpoint)
    }
}
