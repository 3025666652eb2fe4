import Foundation
import FulcrumService
import FulcrumTestSupport
import MarginModel
import MarketData
import Metrics
import Prometheus
import RiskFeed
import Testing
@testable import FulcrumEngine
@testable import FulcrumOperations

@Suite("Metrics from the engine's own counters")
struct MetricsCollectorTests {
    /// A fresh registry and the collector writing into it, for one feed named `test`.
    static func collector(logger: RateLimitedLogger? = nil, now: ContinuousClock.Instant = .now)
        -> (MetricsCollector, PrometheusCollectorRegistry) {
        let registry = PrometheusCollectorRegistry()
        let collector = MetricsCollector(feedNames: ["test"], factory: PrometheusFactory(registry: registry),
                                         problemLogger: logger, now: now)
        return (collector, registry)
    }

    /// Runs `steps` one-second grid steps of two assets through a real engine, plus `garbage` undecodable
    /// messages, and returns the engine.
    static func runEngine(steps: Int, garbage: Int, start: Int64) throws -> RiskEngine {
        var engine = try RiskEngine(configuration: FulcrumConfiguration.smallEngine().engine, epoch: 7)
        var sequence: UInt64 = 0
        for k in 0...steps {
            for (index, symbol) in ["AAA", "BBB"].enumerated() {
                sequence += 1
                let time = start + Int64(k) * 1_000_000_000 + Int64(index + 1) * 100_000_000
                let price = [100.0, 20.0][index] * exp(0.0004 * sin(Double(k) * 0.9 + Double(index)))
                let frames = try tickFrames(symbol, price: price, at: time, sequence: sequence)
                ingest(&engine, topic: frames.topic, payload: frames.payload, receiptTime: time + 1_000_000)
            }
        }
        for _ in 0..<garbage {
            ingest(&engine, topic: Array("tick.TEST.AAA".utf8), payload: [0xFF, 0xFF, 0xFF],
                   receiptTime: start + Int64(steps + 1) * 1_000_000_000)
        }
        return engine
    }

    static let start: Int64 = 1_700_000_000_000_000_000

    @Test("Per-symbol series stop at http.symbolMetricsLimit; the rest are counted, not exported", arguments: [0, 1, 2])
    func symbolLimit(limit: Int) throws {
        let registry = PrometheusCollectorRegistry()
        let collector = MetricsCollector(feedNames: ["test"], factory: PrometheusFactory(registry: registry),
                                         symbolLimit: limit)
        let status = EngineStatus()
        status.publish(try Self.runEngine(steps: 3, garbage: 0, start: Self.start))
        collector.refresh(snapshot: status.snapshot, sources: .init())
        let samples = PrometheusSamples(registry.emitToString())
        let exported = ["AAA", "BBB"].filter { samples.value("fulcrum_asset_price", ["symbol": $0]) != nil }
        #expect(exported == Array(["AAA", "BBB"].prefix(limit)))
        #expect(samples.value("fulcrum_asset_series_omitted") == Double(2 - limit))
        #expect(samples.value("fulcrum_coverage_zone", ["symbol": "BBB"]) == nil || limit == 2)
    }

    @Test("Tick counters equal the engine's totals after any number of refreshes (increments by difference)")
    func tickCountersByDelta() throws {
        let (collector, registry) = Self.collector()
        let status = EngineStatus()
        var engine = try Self.runEngine(steps: 3, garbage: 2, start: Self.start)
        status.publish(engine)
        collector.refresh(snapshot: status.snapshot, sources: .init())
        collector.refresh(snapshot: status.snapshot, sources: .init())
        var samples = PrometheusSamples(registry.emitToString())
        let feed = ["feed": "test"]
        #expect(samples.value("fulcrum_ticks_received_total", feed) == 10)
        #expect(samples.value("fulcrum_ticks_accepted_total", feed) == 8)
        #expect(samples.value("fulcrum_ticks_rejected_total", ["feed": "test", "reason": "truncated_protobuf"]) == 2)
        #expect(samples.value("fulcrum_ticks_rejected_total", ["feed": "test", "reason": "late"]) == 0)
        #expect(samples.types["fulcrum_ticks_received_total"] == "counter")

        for _ in 0..<3 {
            ingest(&engine, topic: Array("tick.TEST.AAA".utf8), payload: [0x0A],
                   receiptTime: Self.start + 10_000_000_000)
        }
        status.publish(engine)
        collector.refresh(snapshot: status.snapshot, sources: .init())
        samples = PrometheusSamples(registry.emitToString())
        let totals = engine.ingestor.totals
        #expect(samples.value("fulcrum_ticks_received_total", feed) == Double(totals.received))
        #expect(samples.value("fulcrum_ticks_received_total", feed) == 13)
        let rejectedSeries = RejectionReason.allCases.compactMap {
            samples.value("fulcrum_ticks_rejected_total", ["feed": "test", "reason": $0.metricName])
        }
        #expect(rejectedSeries.count == RejectionReason.allCases.count, "every reason has a series from the start")
        #expect(rejectedSeries.reduce(0, +) == Double(totals.rejected))
        #expect(samples.value("fulcrum_grid_steps_total") == Double(engine.stepsRun))
    }

    @Test("Grid-price fallbacks: zero with trade prices, counted with a mark source and no funding feed")
    func gridPriceFallbacks() throws {
        for source in [GridPriceSource.trade, .mark] {
            let (collector, registry) = Self.collector()
            var configuration = FulcrumConfiguration.smallEngine()
            configuration.ingest.gridPrice = source
            var engine = try RiskEngine(configuration: configuration.engine, epoch: 7)
            for k in 0...5 {
                let time = Self.start + Int64(k) * 1_000_000_000 + 100_000_000
                let frames = try tickFrames("AAA", price: 100 + Double(k % 2), at: time, sequence: UInt64(k + 1))
                ingest(&engine, topic: frames.topic, payload: frames.payload, receiptTime: time + 1_000_000)
            }
            let status = EngineStatus()
            status.publish(engine)
            collector.refresh(snapshot: status.snapshot, sources: .init())
            collector.refresh(snapshot: status.snapshot, sources: .init())
            let exported = PrometheusSamples(registry.emitToString()).value("fulcrum_grid_price_fallbacks_total")
            #expect(exported == Double(engine.gridPriceFallbacks), "\(source)")
            #expect(source == .trade ? exported == 0 : (exported ?? 0) > 0, "\(source): \(exported ?? .nan)")
        }
    }

    @Test("Per-asset gauges follow the latest parameters")
    func assetGauges() throws {
        let (collector, registry) = Self.collector()
        let status = EngineStatus()
        let engine = try Self.runEngine(steps: 12, garbage: 0, start: Self.start)
        status.publish(engine)
        collector.refresh(snapshot: status.snapshot, sources: .init())
        let samples = PrometheusSamples(registry.emitToString())
        for (index, symbol) in ["AAA", "BBB"].enumerated() {
            let parameters = try #require(engine.latest[index])
            let labels = ["symbol": symbol]
            let imf = try #require(samples.value("fulcrum_asset_imf", labels))
            #expect(imf.isApproximatelyEqual(to: parameters.published.initialMarginFraction, relativeTolerance: 1e-9))
            let target = try #require(samples.value("fulcrum_asset_mmf_target", labels))
            #expect(target.isApproximatelyEqual(to: parameters.target.maintenanceMarginFraction,
                                                relativeTolerance: 1e-9))
            #expect(samples.value("fulcrum_asset_max_leverage", labels) == Double(parameters.published.maxLeverage))
            let price = try #require(samples.value("fulcrum_asset_price", labels))
            #expect(price.isApproximatelyEqual(to: engine.prices[index], relativeTolerance: 1e-9))
            let sigma = try #require(samples.value("fulcrum_asset_sigma_annual", labels))
            #expect(sigma.isApproximatelyEqual(to: engine.estimator.annualizedVolatility(index),
                                               relativeTolerance: 1e-9))
            for status in ["warming", "ready", "stressed", "stale"] {
                let expected: Double = status == parameters.status.rawValue ? 1 : 0
                #expect(samples.value("fulcrum_asset_status", ["symbol": symbol, "status": status]) == expected)
            }
        }
    }

    @Test("While every feed is silent, the status gauges and /parameters show the stale status the feed announced")
    func silentFeedsShowStale() throws {
        let (collector, registry) = Self.collector()
        let status = EngineStatus()
        let engine = try Self.runEngine(steps: 12, garbage: 0, start: Self.start)
        status.publish(engine)
        var snapshot = status.snapshot
        let engineStatus = try #require(engine.latest[0]?.status)
        #expect(engineStatus != .stale)
        snapshot.feedsSilentSince = Self.start
        collector.refresh(snapshot: snapshot, sources: .init())
        var samples = PrometheusSamples(registry.emitToString())
        let document = HTTPParametersDocument(observation: collector.refresh(snapshot: snapshot, sources: .init()),
                                              readiness: HTTPHealth(ok: true, reasons: []), feedNames: ["test"])
        for (index, symbol) in ["AAA", "BBB"].enumerated() {
            #expect(samples.value("fulcrum_asset_status", ["symbol": symbol, "status": "stale"]) == 1)
            #expect(samples.value("fulcrum_asset_status", ["symbol": symbol, "status": engineStatus.rawValue]) == 0)
            #expect(document.assets[index].status == "stale")
            #expect(document.assets[index].reasons.contains("stale_feed"))
            // Only the status and reason change, as on the feed's stale republication.
            #expect(document.assets[index].imf == engine.latest[index]?.published.initialMarginFraction)
        }
        // A tick ends the silence: the engine's own status again.
        snapshot.feedsSilentSince = nil
        collector.refresh(snapshot: snapshot, sources: .init())
        samples = PrometheusSamples(registry.emitToString())
        #expect(samples.value("fulcrum_asset_status", ["symbol": "AAA", "status": "stale"]) == 0)
        #expect(samples.value("fulcrum_asset_status", ["symbol": "AAA", "status": engineStatus.rawValue]) == 1)
    }

    @Test("Publisher counters, sequence, subscribers and checkpoints come from their sources")
    func publisherSources() {
        let (collector, registry) = Self.collector()
        let statistics = PublisherStatistics()
        statistics.updatesPublished.store(42, ordering: .relaxed)
        statistics.heartbeatsSent.store(9, ordering: .relaxed)
        statistics.snapshotRequests.store(3, ordering: .relaxed)
        statistics.invalidSnapshotRequests.store(1, ordering: .relaxed)
        statistics.snapshotRepliesDropped.store(6, ordering: .relaxed)
        statistics.lastSequence.store(42, ordering: .relaxed)
        let sources = MetricsCollector.Sources(publisher: statistics, subscribers: { 5 },
                                               lastCheckpointBoundary: { 1_000_000_000 },
                                               checkpointResults: { (written: 4, failed: 1, skipped: 2) })
        var snapshot = EngineSnapshot()
        snapshot.lastBoundary = 31_000_000_000
        let observation = collector.refresh(snapshot: snapshot, sources: sources)
        let samples = PrometheusSamples(registry.emitToString())
        #expect(samples.value("fulcrum_updates_published_total") == 42)
        #expect(samples.value("fulcrum_heartbeats_sent_total") == 9)
        #expect(samples.value("fulcrum_snapshot_requests_total", ["result": "answered"]) == 3)
        #expect(samples.value("fulcrum_snapshot_requests_total", ["result": "invalid"]) == 1)
        #expect(samples.value("fulcrum_snapshot_requests_total", ["result": "dropped"]) == 6)
        #expect(samples.value("fulcrum_publisher_sequence") == 42)
        #expect(samples.value("fulcrum_subscribers") == 5)
        #expect(samples.value("fulcrum_checkpoint_age_seconds") == 30)
        #expect(samples.value("fulcrum_checkpoints_total", ["result": "written"]) == 4)
        #expect(samples.value("fulcrum_checkpoints_total", ["result": "failed"]) == 1)
        #expect(samples.value("fulcrum_checkpoints_total", ["result": "skipped"]) == 2)
        #expect(observation.lastSequence == 42)
    }

    @Test("Grid-step latencies land in the histogram, one sample per recording")
    func stepLatency() throws {
        let (collector, registry) = Self.collector()
        collector.recordGridSteps(1, nanoseconds: 40_000)
        collector.recordGridSteps(3, nanoseconds: 2_000_000)
        collector.recordGridSteps(0, nanoseconds: 1)
        let samples = PrometheusSamples(registry.emitToString())
        #expect(samples.types["fulcrum_grid_step_seconds"] == "histogram")
        #expect(samples.value("fulcrum_grid_step_seconds_count") == 2)
        let buckets = samples.buckets("fulcrum_grid_step_seconds")
        #expect(buckets.first { $0.bound.isApproximatelyEqual(to: 50e-6, relativeTolerance: 1e-9) }?.count == 1)
        #expect(buckets.first { $0.bound.isApproximatelyEqual(to: 1e-3, relativeTolerance: 1e-9) }?.count == 1)
        #expect(buckets.first { $0.bound.isApproximatelyEqual(to: 2.5e-3, relativeTolerance: 1e-9) }?.count == 2)
        #expect(buckets.last?.bound == .infinity && buckets.last?.count == 2)
        let sum = try #require(samples.value("fulcrum_grid_step_seconds_sum"))
        #expect(sum.isApproximatelyEqual(to: 0.00204, relativeTolerance: 1e-9))
    }

    @Test("Feed age counts from start until the first accepted tick, then from the last one; rejections do not count")
    func feedAges() throws {
        let start = ContinuousClock.now
        let (collector, _) = Self.collector(now: start)
        var snapshot = EngineSnapshot()
        snapshot.feeds = [IngestCounters()]
        var observation = collector.refresh(snapshot: snapshot, sources: .init(),
                                            now: start + .seconds(4))
        #expect(observation.feedAges == [.seconds(4)])
        #expect(observation.feedsHeard == [false])
        snapshot.feeds[0].record(.rejected(.invalidJSON))
        snapshot.feeds[0].record(.ignored)
        observation = collector.refresh(snapshot: snapshot, sources: .init(),
                                        now: start + .seconds(5))
        #expect(observation.feedAges == [.seconds(5)])
        #expect(observation.feedsHeard == [false])
        let tick = Tick(symbol: SymbolID(rawValue: 0), venue: VenueID(rawValue: 0), price: 100,
                        exchangeTime: 1, receiptTime: 1)
        snapshot.feeds[0].record(.accepted(tick, symbolIsNew: true))
        observation = collector.refresh(snapshot: snapshot, sources: .init(),
                                        now: start + .seconds(6))
        #expect(observation.feedAges == [.zero])
        #expect(observation.feedsHeard == [true])
        snapshot.feeds[0].record(.rejected(.nonPositivePrice))
        observation = collector.refresh(snapshot: snapshot, sources: .init(),
                                        now: start + .seconds(9))
        #expect(observation.feedAges == [.seconds(3)])
    }

    @Test("Invalid snapshot requests are logged at most once per interval, with the count folded in")
    func problemsLogged() throws {
        let capture = LogCapture()
        let start = ContinuousClock.now
        let limited = RateLimitedLogger(logger: capture.logger(), interval: .seconds(10))
        let (collector, _) = Self.collector(logger: limited, now: start)
        let statistics = PublisherStatistics()
        let sources = MetricsCollector.Sources(publisher: statistics)
        statistics.invalidSnapshotRequests.store(3, ordering: .relaxed)
        collector.refresh(snapshot: EngineSnapshot(), sources: sources, now: start)
        statistics.invalidSnapshotRequests.store(8, ordering: .relaxed)
        collector.refresh(snapshot: EngineSnapshot(), sources: sources, now: start + .seconds(1))
        collector.refresh(snapshot: EngineSnapshot(), sources: sources, now: start + .seconds(5))
        collector.refresh(snapshot: EngineSnapshot(), sources: sources, now: start + .seconds(11))
        let lines = capture.records.filter { $0.message == "invalid snapshot requests" }
        #expect(lines.map { $0.metadata["fulcrum.events"] } == ["3", "5"])
        #expect(lines.allSatisfy { $0.level == .warning })
    }

    @Test("Prometheus names: dots become underscores, counters end in _total")
    func naming() {
        #expect(PrometheusFactory.prometheusName(MetricsName.ticksRejected) == "fulcrum_ticks_rejected_total")
        #expect(PrometheusFactory.prometheusName(MetricsName.assetIMF) == "fulcrum_asset_imf")
        #expect(PrometheusFactory.prometheusName(MetricsName.gridStepLatency) == "fulcrum_grid_step_seconds")
    }
}
