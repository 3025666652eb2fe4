import Foundation
import FulcrumProtocol
import Testing

@Suite("Operations: metrics, health, readiness and parameters of the real process", .serialized,
       .timeLimit(.minutes(3)))
struct OperationsHTTPTests {
    @Test("Counters count exactly what was sent; readiness follows warm-up; /parameters matches the risk feed")
    func observability() async throws {
        let scenario = try OperationsScenario()
        let base = scenario.httpBase
        let session = scenario.session
        let connected = try await scenario.connect()
        try #require(connected, "fulcrum never received a tick; log:\n\(scenario.fulcrum.log)")

        // Before warm-up: live, not ready, and /ready says why.
        let early = try #require(await Operations.get(base + "/ready", session: session))
        #expect(early.status == 503)
        let earlyReasons = Operations.json(early.body)["reasons"] as? [String] ?? []
        #expect(earlyReasons.contains { $0.hasPrefix("warming up") || $0 == "no grid step yet" }, "\(earlyReasons)")
        #expect(await Operations.get(base + "/health", session: session)?.status == 200)

        let feed = ["feed": "test"]
        let received0 = try #require(await scenario.metric("fulcrum_ticks_received_total", feed))
        let accepted0 = try #require(await scenario.metric("fulcrum_ticks_accepted_total", feed))
        let truncated0 = try #require(await scenario.metric("fulcrum_ticks_rejected_total",
                                                          ["feed": "test", "reason": "truncated_protobuf"]))
        let negative0 = try #require(await scenario.metric("fulcrum_ticks_rejected_total",
                                                           ["feed": "test", "reason": "non_positive_price"]))
        var sent = try scenario.advance(30)
        for _ in 0..<3 { try scenario.publisher.sendRaw([Array("tick.TEST.AAA".utf8), [0xFF, 0xFF, 0xFF]]) }
        for _ in 0..<2 {
            try scenario.publisher.send(TickPublisher.tick("BBB", price: -1,
                                                           at: scenario.start + 30_500_000_000))
        }
        sent += try scenario.advance(10)
        let expectedReceived = received0 + Double(sent + 5)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline,
              await scenario.metric("fulcrum_ticks_received_total", feed) != expectedReceived {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(await scenario.metric("fulcrum_ticks_received_total", feed) == expectedReceived)
        #expect(await scenario.metric("fulcrum_ticks_accepted_total", feed) == accepted0 + Double(sent))
        #expect(await scenario.metric("fulcrum_ticks_rejected_total", ["feed": "test", "reason": "truncated_protobuf"])
                == truncated0 + 3)
        #expect(await scenario.metric("fulcrum_ticks_rejected_total", ["feed": "test", "reason": "non_positive_price"])
                == negative0 + 2)
        #expect(await scenario.metric("fulcrum_grid_steps_total") == Double(scenario.step))
        let latencies = try #require(await scenario.metric("fulcrum_grid_step_seconds_count"))
        #expect(latencies >= 1 && latencies <= Double(scenario.step))
        // The two phases of a step have their own histograms, one sample per tick that closed steps.
        for phase in ["fulcrum_estimator_step_seconds", "fulcrum_optimizer_step_seconds"] {
            #expect(await scenario.metric(phase + "_count") == latencies, "\(phase)")
            let sum = try #require(await scenario.metric(phase + "_sum"))
            #expect(sum > 0 && sum < latencies, "\(phase)_sum \(sum)")
        }
        // The test's raw subscriber (subscribed to everything) is a connected peer holding one subscription.
        #expect(await scenario.metric("fulcrum_subscribers") == 1)
        #expect(await scenario.metric("fulcrum_subscriptions") == 1)

        // Warm: ready, and the published figures on /parameters are the last ones on the risk feed.
        let ready = try await Operations.poll(base + "/ready", session: session) { status, _ in status == 200 }
        #expect(ready?.status == 200, "never ready: \(String(decoding: ready?.body ?? Data(), as: UTF8.self))")
        let lastSequence = try #require(await scenario.metric("fulcrum_publisher_sequence"))
        let frames = try await scenario.subscriber.wait { frames in
            frames.contains { Double($0.sequence) >= lastSequence && !$0.topic.hasSuffix("hb") }
        }
        #expect(frames.filter { $0.topic.hasPrefix("risk.") || $0.topic == "portfolio" }.map(\.sequence).max()
                == UInt64(lastSequence))
        #expect(await scenario.metric("fulcrum_updates_published_total") == lastSequence)

        let answer = try #require(await Operations.get(base + "/parameters", session: session))
        let document = Operations.json(answer.body)
        let assets = document["assets"] as? [[String: Any]] ?? []
        #expect(assets.compactMap { $0["symbol"] as? String } == OperationsScenario.symbols)
        // Published levels change only with a published update, so they equal the last one on the feed; targets
        // and prices move every grid step and are fresher on /parameters than on the (governed) feed.
        let latest = Dictionary(scenario.subscriber.parameters.map { ($0.message.symbol, $0.message) }) { $1 }
        for (index, asset) in assets.enumerated() {
            let symbol = try #require(asset["symbol"] as? String)
            let wire = try #require(latest[symbol], "no risk.\(symbol) on the feed")
            for (key, value) in [("imf", wire.imf), ("mmf", wire.mmf)] {
                let served = try #require(asset[key] as? Double, "\(symbol).\(key) missing")
                #expect(Operations.isApproximatelyEqual(served, value), "\(symbol).\(key): \(served) vs \(value)")
            }
            #expect(asset["maxLeverage"] as? Int == Int(wire.maxLeverage))
            // The snapshot is taken when a grid step closes: an asset's price is its last tick at or before then.
            let price = try #require(asset["price"] as? Double)
            let sent = [scenario.step, scenario.step - 1].map { OperationsScenario.price(index, $0) }
            #expect(sent.contains { Operations.isApproximatelyEqual(price, $0) }, "\(symbol) price \(price) vs \(sent)")
            let imfTarget = try #require(asset["imfTarget"] as? Double)
            let imfGauge = try #require(await scenario.metric("fulcrum_asset_imf", ["symbol": symbol]))
            let targetGauge = try #require(await scenario.metric("fulcrum_asset_imf_target", ["symbol": symbol]))
            #expect(Operations.isApproximatelyEqual(imfGauge, wire.imf))
            #expect(Operations.isApproximatelyEqual(targetGauge, imfTarget))
        }
        #expect(document["ready"] as? Bool == true)
        #expect(try await scenario.fulcrum.stop() == 0)
    }

    @Test("/ready fails when the feed goes quiet for longer than http.feedFreshness")
    func staleFeed() async throws {
        let scenario = try OperationsScenario(extraYAML: "\n  feedFreshness: 1s\n")
        let connected = try await scenario.connect()
        try #require(connected, "fulcrum never received a tick; log:\n\(scenario.fulcrum.log)")
        try scenario.advance(30)
        let stale = try await Operations.poll(scenario.httpBase + "/ready", session: scenario.session) { _, body in
            (Operations.json(body)["reasons"] as? [String] ?? []).contains { $0.hasPrefix("feed test: no message for") }
        }
        #expect(stale?.status == 503)
        #expect(try await scenario.fulcrum.stop() == 0)
    }
}
