import Foundation
import FulcrumProtocol
import FulcrumTestSupport
import Metrics
import Prometheus
import Testing
@testable import FulcrumEngine
@testable import FulcrumOperations

/// Protocol health through the operations endpoint, from a constructed message: its figures as gauges, the
/// position feed's counters by difference, and the `health` section of `/parameters`.
@Suite("Protocol health as metrics and in /parameters")
struct HealthMetricsTests {
    static let asOf: Int64 = 1_700_000_030_000_000_000

    /// A message with a distinct value in every field the endpoint reads, for `symbols` markets.
    static func message(symbols: [String] = ["AAA", "BBB"], badDebt: Double = 1_250.5) -> Fulcrum_V1_ProtocolHealth {
        var message = Fulcrum_V1_ProtocolHealth()
        message.asOfNs = asOf
        message.units = 500
        message.positions = 812
        message.liquidatableUnits = 7
        message.equity = 3_456_789.25
        message.maintenance = 123_456.75
        message.scenarios = 203
        message.confidence = 0.99
        message.badDebtAtRisk = badDebt
        message.badDebtExpectedShortfall = badDebt * 1.75
        message.liquidationsAtRisk = 987_654.5
        message.meanBadDebt = badDebt / 9
        message.insuranceFund = 1_000
        message.coverageRatio = badDebt > 0 ? 1_000 / badDebt : .infinity
        message.deepestCascade = 4
        message.unconverged = 1
        message.computeNs = 12_345_678
        message.markets = symbols.enumerated().map { index, symbol in
            var market = Fulcrum_V1_MarketHealth()
            let scale = Double(index + 1)
            market.symbol = symbol
            market.markPrice = 100 * scale
            market.longNotional = 40_000 * scale
            market.shortNotional = 35_000 * scale
            market.liquidatableNotional = 1_500 * scale
            market.tailBadDebt = 600 * scale
            market.notionalWithinSigma = [2_000 * scale, 5_000 * scale, 9_000 * scale]
            market.notionalByLeverage = [1, 2, 3, 4, 5, 6].map { $0 * 1_000 * scale }
            market.depthFromBook = index == 0
            market.horizonSigma = 0.01 * scale
            return market
        }
        var contributor = Fulcrum_V1_HealthContributor()
        contributor.account = 42
        contributor.notional = 25_000
        contributor.distanceSigma = -0.5
        contributor.marginRatio = .infinity
        message.topContributors = [contributor]
        return message
    }

    static func counters(applied: UInt64, gaps: UInt64, malformed: [String: UInt64]) -> HealthObservation.PositionFeed {
        HealthObservation.PositionFeed(updatesApplied: applied, updatesIgnored: 2, snapshotsApplied: 1 + gaps,
                                       changesRefused: 3, resyncs: ["start": 1, "gap": gaps],
                                       malformedFrames: malformed)
    }

    static func snapshot(lastBoundary: Int64?) -> EngineSnapshot {
        var snapshot = EngineSnapshot()
        snapshot.lastBoundary = lastBoundary
        return snapshot
    }

    static func collector(symbolLimit: Int = 256) -> (MetricsCollector, PrometheusCollectorRegistry) {
        let registry = PrometheusCollectorRegistry()
        let collector = MetricsCollector(feedNames: [], factory: PrometheusFactory(registry: registry),
                                         symbolLimit: symbolLimit)
        return (collector, registry)
    }

    @Test("Every protocol and per-market figure of the message is exported as its gauge, exactly")
    func gaugesEqualTheMessage() {
        let (collector, registry) = Self.collector()
        let message = Self.message()
        let sources = MetricsCollector.Sources(health: { HealthObservation(message: message) })
        collector.refresh(snapshot: Self.snapshot(lastBoundary: Self.asOf + 2_500_000_000), sources: sources)
        let samples = PrometheusSamples(registry.emitToString())
        let protocolFigures: [(String, Double)] = [
            ("fulcrum_health_as_of_seconds", Double(message.asOfNs) / 1e9),
            ("fulcrum_health_age_seconds", 2.5),
            ("fulcrum_health_bad_debt_at_risk", message.badDebtAtRisk),
            ("fulcrum_health_bad_debt_expected_shortfall", message.badDebtExpectedShortfall),
            ("fulcrum_health_bad_debt_mean", message.meanBadDebt),
            ("fulcrum_health_liquidations_at_risk", message.liquidationsAtRisk),
            ("fulcrum_health_insurance_fund", message.insuranceFund),
            ("fulcrum_health_coverage_ratio", message.coverageRatio),
            ("fulcrum_health_confidence", message.confidence),
            ("fulcrum_health_cascade_depth_max", Double(message.deepestCascade)),
            ("fulcrum_health_scenarios", Double(message.scenarios)),
            ("fulcrum_health_scenarios_unconverged", Double(message.unconverged)),
            ("fulcrum_health_units", Double(message.units)),
            ("fulcrum_health_units_liquidatable", Double(message.liquidatableUnits)),
            ("fulcrum_health_positions", Double(message.positions)),
            ("fulcrum_health_equity", message.equity),
            ("fulcrum_health_maintenance", message.maintenance),
            ("fulcrum_health_compute_seconds", 0.012345678),
        ]
        for (name, value) in protocolFigures {
            #expect(samples.value(name) == value, "\(name): \(samples.value(name) ?? .nan) ≠ \(value)")
            #expect(samples.types[name] == "gauge", "\(name) is a \(samples.types[name] ?? "missing")")
        }
        for market in message.markets {
            let symbol = ["symbol": market.symbol]
            #expect(samples.value("fulcrum_health_market_notional", ["symbol": market.symbol, "side": "long"])
                == market.longNotional)
            #expect(samples.value("fulcrum_health_market_notional", ["symbol": market.symbol, "side": "short"])
                == market.shortNotional)
            #expect(samples.value("fulcrum_health_market_liquidatable_notional", symbol) == market.liquidatableNotional)
            #expect(samples.value("fulcrum_health_market_tail_bad_debt", symbol) == market.tailBadDebt)
            for (index, value) in market.notionalWithinSigma.enumerated() {
                #expect(samples.value("fulcrum_health_market_notional_within_sigma",
                                      ["symbol": market.symbol, "sigma": "\(index + 1)"]) == value)
            }
        }
    }

    @Test("Without bad debt at risk the coverage ratio is +Inf, which the exposition writes and a parser reads")
    func infiniteCoverage() {
        let (collector, registry) = Self.collector()
        let message = Self.message(badDebt: 0)
        collector.refresh(snapshot: Self.snapshot(lastBoundary: Self.asOf),
                          sources: .init(health: { HealthObservation(message: message) }))
        let text = registry.emitToString()
        let samples = PrometheusSamples(text)
        #expect(samples.value("fulcrum_health_coverage_ratio") == .infinity, "\(text)")
        #expect(samples.value("fulcrum_health_bad_debt_at_risk") == 0)
        #expect(samples.value("fulcrum_health_age_seconds") == 0)
    }

    @Test("No message yet: no health gauge (zeros would read as no bad debt), the feed counts; off: no series")
    func absentUntilComputed() {
        let (collector, registry) = Self.collector()
        collector.refresh(snapshot: Self.snapshot(lastBoundary: Self.asOf), sources: .init(health: {
            HealthObservation(message: nil, positionFeed: Self.counters(applied: 4, gaps: 0, malformed: [:]))
        }))
        let text = registry.emitToString()
        // The position feed counts from the start, message or not.
        #expect(PrometheusSamples(text).value("fulcrum_positions_updates_total", ["result": "applied"]) == 4)
        let exported = text.contains("fulcrum_health_")
        #expect(!exported, "\(text)")
        let (quiet, quietRegistry) = Self.collector()
        quiet.refresh(snapshot: Self.snapshot(lastBoundary: Self.asOf), sources: .init())
        let quietText = quietRegistry.emitToString()
        #expect(!quietText.contains("fulcrum_health_") && !quietText.contains("fulcrum_positions_"))
    }

    @Test("Per-market series stop at http.symbolMetricsLimit, in the message's order", arguments: [0, 1, 2])
    func symbolLimit(limit: Int) {
        let (collector, registry) = Self.collector(symbolLimit: limit)
        let message = Self.message(symbols: ["AAA", "BBB"])
        collector.refresh(snapshot: Self.snapshot(lastBoundary: Self.asOf),
                          sources: .init(health: { HealthObservation(message: message) }))
        let samples = PrometheusSamples(registry.emitToString())
        let exported = ["AAA", "BBB"].filter {
            samples.value("fulcrum_health_market_tail_bad_debt", ["symbol": $0]) != nil
        }
        #expect(exported == Array(["AAA", "BBB"].prefix(limit)))
        #expect(samples.value("fulcrum_health_bad_debt_at_risk") == message.badDebtAtRisk)
    }

    @Test("A newer message replaces every gauge; the position feed's counters advance by difference")
    func followsTheLatest() {
        let (collector, registry) = Self.collector()
        collector.refresh(snapshot: Self.snapshot(lastBoundary: Self.asOf), sources: .init(health: {
            HealthObservation(message: Self.message(),
                              positionFeed: Self.counters(applied: 10, gaps: 0, malformed: ["update": 1]))
        }))
        var samples = PrometheusSamples(registry.emitToString())
        #expect(samples.value("fulcrum_positions_updates_total", ["result": "applied"]) == 10)
        #expect(samples.value("fulcrum_positions_frames_malformed_total", ["kind": "update"]) == 1)
        #expect(samples.value("fulcrum_positions_frames_malformed_total", ["kind": "snapshot"]) == 0)
        #expect(samples.value("fulcrum_positions_resyncs_total", ["reason": "gap"]) == 0)

        var next = Self.message(badDebt: 2_000)
        next.asOfNs = Self.asOf + 1_000_000_000
        let later = next
        for _ in 0..<2 {  // a second refresh with the same counters adds nothing
            collector.refresh(snapshot: Self.snapshot(lastBoundary: Self.asOf + 1_000_000_000), sources: .init(health: {
                HealthObservation(message: later, positionFeed: Self.counters(applied: 25, gaps: 2,
                                                                              malformed: ["update": 1, "snapshot": 4]))
            }))
        }
        samples = PrometheusSamples(registry.emitToString())
        #expect(samples.value("fulcrum_health_as_of_seconds") == Double(later.asOfNs) / 1e9)
        #expect(samples.value("fulcrum_health_bad_debt_at_risk") == 2_000)
        #expect(samples.value("fulcrum_health_coverage_ratio") == 0.5)
        #expect(samples.value("fulcrum_positions_updates_total", ["result": "applied"]) == 25)
        #expect(samples.value("fulcrum_positions_updates_total", ["result": "ignored"]) == 2)
        #expect(samples.value("fulcrum_positions_snapshots_total") == 3)
        #expect(samples.value("fulcrum_positions_changes_refused_total") == 3)
        #expect(samples.value("fulcrum_positions_resyncs_total", ["reason": "start"]) == 1)
        #expect(samples.value("fulcrum_positions_resyncs_total", ["reason": "gap"]) == 2)
        #expect(samples.value("fulcrum_positions_frames_malformed_total", ["kind": "snapshot"]) == 4)
        #expect(samples.types["fulcrum_positions_updates_total"] == "counter")
    }

    @Test("Every new family has # HELP text and a documented name")
    func helpText() {
        let names = [MetricsName.healthAsOf, MetricsName.healthAge, MetricsName.healthBadDebtAtRisk,
                     MetricsName.healthBadDebtExpectedShortfall, MetricsName.healthMeanBadDebt,
                     MetricsName.healthLiquidationsAtRisk, MetricsName.healthInsuranceFund,
                     MetricsName.healthCoverageRatio, MetricsName.healthConfidence, MetricsName.healthDeepestCascade,
                     MetricsName.healthScenarios, MetricsName.healthUnconverged, MetricsName.healthUnits,
                     MetricsName.healthLiquidatableUnits, MetricsName.healthPositions, MetricsName.healthEquity,
                     MetricsName.healthMaintenance, MetricsName.healthComputeSeconds,
                     MetricsName.healthMarketNotional, MetricsName.healthMarketLiquidatable,
                     MetricsName.healthMarketTailBadDebt, MetricsName.healthMarketWithinSigma,
                     MetricsName.positionUpdates, MetricsName.positionSnapshots, MetricsName.positionChangesRefused,
                     MetricsName.positionResyncs, MetricsName.positionFramesMalformed]
        #expect(Set(names).count == names.count)
        for name in names { #expect(MetricsName.help[name] != nil, "\(name) has no help text") }
        let readme = (try? String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
        for name in names {
            let scraped = PrometheusFactory.prometheusName(name)
            let documented = readme.contains(scraped)
            #expect(documented, "README.md does not document \(scraped)")
        }
    }

    @Test("/parameters carries the message's figures, the feed's counters and the hour of history; absent without")
    func parametersSection() throws {
        let message = Self.message()
        let observation = MetricsObservation(
            snapshot: Self.snapshot(lastBoundary: Self.asOf + 1_000_000_000), feedAges: [], feedsHeard: [],
            heartbeatAge: nil, lastSequence: 0, uptime: .zero,
            health: HealthObservation(message: message,
                                      positionFeed: Self.counters(applied: 9, gaps: 1, malformed: ["snapshot": 2])))
        let history = HealthHistory()
        var earlier = Self.message(badDebt: 0)
        earlier.asOfNs = Self.asOf - 60_000_000_000
        history.record(earlier)
        history.record(message)
        let document = HTTPParametersDocument(observation: observation, readiness: HTTPHealth(ok: true, reasons: []),
                                              feedNames: [], healthHistory: history)
        let health = try #require(document.health)
        #expect(health.asOfNs == message.asOfNs && health.ageSeconds == 1)
        #expect(health.badDebtAtRisk == message.badDebtAtRisk)
        #expect(health.badDebtExpectedShortfall == message.badDebtExpectedShortfall)
        #expect(health.meanBadDebt == message.meanBadDebt)
        #expect(health.liquidationsAtRisk == message.liquidationsAtRisk)
        #expect(health.coverageRatio == message.coverageRatio && health.insuranceFund == message.insuranceFund)
        #expect(health.deepestCascade == message.deepestCascade && health.unconverged == message.unconverged)
        #expect(health.liquidatableUnits == 7 && health.units == 500 && health.positions == 812)
        #expect(health.markets.map(\.symbol) == ["AAA", "BBB"])
        #expect(health.markets[1].notionalWithinSigma == message.markets[1].notionalWithinSigma)
        #expect(health.markets[1].longNotional == message.markets[1].longNotional)
        #expect(health.markets[1].tailBadDebt == message.markets[1].tailBadDebt)
        #expect(health.topContributors.first?.marginRatio == nil, "+Inf is null in JSON")
        #expect(health.positionFeed?.resyncs == ["start": 1, "gap": 1])
        #expect(health.positionFeed?.malformedFrames == ["snapshot": 2])
        #expect(health.history.map(\.timeNs) == [earlier.asOfNs, message.asOfNs])
        #expect(health.history.first?.coverageRatio == nil && health.history.last?.coverageRatio == message.coverageRatio)

        // Encodes (no non-finite number reaches JSONEncoder) and decodes to the same section.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(document)
        #expect(try JSONDecoder().decode(HTTPParametersDocument.self, from: data).health == health)

        var none = observation
        none.health = HealthObservation(message: nil)
        let absent = HTTPParametersDocument(observation: none, readiness: HTTPHealth(ok: true, reasons: []),
                                            feedNames: [])
        #expect(absent.health == nil)
        let json = try #require(String(data: try encoder.encode(absent), encoding: .utf8))
        #expect(!json.contains("\"health\""))
    }

    @Test("The history keeps one point per 30 s bucket, at most an hour, and never runs back")
    func history() {
        let history = HealthHistory()
        var message = Self.message()
        for second in stride(from: 0, to: 7_200, by: 10) {
            message.asOfNs = Self.asOf + Int64(second) * 1_000_000_000
            message.badDebtAtRisk = Double(second)
            history.record(message)
        }
        let points = history.series
        #expect(points.count <= ParameterHistory.capacity)
        #expect(points.count >= ParameterHistory.capacity - 1)
        #expect(points.last?.badDebtAtRisk == 7_190)
        #expect(MemoryLayout<HealthHistory.Point>.stride == 72)
        #expect(MemoryLayout<HealthHistory.Point>.stride * ParameterHistory.capacity < 9 * 1_024)
        #expect((points.last?.timeNs ?? 0) - (points.first?.timeNs ?? 0) < ParameterHistory.window)
        message.asOfNs = Self.asOf
        message.badDebtAtRisk = -1
        history.record(message)
        #expect(history.series.last?.badDebtAtRisk == 7_190)
    }
}
