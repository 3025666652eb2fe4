import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import MarketData
import Testing

/// One run of the real `fulcrum` binary fed a deterministic three-asset tick series over tcp, optionally with
/// every kind of bad message mixed in, on two feeds: `market` (protobuf) and `cryptofeed`. Records the risk
/// updates it publishes and, at the end, its counters from `/metrics`.
final class HostileFeedScenario {
    static let symbols = ["AAA", "BBB", "CCC"]
    static let steps = 40
    /// Grid steps after whose valid ticks a hostile batch is sent.
    static let hostileSteps: Set<Int> = [5, 25]
    static let offsets: [Int64] = [100_000_000, 300_000_000, 700_000_000]
    static let second: Int64 = 1_000_000_000
    /// Largest accepted message (both frames together).
    static let maxMessageSize = 1_024

    /// One message the test sends and the fate the wire contract gives it.
    struct Sent {
        var frames: [[UInt8]]
        /// The rejection reason (metric name) it must be counted under; `nil` for a channel Fulcrum ignores.
        var reason: String?
    }

    /// What a run observed.
    struct Result {
        /// Each asset's `risk.*` updates in order, with `publisher_epoch` cleared.
        var parameters: [String: [WireRiskParameters]]
        /// `/metrics` samples at the end.
        var samples: PrometheusSamples
        /// Messages sent on each feed after its warm-up, by expected reason (`accepted` and `ignored` included).
        var expected: [String: [String: Int]]
        /// Warm-up messages counted before the series, per feed: `received` and `accepted`/`ignored`.
        var baseline: [String: (received: Double, accepted: Double, ignored: Double)]
        /// The process log.
        var log: String
    }

    let hostile: Bool
    let fulcrum: FulcrumProcess
    let subscriber: FeedSubscriber
    let market: TickPublisher
    let cryptofeed: TickPublisher
    let marketEndpoint: String
    let httpBase: String
    let session = Operations.session()
    /// Start of the series (event time, ns): runs to be compared share it.
    let start: Int64
    private var expected: [String: [String: Int]] = ["market": [:], "cryptofeed": [:]]
    private var lateSequence: UInt64 = 10_000_000
    private var lateTime: Int64

    /// A whole second two minutes ago: old enough for the whole series to lie in the past, recent enough for
    /// `validation.maximumAge` (1 h).
    static func defaultStart() -> Int64 { (Int64(Date().timeIntervalSince1970) - 120) * 1_000_000_000 }

    /// Prepares a run starting its series at `start`; `feedSilenceStaleAfter` is that setting, ns (0: off, so that
    /// no wall-clock rule can touch the compared runs); `stepThread` that setting.
    init(hostile: Bool, start: Int64 = HostileFeedScenario.defaultStart(), feedSilenceStaleAfter: Duration = .zero,
         stepThread: Bool = true) throws {
        self.hostile = hostile
        self.start = start
        let ports = try FreePorts.take(3)
        var feeds = [FeedConfiguration.bound(toPort: ports[0], name: "market"),
                     FeedConfiguration.bound(toPort: ports[1], name: "cryptofeed", encoding: .cryptofeed)]
        for index in feeds.indices { feeds[index].maxMessageSize = Self.maxMessageSize }
        // No allow-list: symbols are discovered, at most four of them.
        var configuration = FulcrumConfiguration.smallEngine(feeds: feeds, symbols: [], warmupESS: 10)
        configuration.ingest.symbols.maximumDiscovered = 4
        configuration.ingest.feedSilenceStaleAfter = feedSilenceStaleAfter
        configuration.model.governance.refreshIntervalNs = Self.second
        configuration.logging.rateLimitInterval = .seconds(1)
        configuration.http.sampleInterval = .milliseconds(100)
        configuration.stepThread = stepThread
        fulcrum = try FulcrumProcess(configuration: configuration, httpPort: ports[2])
        httpBase = "http://127.0.0.1:\(ports[2])"
        subscriber = FeedSubscriber(endpoint: fulcrum.publishEndpoint)
        marketEndpoint = "tcp://127.0.0.1:\(ports[0])"
        market = try TickPublisher(connect: marketEndpoint)
        cryptofeed = try TickPublisher(connect: "tcp://127.0.0.1:\(ports[1])")
        lateTime = start - 50_000_000
    }

    deinit {
        subscriber.finish()
        session.invalidateAndCancel()
    }

    /// `/metrics` as samples (none while it does not answer).
    func samples() async -> PrometheusSamples {
        guard let answer = await Operations.get(httpBase + "/metrics", session: session) else {
            return PrometheusSamples("")
        }
        return PrometheusSamples(String(decoding: answer.body, as: UTF8.self))
    }

    func metric(_ name: String, _ labels: [String: String]) async -> Double {
        await samples().value(name, labels) ?? 0
    }

    /// The price of asset `i` at step `k`: a deterministic, bounded walk whose steps (≤ 0.11 %) stay inside the
    /// robust filter's narrowest band (6 × 0.05 %), so that every valid tick is accepted.
    static func price(_ i: Int, _ k: Int) -> Double {
        [100.0, 20.0, 3.0][i]
            * exp(0.0006 * sin(Double(k) * 0.9 + Double(i)) + 0.0003 * cos(Double(k) * 2.3 * Double(i + 1)))
    }

    /// The valid tick of asset `i` at step `k`, with an explicit, per-stream increasing feed sequence.
    func tick(_ i: Int, _ k: Int) -> WireTick {
        TickPublisher.tick(Self.symbols[i], price: Self.price(i, k), at: start + Int64(k) * Self.second + Self.offsets[i],
                           sequence: UInt64(1_000 + k))
    }

    /// Runs the whole scenario and stops the process.
    func run() async throws -> Result {
        let beats = try await subscriber.wait(timeout: .seconds(60)) { $0.contains { $0.topic == "hb" } }
        try #require(beats.contains { $0.topic == "hb" }, "no heartbeat from fulcrum; log:\n\(fulcrum.log)")
        try await warmUp()
        let baseline = await baselineCounters()

        for k in 0...Self.steps {
            for i in Self.symbols.indices { try send(tick(i, k), as: "accepted") }
            if hostile && Self.hostileSteps.contains(k) { try sendHostileBatch(after: k) }
        }
        // Closes the last interval.
        var closing = tick(0, Self.steps)
        closing.exchangeTimeNs = start + Int64(Self.steps + 1) * Self.second + Self.offsets[0]
        closing.feedSequence = UInt64(1_000 + Self.steps + 1)
        try send(closing, as: "accepted")
        let lastBoundary = start + Int64(Self.steps + 1) * Self.second
        _ = try await subscriber.wait(timeout: .seconds(60)) { frames in
            frames.contains { $0.topic == "portfolio"
                && (try? WirePortfolioUpdate(serializedBytes: $0.payload))?.asOfNs == lastBoundary }
        }
        // Every message counted: the ingest loop publishes its counters at least every 250 ms.
        let deadline = ContinuousClock.now + .seconds(30)
        var samples = await samples()
        while ContinuousClock.now < deadline, !allCounted(samples, baseline: baseline) {
            try await Task.sleep(for: .milliseconds(100))
            samples = await self.samples()
        }
        var parameters: [String: [WireRiskParameters]] = [:]
        for (_, message) in subscriber.parameters where Self.symbols.contains(message.symbol) {
            var copy = message
            copy.publisherEpoch = 0
            parameters[message.symbol, default: []].append(copy)
        }
        #expect(try await fulcrum.stop() == 0)
        return Result(parameters: parameters, samples: samples, expected: expected, baseline: baseline,
                      log: fulcrum.log)
    }

    private func allCounted(_ samples: PrometheusSamples,
                            baseline: [String: (received: Double, accepted: Double, ignored: Double)]) -> Bool {
        expected.allSatisfy { feed, reasons in
            let sent = Double(reasons.values.reduce(0, +))
            return samples.value("fulcrum_ticks_received_total", ["feed": feed])
                == (baseline[feed]?.received ?? 0) + sent
        }
    }

    /// Sends ZZZ ticks at earlier event times on the market feed until parameters come back (the tcp connection
    /// is up and nothing later is lost), then, on the cryptofeed feed, ignored `fills` updates until one is
    /// counted. ZZZ takes the first of the four symbol slots in both runs.
    private func warmUp() async throws {
        var warmUpTime = start - 60 * Self.second
        let warmedUp = try await market.warmUp(subscriber: subscriber, timeout: .seconds(60)) {
            warmUpTime += 250_000_000
            return TickPublisher.tick("ZZZ", price: 50, at: min(warmUpTime, start - 100_000_000))
        }
        try #require(warmedUp, "fulcrum never answered the warm-up ticks; log:\n\(fulcrum.log)")
        guard hostile else { return }
        let fills = Array(#"COINBASE-fills-BTC-USD {"exchange":"COINBASE","symbol":"BTC-USD","price":1}"#.utf8)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            try cryptofeed.sendRaw([fills])
            if await metric("fulcrum_ticks_ignored_total", ["feed": "cryptofeed"]) > 0 { return }
            try await Task.sleep(for: .milliseconds(30))
        }
        Issue.record("the cryptofeed feed never connected; log:\n\(fulcrum.log)")
    }

    /// What ``runUntilSilent()`` observed.
    struct SilenceResult {
        /// Each asset's last update before the silence.
        var beforeSilence: [String: WireRiskParameters]
        /// The updates published while every feed was silent.
        var stale: [WireRiskParameters]
        /// The updates of the first grid step after the silence.
        var afterSilence: [WireRiskParameters]
        /// Sequence numbers of every update received, in order.
        var sequences: [UInt64]
        /// The process log.
        var log: String
    }

    /// Sends eleven grid steps, falls silent until every asset has been republished stale, then sends one tick
    /// that closes the next grid step.
    func runUntilSilent() async throws -> SilenceResult {
        let beats = try await subscriber.wait(timeout: .seconds(60)) { $0.contains { $0.topic == "hb" } }
        try #require(beats.contains { $0.topic == "hb" }, "no heartbeat from fulcrum; log:\n\(fulcrum.log)")
        try await warmUp()
        let steps = 11
        for k in 0...steps {
            for i in Self.symbols.indices where k < steps || i == 0 { try send(tick(i, k), as: "accepted") }
        }
        let lastBoundary = start + Int64(steps) * Self.second
        let settled = try await subscriber.wait(timeout: .seconds(30)) { frames in
            frames.contains { $0.topic == "portfolio"
                && (try? WirePortfolioUpdate(serializedBytes: $0.payload))?.asOfNs == lastBoundary }
        }
        let quietFrom = settled.count
        var before: [String: WireRiskParameters] = [:]
        for (_, message) in subscriber.parameters { before[message.symbol] = message }
        let symbolCount = before.count

        func risk(_ frames: ArraySlice<FeedSubscriber.Frame>) -> [WireRiskParameters] {
            frames.filter { $0.topic.hasPrefix("risk.") }.compactMap { try? WireRiskParameters(serializedBytes: $0.payload) }
        }
        let silent = try await subscriber.wait(timeout: .seconds(60)) { frames in
            Set(risk(frames.dropFirst(quietFrom)).filter { $0.status == .stale }.map(\.symbol)).count >= symbolCount
        }
        let stale = risk(silent.dropFirst(quietFrom))
        let resumeFrom = silent.count
        try send(tick(0, steps + 1), as: "accepted")
        // The updates of the new grid step (stale ones carry the previous boundary).
        func next(_ frames: [FeedSubscriber.Frame]) -> [WireRiskParameters] {
            risk(frames.dropFirst(resumeFrom)).filter { $0.asOfNs > lastBoundary }
        }
        let resumed = try await subscriber.wait(timeout: .seconds(60)) { Set(next($0).map(\.symbol)).count >= symbolCount }
        let after = next(resumed)
        let sequences = subscriber.received.filter { $0.topic.hasPrefix("risk.") || $0.topic == "portfolio" }
            .map(\.sequence)
        #expect(try await fulcrum.stop() == 0)
        return SilenceResult(beforeSilence: before, stale: stale, afterSilence: after, sequences: sequences,
                             log: fulcrum.log)
    }

    /// Counters after the warm-ups, once they have stopped moving.
    private func baselineCounters() async -> [String: (received: Double, accepted: Double, ignored: Double)] {
        var previous = PrometheusSamples("")
        var current = await samples()
        for _ in 0..<50 {
            try? await Task.sleep(for: .milliseconds(300))
            previous = current
            current = await samples()
            let names = ["market", "cryptofeed"].map {
                PrometheusSamples.key("fulcrum_ticks_received_total", ["feed": $0])
            }
            if names.allSatisfy({ previous.values[$0] == current.values[$0] && current.values[$0] != nil }) { break }
        }
        var result: [String: (received: Double, accepted: Double, ignored: Double)] = [:]
        for feed in ["market", "cryptofeed"] {
            let labels = ["feed": feed]
            result[feed] = (current.value("fulcrum_ticks_received_total", labels) ?? 0,
                            current.value("fulcrum_ticks_accepted_total", labels) ?? 0,
                            current.value("fulcrum_ticks_ignored_total", labels) ?? 0)
        }
        return result
    }

    private func send(_ tick: WireTick, as outcome: String) throws {
        try market.send(tick)
        expected["market", default: [:]][outcome, default: 0] += 1
    }

    private func send(_ sent: Sent, feed: String) throws {
        if feed == "market" { try market.sendRaw(sent.frames) } else { try cryptofeed.sendRaw(sent.frames) }
        expected[feed, default: [:]][sent.reason ?? "ignored", default: 0] += 1
    }

    /// Sizes of the frames far beyond `maxMessageSize` sent in the middle of the stream, on the connection that
    /// carries the valid ticks: each must be counted as `oversized_frame` and cost nothing behind it.
    static let bigFrames = [5: 2_000_000, 25: 64_000_000]

    /// One message of each kind of bad input, sent right after step `k`'s valid ticks.
    private func sendHostileBatch(after k: Int) throws {
        if let size = Self.bigFrames[k] {
            try send(Sent(frames: [Array("tick.TEST.AAA".utf8), Array(repeating: 0x0A, count: size)],
                          reason: "oversized_frame"), feed: "market")
            var text = Array("COINBASE-trades-BTC-USD ".utf8)
            text += Array(repeating: 0x20, count: size)
            try send(Sent(frames: [text], reason: "oversized_frame"), feed: "cryptofeed")
        }
        for sent in marketBatch(after: k) { try send(sent, feed: "market") }
        for sent in Self.cryptofeedBatch { try send(sent, feed: "cryptofeed") }
        // Ticks of the warm-up symbol inside already closed grid intervals: valid, but late, and refused as such
        // before they touch any state (counted once, never also as accepted). They leave ZZZ's estimates as they
        // were.
        for _ in 0..<2 {
            lateSequence += 1
            lateTime += 10_000_000
            try market.send(TickPublisher.tick("ZZZ", price: 50, at: lateTime, sequence: lateSequence))
            expected["market", default: [:]]["late", default: 0] += 1
        }
    }

    private func marketBatch(after k: Int) -> [Sent] {
        let last = tick(0, k)
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        let time = last.exchangeTimeNs + 50_000_000
        let topic = Array("tick.TEST.AAA".utf8)
        func frames(_ tick: WireTick) -> [[UInt8]] { [topic, (try? tick.serializedBytes()) ?? []] }
        func variant(_ change: (inout WireTick) -> Void) -> [[UInt8]] {
            var tick = TickPublisher.tick("AAA", price: Self.price(0, k), at: time, sequence: UInt64(1_000 + k) + 500)
            change(&tick)
            return frames(tick)
        }
        let valid = frames(last)
        var messages: [Sent] = [
            Sent(frames: [topic], reason: "malformed_multipart"),
            Sent(frames: valid + [Array("extra".utf8)], reason: "malformed_multipart"),
            // Field 1 (venue, length-delimited) with wire type 7, which does not exist.
            Sent(frames: [topic, [0x0F, 0x00]], reason: "invalid_protobuf"),
            // Cut inside the last varint (the two-byte feed sequence).
            Sent(frames: [topic, Array(valid[1].dropLast(1))], reason: "truncated_protobuf"),
            Sent(frames: variant { $0.price = .nan }, reason: "non_finite_price"),
            Sent(frames: variant { $0.price = .infinity }, reason: "non_finite_price"),
            Sent(frames: variant { $0.price = -.infinity }, reason: "non_finite_price"),
            Sent(frames: variant { $0.price = 0 }, reason: "non_positive_price"),
            Sent(frames: variant { $0.price = -1 }, reason: "non_positive_price"),
            Sent(frames: variant { $0.price = 1e15 }, reason: "absurd_magnitude"),
            Sent(frames: variant { $0.symbol = "" }, reason: "missing_field"),
            Sent(frames: variant { $0.exchangeTimeNs = now + 3_600 * Self.second }, reason: "future_timestamp"),
            Sent(frames: variant { $0.exchangeTimeNs = now - 7_200 * Self.second }, reason: "past_timestamp"),
            Sent(frames: variant { $0.bid = .nan; $0.ask = 101 }, reason: "invalid_quote"),
            Sent(frames: variant { $0.bid = 102; $0.ask = 101 }, reason: "crossed_quote"),
            Sent(frames: variant { $0.size = -1 }, reason: "invalid_size"),
            Sent(frames: valid, reason: "duplicate"),
            Sent(frames: variant { $0.exchangeTimeNs = last.exchangeTimeNs - 50_000_000 }, reason: "out_of_order"),
            Sent(frames: variant { $0.symbol = "AAA\u{7}" }, reason: "invalid_symbol"),
            Sent(frames: variant { $0.venue = "TE\u{1}ST" }, reason: "invalid_venue"),
            Sent(frames: [Array(repeating: 0x74, count: 600), Array(repeating: 0x08, count: 600)],
                 reason: "oversized_frame"),
        ]
        // An unbounded symbol set is a memory attack: names beyond the four slots are refused.
        for junk in 0..<5 { messages.append(Sent(frames: variant { $0.symbol = "JUNK\(junk)" }, reason: "symbol_cap_exceeded")) }
        return messages
    }

    static let cryptofeedBatch: [Sent] = [
        Sent(frames: [Array("COINBASE-trades-BTC-USD {\"exchange\":\"COINBASE\",".utf8)], reason: "invalid_json"),
        Sent(frames: [Array("COINBASE-trades-BTC-USD [1,2,3]".utf8)], reason: "unknown_encoding"),
        Sent(frames: [Array("COINBASE-trades-BTC-USD".utf8)], reason: "malformed_frame"),
        Sent(frames: [Array(("COINBASE-trades-BTC-USD {\"exchange\":\"COINBASE\",\"symbol\":\"BTC-USD\",\"side\":\"buy\","
                            + "\"amount\":1,\"price\":43000,\"timestamp\":1e30}").utf8)], reason: "invalid_timestamp"),
        Sent(frames: [Array(#"COINBASE-fills-BTC-USD {"exchange":"COINBASE","symbol":"BTC-USD","price":1}"#.utf8)],
             reason: nil),
        // A trade without its symbol: the topic still names the channel, so it is rejected, not ignored.
        Sent(frames: [Array(#"COINBASE-trades-BTC-USD {"exchange":"COINBASE","price":43000,"timestamp":1.7e9}"#.utf8)],
             reason: "missing_field"),
    ]
}
