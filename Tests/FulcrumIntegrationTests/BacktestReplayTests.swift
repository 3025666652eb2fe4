import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import MarketData
import Testing

/// Record a live session, replay it: `fulcrum run` with `recording.path` records every message its engine
/// ingests; a backtest of that recording under the same configuration must publish exactly the updates the
/// service published, byte for byte. The session also exercises live coverage: horizons of one grid step, a
/// rolling window of 20, jumps that exceed the margins, the widening rule, and the coverage metrics.
@Suite("Backtest of a recorded live session", .serialized, .timeLimit(.minutes(3)))
struct BacktestReplayTests {
    static let steps = 160
    static let window = 20

    static func configuration(feedPort: Int, recording: String) -> FulcrumConfiguration {
        let second = FulcrumConfiguration.second
        var configuration = FulcrumConfiguration.smallEngine(feeds: [.bound(toPort: feedPort)], symbols: ["AAA", "BBB"],
                                                             warmupESS: 10)
        configuration.ingest.filter.deviationThreshold = 1_000
        configuration.ingest.feedSilenceStaleAfter = .zero
        configuration.estimation.residualCapacity = 200
        configuration.model.coverage.riskMeasure = .valueAtRisk
        configuration.model.coverage.liquidationHorizonNs = second
        configuration.model.coverage.minimumResidualCount = 20
        configuration.model.circuitBreaker.shockThresholdSigmas = 1_000
        configuration.model.governance.refreshIntervalNs = second
        configuration.coverage.window = window
        configuration.coverage.widening.enabled = true
        configuration.recording.path = recording
        return configuration
    }

    /// Bounded deterministic log returns, with 3 % jumps of AAA every fourth step in the second half (the shock
    /// breaker is set out of reach so that the jumps meet the governed margins rather than stressed ones).
    static func logReturn(_ k: Int, _ i: Int) -> Double {
        var r = 0.0004 * sin(Double(k) * 0.9 + Double(i)) + 0.0002 * cos(Double(k) * 2.3 * Double(i + 1))
        if i == 0, k >= steps / 2, k % 4 == 0 { r += k % 8 == 0 ? 0.03 : -0.03 }
        return r
    }

    static func ticks(start: Int64) -> [WireTick] {
        var prices = [100.0, 20.0]
        var result: [WireTick] = []
        for k in 0...steps {
            for (i, symbol) in ["AAA", "BBB"].enumerated() {
                if k > 0 { prices[i] *= exp(logReturn(k, i)) }
                let time = start + Int64(k) * 1_000_000_000 + Int64(100 + 200 * i) * 1_000_000
                result.append(TickPublisher.tick(symbol, price: prices[i], at: time))
            }
        }
        // Closes the last interval.
        let closing = start + Int64(steps + 1) * 1_000_000_000 + 100_000_000
        result.append(TickPublisher.tick("AAA", price: prices[0], at: closing))
        return result
    }

    /// Kupiec's LR for x exceptions in n at p, written out (0·ln 0 = 0).
    static func kupiec(_ n: Int, _ x: Int, _ p: Double) -> Double {
        let rate = Double(x) / Double(n)
        var value = 0.0
        if x < n { value += Double(n - x) * (log(1 - rate) - log(1 - p)) }
        if x > 0 { value += Double(x) * (log(rate) - log(p)) }
        return 2 * value
    }

    /// P(X ≤ x) for X ~ Binomial(n, p), summed term by term.
    static func binomialCDF(_ x: Int, _ n: Int, _ p: Double) -> Double {
        var total = 0.0
        var term = pow(1 - p, Double(n))
        for k in 0...x {
            total += term
            term *= Double(n - k) / Double(k + 1) * p / (1 - p)
        }
        return total
    }

    @Test("Replaying the recording publishes the live updates byte for byte; coverage and widening are live")
    func replayEqualsLive() async throws {
        let directory = try TemporaryDirectory(prefix: "fulcrum-backtest")
        defer { directory.remove() }
        let ports = try FreePorts.take(2)
        let feedPort = ports[0]
        let recording = directory.path("session.frec")
        let configuration = Self.configuration(feedPort: feedPort, recording: recording)
        let config = try directory.write(configuration, to: "config.yaml")
        let fulcrum = try FulcrumProcess(configuration: configuration, httpPort: ports[1])
        let subscriber = FeedSubscriber(endpoint: fulcrum.publishEndpoint)
        defer { subscriber.finish() }
        let beats = try await subscriber.wait { $0.contains { $0.topic == "hb" } }
        try #require(beats.contains { $0.topic == "hb" }, "no heartbeat from fulcrum; log:\n\(fulcrum.log)")

        let start = (Int64(Date().timeIntervalSince1970) - 400) * 1_000_000_000
        let ticks = Self.ticks(start: start)
        let publisher = try TickPublisher(connect: "tcp://127.0.0.1:\(feedPort)")
        var next = 0
        let connected = try await publisher.warmUp(subscriber: subscriber) {
            defer { next = min(next + 1, ticks.count - 1) }
            return ticks[next]
        }
        try #require(connected, "no parameters during warm-up; log:\n\(fulcrum.log)")
        for tick in ticks[next...] { try publisher.send(tick) }
        let lastBoundary = start + Int64(Self.steps + 1) * 1_000_000_000
        _ = try await subscriber.wait { frames in
            frames.contains { $0.topic == "portfolio" && (try? WirePortfolioUpdate(serializedBytes: $0.payload))?
                .asOfNs == lastBoundary }
        }
        // The rolling coverage is also scraped as metrics, recorded when each horizon completes.
        let lastAAA = try #require(subscriber.parameters.last { $0.message.symbol == "AAA" }?.message)
        let session = Operations.session()
        defer { session.invalidateAndCancel() }
        let scrape = await Operations.get("http://127.0.0.1:\(ports[1])/metrics", session: session)
        let metrics = PrometheusSamples(String(decoding: scrape?.body ?? Data(), as: UTF8.self))
        let zoneValue: Double = lastAAA.coverage.zone == .green ? 0 : lastAAA.coverage.zone == .yellow ? 1 : 2
        #expect(metrics.value("fulcrum_coverage_exceptions", ["symbol": "AAA"])
                == Double(lastAAA.coverage.exceptions))
        #expect(metrics.value("fulcrum_coverage_observations", ["symbol": "AAA"])
                == Double(lastAAA.coverage.observations))
        #expect(metrics.value("fulcrum_coverage_zone", ["symbol": "AAA"]) == zoneValue)
        let rate = metrics.value("fulcrum_coverage_exception_rate", ["symbol": "AAA"])
        #expect(rate.map { $0.isApproximatelyEqual(to: lastAAA.coverage.exceptionRate,
                                                   relativeTolerance: 1e-12) } == true)
        #expect(try await fulcrum.stop() == 0, "log:\n\(fulcrum.log)")

        let replay = try await FulcrumCommandLine.run([
            "backtest", recording, "--config", config, "--out", directory.path("out"),
            "--updates-out", directory.path("updates.jsonl"),
        ])
        try #require(replay.status == 0, "backtest failed: \(replay.error)")
        let replayed = try BacktestUpdates.read(directory.path("updates.jsonl"))
        let isUpdate = { (topic: String) in topic.hasPrefix("risk.") || topic == "portfolio" }
        let frames = try await subscriber.wait(timeout: .seconds(10)) { frames in
            frames.filter { isUpdate($0.topic) }.count >= replayed.count
        }
        let live = frames.filter { isUpdate($0.topic) }
        #expect(replayed.count > 2 * Self.steps)
        #expect(live.count == replayed.count, "live \(live.count) updates, replay \(replayed.count)")
        for (index, (published, recomputed)) in zip(live, replayed).enumerated() {
            #expect(published.topic == recomputed.topic && published.payload == recomputed.payload,
                    "update \(index) (\(published.topic)) differs")
            if published.payload != recomputed.payload { break }
        }

        // Live coverage rides on every update: the rolling window's counts, Kupiec's LR and the zone, with
        // margins widened (and the reason given) while the zone is not green.
        let aaa = subscriber.parameters.map(\.message).filter { $0.symbol == "AAA" }
        let scored = aaa.filter { $0.coverage.observations > 0 }
        #expect(!scored.isEmpty)
        for message in scored {
            let coverage = message.coverage
            let n = Int(coverage.observations)
            let x = Int(coverage.exceptions)
            #expect(n <= Self.window && x <= n)
            #expect(coverage.targetRate.isApproximatelyEqual(to: 0.02, relativeTolerance: 1e-12))
            #expect(coverage.exceptionRate.isApproximatelyEqual(to: Double(x) / Double(n), relativeTolerance: 1e-12))
            #expect(coverage.kupiecLr.isApproximatelyEqual(to: Self.kupiec(n, x, 0.02), relativeTolerance: 1e-9)
                    || abs(coverage.kupiecLr - Self.kupiec(n, x, 0.02)) < 1e-12)
            let cumulative = Self.binomialCDF(x, n, 0.02)
            // No exception is never a warning, even when n is too small for P(X ≤ 0) to stay under 95 %.
            let zone: Fulcrum_V1_CoverageZone = x == 0 || cumulative < 0.95 ? .green
                : cumulative < 0.9999 ? .yellow : .red
            #expect(coverage.zone == zone, "n \(n) x \(x)")
        }
        #expect(aaa.contains { $0.coverage.zone != .green && $0.coverage.exceptions > 0 },
                "the jumps should push AAA out of the green zone")
        #expect(aaa.contains { $0.reasons.contains(.coverageWidening) }, "widening should apply once not green")
        let bbb = subscriber.parameters.map(\.message).filter { $0.symbol == "BBB" }
        #expect(!bbb.contains { $0.reasons.contains(.coverageWidening) }, "BBB never left the green zone")
    }
}
