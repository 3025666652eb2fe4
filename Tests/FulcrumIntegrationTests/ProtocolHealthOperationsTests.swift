import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import Testing

/// Protocol health on the operations endpoint of a running Fulcrum: the embedded simulated market and its
/// simulated position book with health on, scraped at `/metrics` and `/parameters`, and the dashboard's panel,
/// each compared with the health message published on the health socket for the same grid boundary.
@Suite("Protocol health on /metrics, /parameters and the dashboard", .serialized, .timeLimit(.minutes(4)))
struct ProtocolHealthOperationsTests {
    /// As in the health service's own test, with a long interval: one message stands for 20 s, long enough to
    /// read every endpoint while it is the latest.
    static func configuration(healthPort: Int) -> FulcrumConfiguration {
        var configuration = FulcrumConfiguration.embeddedDefault
        configuration.health.publishEndpoint = "tcp://127.0.0.1:\(healthPort)"
        configuration.health.interval = .seconds(20)
        configuration.health.scenarios = 200
        configuration.health.simulatedAccounts = 500
        return configuration
    }

    /// The published health messages received so far, by `as_of_ns`.
    static func published(_ subscriber: FeedSubscriber) -> [Int64: Fulcrum_V1_ProtocolHealth] {
        var messages: [Int64: Fulcrum_V1_ProtocolHealth] = [:]
        for frame in subscriber.received where frame.topic == "health" {
            if let message = try? Fulcrum_V1_ProtocolHealth(serializedBytes: frame.payload) {
                messages[message.asOfNs] = message
            }
        }
        return messages
    }

    @Test("Every health gauge and the /parameters section equal the published message of the same as_of")
    func endpointsShowThePublishedMessage() async throws {
        let ports = try FreePorts.take(2)
        let configuration = Self.configuration(healthPort: ports[0])
        let subscriber = FeedSubscriber(endpoint: configuration.health.publishEndpoint, prefixes: ["health"])
        defer { subscriber.finish() }
        let fulcrum = try InProcessFulcrumHost(configuration: configuration, httpPort: ports[1])
        let base = "http://127.0.0.1:\(ports[1])"
        let session = Operations.session()
        let frames = try await subscriber.wait(timeout: .seconds(120)) { frames in
            frames.contains { $0.topic == "health" }
        }
        try #require(frames.contains { $0.topic == "health" }, "no health message; log:\n\(fulcrum.log)")

        // /metrics: once it shows a message, that message was published, and every figure is its own.
        var samples = PrometheusSamples("")
        let scraped = try await Operations.poll(base + "/metrics", session: session) { status, body in
            samples = PrometheusSamples(String(decoding: body, as: UTF8.self))
            return status == 200 && samples.value("fulcrum_health_as_of_seconds") != nil
        }
        try #require(scraped?.status == 200 && samples.value("fulcrum_health_as_of_seconds") != nil,
                     "no health gauge; log:\n\(fulcrum.log)")
        let messages = Self.published(subscriber)
        let scrapedAsOf = try #require(samples.value("fulcrum_health_as_of_seconds"))
        let health = try #require(messages.values.first { Double($0.asOfNs) / 1e9 == scrapedAsOf },
                                  "the scrape shows as_of \(scrapedAsOf), published \(messages.keys.sorted())")
        let protocolFigures: [(String, Double)] = [
            ("fulcrum_health_bad_debt_at_risk", health.badDebtAtRisk),
            ("fulcrum_health_bad_debt_expected_shortfall", health.badDebtExpectedShortfall),
            ("fulcrum_health_bad_debt_mean", health.meanBadDebt),
            ("fulcrum_health_liquidations_at_risk", health.liquidationsAtRisk),
            ("fulcrum_health_insurance_fund", health.insuranceFund),
            ("fulcrum_health_coverage_ratio", health.coverageRatio),
            ("fulcrum_health_confidence", health.confidence),
            ("fulcrum_health_cascade_depth_max", Double(health.deepestCascade)),
            ("fulcrum_health_scenarios", Double(health.scenarios)),
            ("fulcrum_health_scenarios_unconverged", Double(health.unconverged)),
            ("fulcrum_health_units", Double(health.units)),
            ("fulcrum_health_units_liquidatable", Double(health.liquidatableUnits)),
            ("fulcrum_health_positions", Double(health.positions)),
            ("fulcrum_health_equity", health.equity),
            ("fulcrum_health_maintenance", health.maintenance),
            ("fulcrum_health_compute_seconds", Double(health.computeNs) / 1e9),
        ]
        for (name, value) in protocolFigures {
            #expect(samples.value(name) == value, "\(name): scraped \(samples.value(name) ?? .nan), published \(value)")
        }
        #expect(health.positions > 0 && health.liquidationsAtRisk > 0)
        #expect((samples.value("fulcrum_health_age_seconds") ?? -1) >= 0)
        #expect(health.markets.count == configuration.simulator.market.assets.count)
        for market in health.markets {
            let symbol = market.symbol
            #expect(samples.value("fulcrum_health_market_notional", ["symbol": symbol, "side": "long"])
                == market.longNotional)
            #expect(samples.value("fulcrum_health_market_notional", ["symbol": symbol, "side": "short"])
                == market.shortNotional)
            #expect(samples.value("fulcrum_health_market_liquidatable_notional", ["symbol": symbol])
                == market.liquidatableNotional)
            #expect(samples.value("fulcrum_health_market_tail_bad_debt", ["symbol": symbol]) == market.tailBadDebt)
            for (index, value) in market.notionalWithinSigma.enumerated() {
                #expect(samples.value("fulcrum_health_market_notional_within_sigma",
                                      ["symbol": symbol, "sigma": "\(index + 1)"]) == value, "\(symbol) \(index + 1)σ")
            }
        }
        // The alert rules and the Grafana dashboard name only health families this scrape exports.
        let scrapeText = String(decoding: try #require(await Operations.get(base + "/metrics", session: session)).body,
                                as: UTF8.self)
        let healthNamed = try OperationsPrometheusTests.namedMetrics().filter { $0.hasPrefix("fulcrum_health_") }
        #expect(healthNamed.count >= 10, "\(healthNamed.sorted())")
        let healthMissing = OperationsPrometheusTests.missing(
            healthNamed, from: OperationsPrometheusTests.names(after: "# TYPE ", in: scrapeText))
        #expect(healthMissing.isEmpty, "named in deploy/ but not exported: \(healthMissing.sorted())")
        // The simulated book is fixed: no position feed, so no position-feed series.
        #expect(samples.value("fulcrum_positions_updates_total", ["result": "applied"]) == nil)

        // /parameters: the section of the same message (decoded with JSONDecoder, which reads doubles exactly;
        // JSONSerialization on Linux may be one unit in the last place off).
        let reply = try #require(await Operations.get(base + "/parameters", session: session))
        let section = try #require(try JSONDecoder().decode(ParametersHealth.self, from: reply.body).health,
                                   "no health section")
        let shown = try #require(Self.published(subscriber)[section.asOfNs],
                                 "/parameters shows as_of \(section.asOfNs), which was not published")
        Self.expectSection(section, equals: shown)
        #expect(section.history.last?.timeNs == section.asOfNs)

        // The page served carries the panel (its rendering is checked in Chromium below, when installed).
        let page = String(decoding: try #require(await Operations.get(base + "/", session: session)).body, as: UTF8.self)
        for marker in ["id=\"health\"", "Protocol health", "renderHealth(d.health)", "data-health"] {
            #expect(page.contains(marker), "the dashboard lacks \(marker)")
        }
        if Operations.chromium != nil {
            try await Self.expectPanelRenders(base: base, session: session, subscriber: subscriber)
            // A screenshot of the page with the panel, for people.
            let directory = ProcessInfo.processInfo.environment["FULCRUM_SCREENSHOT_DIR"].map {
                URL(fileURLWithPath: $0, isDirectory: true)
            } ?? FileManager.default.temporaryDirectory
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let screenshot = directory.appendingPathComponent("fulcrum-dashboard-health.png")
            try? FileManager.default.removeItem(at: screenshot)
            _ = try await OperationsDashboardTests.chromium(["--screenshot=\(screenshot.path)", "--window-size=1400,1600"],
                                                            url: base + "/")
            let png = try Data(contentsOf: screenshot)
            #expect(png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
            print("dashboard screenshot with protocol health: \(screenshot.path)")
        }
        #expect(try await fulcrum.stop() == 0)
    }

    /// The part of `/parameters` this test reads, as a client would decode it.
    struct ParametersHealth: Decodable {
        struct Health: Decodable {
            struct Market: Decodable {
                var symbol: String
                var markPrice: Double?
                var longNotional: Double?
                var shortNotional: Double?
                var liquidatableNotional: Double?
                var tailBadDebt: Double?
                var notionalWithinSigma: [Double?]
            }

            struct Point: Decodable {
                var timeNs: Int64
            }

            var asOfNs: Int64
            var units: UInt64
            var positions: UInt64
            var liquidatableUnits: UInt64
            var equity: Double?
            var maintenance: Double?
            var scenarios: UInt32
            var confidence: Double?
            var badDebtAtRisk: Double?
            var badDebtExpectedShortfall: Double?
            var meanBadDebt: Double?
            var liquidationsAtRisk: Double?
            var insuranceFund: Double?
            var coverageRatio: Double?
            var deepestCascade: UInt32
            var unconverged: UInt32
            var markets: [Market]
            var positionFeed: [String: UInt64]?
            var history: [Point]
        }

        var health: Health?
    }

    /// Checks every protocol and per-market figure of a `/parameters` health section against `message`.
    static func expectSection(_ section: ParametersHealth.Health, equals message: Fulcrum_V1_ProtocolHealth) {
        let figures: [(String, Double?, Double)] = [
            ("badDebtAtRisk", section.badDebtAtRisk, message.badDebtAtRisk),
            ("badDebtExpectedShortfall", section.badDebtExpectedShortfall, message.badDebtExpectedShortfall),
            ("meanBadDebt", section.meanBadDebt, message.meanBadDebt),
            ("liquidationsAtRisk", section.liquidationsAtRisk, message.liquidationsAtRisk),
            ("insuranceFund", section.insuranceFund, message.insuranceFund),
            ("equity", section.equity, message.equity), ("maintenance", section.maintenance, message.maintenance),
            ("confidence", section.confidence, message.confidence),
            // null when infinite (no bad debt at risk)
            ("coverageRatio", section.coverageRatio ?? .infinity, message.coverageRatio),
        ]
        for (key, served, published) in figures {
            #expect(served == published, "health.\(key): served \(served ?? .nan), published \(published)")
        }
        #expect(section.units == message.units && section.positions == message.positions)
        #expect(section.liquidatableUnits == message.liquidatableUnits && section.scenarios == message.scenarios)
        #expect(section.deepestCascade == message.deepestCascade && section.unconverged == message.unconverged)
        #expect(section.positionFeed == nil, "the simulated book is fixed: no position feed")
        #expect(section.markets.map(\.symbol) == message.markets.map(\.symbol))
        for (served, market) in zip(section.markets, message.markets) {
            for (key, value, published) in [("markPrice", served.markPrice, market.markPrice),
                                            ("longNotional", served.longNotional, market.longNotional),
                                            ("shortNotional", served.shortNotional, market.shortNotional),
                                            ("liquidatableNotional", served.liquidatableNotional,
                                             market.liquidatableNotional),
                                            ("tailBadDebt", served.tailBadDebt, market.tailBadDebt)] {
                #expect(value == published, "\(market.symbol).\(key): served \(value ?? .nan), published \(published)")
            }
            #expect(served.notionalWithinSigma == market.notionalWithinSigma.map { $0 }, "\(market.symbol) within σ")
        }
    }

    /// Whether `shown`, a quote amount as the page prints it (`1.23k`, `4.56M`, 3 significant digits), displays
    /// `value`.
    static func displaysAmount(_ shown: String, _ value: Double) -> Bool {
        var text = shown
        var scale = 1.0
        for (suffix, factor) in [("k", 1e3), ("M", 1e6), ("B", 1e9)] where text.hasSuffix(suffix) {
            text.removeLast()
            scale = factor
        }
        guard let number = Double(text) else { return false }
        return abs(number * scale - value) <= 0.005 * abs(value) + 1e-12
    }

    /// Headless Chromium renders `/`: the panel shows the figures of the message it was given.
    static func expectPanelRenders(base: String, session: URLSession, subscriber: FeedSubscriber) async throws {
        let dom = try await OperationsDashboardTests.chromium(["--dump-dom"], url: base + "/")
        try #require(dom.contains("data-loaded=\"true\""), "the page never rendered data:\n\(dom.prefix(2_000))")
        #expect(dom.contains("id=\"health\" data-state=\"shown\""), "the health panel is not shown")
        var shown: [String: String] = [:]
        for groups in try OperationsDashboardTests.matches(#"data-health="(\w+)"(?: class="[^"]*")?>([^<]*)<"#,
                                                           in: dom) {
            shown[groups[0]] = groups[1]
        }
        var markets: [String: String] = [:]
        for groups in try OperationsDashboardTests.matches(#"data-market="([^"]*)" data-field="(\w+)">([^<]*)<"#,
                                                           in: dom) {
            markets["\(groups[0]).\(groups[1])"] = groups[2]
        }
        // The message the page drew: the one whose boundary it prints.
        let messages = Self.published(subscriber).values
        let message = try #require(messages.first { message in
            let date = Date(timeIntervalSince1970: Double(message.asOfNs) / 1e9)
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
            return shown["asOf"]?.hasPrefix(formatter.string(from: date)) == true
        }, "the page shows as of \(shown["asOf"] ?? "nothing"); published \(messages.map(\.asOfNs))")
        for (field, value) in [("badDebtAtRisk", message.badDebtAtRisk),
                               ("badDebtExpectedShortfall", message.badDebtExpectedShortfall),
                               ("meanBadDebt", message.meanBadDebt), ("liquidationsAtRisk", message.liquidationsAtRisk),
                               ("insuranceFund", message.insuranceFund)] {
            let text = try #require(shown[field], "\(field) is not on the page")
            #expect(Self.displaysAmount(text, value), "\(field): page \(text), published \(value)")
        }
        #expect(shown["deepestCascade"] == "\(message.deepestCascade)")
        #expect(shown["liquidatableUnits"] == "\(message.liquidatableUnits)")
        #expect(shown["units"] == "\(message.units)")
        let coverage = try #require(shown["coverageRatio"])
        if message.coverageRatio.isFinite {
            #expect(abs((Double(coverage) ?? .nan) - message.coverageRatio) <= 0.005 + 1e-12, "coverage \(coverage)")
        } else {
            #expect(coverage == "∞")
        }
        let coloured = try OperationsDashboardTests.matches(#"data-health="coverageRatio" class="value (\w+)""#,
                                                            in: dom).first
        #expect(coloured == [message.coverageRatio < 1 ? "bad" : "ok"])
        print("health panel rendered: \(shown.count) figures, \(markets.count) market cells, as of \(shown["asOf"] ?? "?")")
        #expect(dom.contains("data-health=\"distribution\""), "no distribution on the page")
        #expect(dom.contains("data-health=\"spark-badDebtAtRisk\""), "no bad-debt sparkline")
        for market in message.markets {
            for (field, value) in [("longNotional", market.longNotional), ("shortNotional", market.shortNotional),
                                   ("liquidatableNotional", market.liquidatableNotional),
                                   ("tailBadDebt", market.tailBadDebt), ("within1", market.notionalWithinSigma[0]),
                                   ("within3", market.notionalWithinSigma[2])] {
                let text = try #require(markets["\(market.symbol).\(field)"], "\(market.symbol).\(field) not shown")
                #expect(Self.displaysAmount(text, value), "\(market.symbol).\(field): page \(text), published \(value)")
            }
        }
    }
}
