import Foundation
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import RiskFeed
import Testing
import ZeroMQ

@Suite("Operations: metrics, health, readiness and parameters, the application in process", .serialized,
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
        // Every interval's first tick closes exactly one grid step: one latency sample per step.
        let latencies = try #require(await scenario.metric("fulcrum_grid_step_seconds_count"))
        #expect(latencies == Double(scenario.step))
        #expect(await scenario.metric("fulcrum_grid_step_seconds_bucket", ["le": "+Inf"]) == latencies)
        let stepSum = try #require(await scenario.metric("fulcrum_grid_step_seconds_sum"))
        // The two phases of a step have their own histograms, one sample per tick that closed steps; both happen
        // between the tick's receipt and its last update queued, so together they fit inside the step latency.
        var phaseSum = 0.0
        for phase in ["fulcrum_estimator_step_seconds", "fulcrum_optimizer_step_seconds"] {
            #expect(await scenario.metric(phase + "_count") == latencies, "\(phase)")
            let sum = try #require(await scenario.metric(phase + "_sum"))
            #expect(sum > 0, "\(phase)_sum \(sum)")
            phaseSum += sum
        }
        #expect(phaseSum <= stepSum * (1 + 1e-6) + 1e-4, "phases \(phaseSum) s, whole steps \(stepSum) s")
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
                #expect(served.isApproximatelyEqual(to: value, relativeTolerance: 1e-9),
                        "\(symbol).\(key): \(served) vs \(value)")
            }
            #expect(asset["maxLeverage"] as? Int == Int(wire.maxLeverage))
            // The snapshot is taken when a grid step closes: an asset's price is its last tick at or before then.
            let price = try #require(asset["price"] as? Double)
            let sent = [scenario.step, scenario.step - 1].map { OperationsScenario.price(index, $0) }
            #expect(sent.contains { price.isApproximatelyEqual(to: $0, relativeTolerance: 1e-9) },
                    "\(symbol) price \(price) vs \(sent)")
            let imfTarget = try #require(asset["imfTarget"] as? Double)
            let imfGauge = try #require(await scenario.metric("fulcrum_asset_imf", ["symbol": symbol]))
            let targetGauge = try #require(await scenario.metric("fulcrum_asset_imf_target", ["symbol": symbol]))
            #expect(imfGauge.isApproximatelyEqual(to: wire.imf, relativeTolerance: 1e-9))
            #expect(targetGauge.isApproximatelyEqual(to: imfTarget, relativeTolerance: 1e-9))
            // No tick since: the σ and status gauges show the state /parameters serves.
            let sigma = try #require(asset["sigmaAnnual"] as? Double, "\(symbol) has no σ")
            let sigmaGauge = try #require(await scenario.metric("fulcrum_asset_sigma_annual", ["symbol": symbol]))
            #expect(sigma > 0 && sigmaGauge.isApproximatelyEqual(to: sigma, relativeTolerance: 1e-9),
                    "\(symbol) σ gauge \(sigmaGauge), /parameters \(sigma)")
            let status = try #require(asset["status"] as? String, "\(symbol) has no status")
            #expect(await Self.statusGauges(scenario, symbol) == Self.statusGauges(showing: status), "\(symbol)")
        }
        #expect(document["ready"] as? Bool == true)

        // Snapshot requests over the real ROUTER socket: the counters move by exactly what was sent.
        let answered0 = try #require(await scenario.metric("fulcrum_snapshot_requests_total", ["result": "answered"]))
        let invalid0 = try #require(await scenario.metric("fulcrum_snapshot_requests_total", ["result": "invalid"]))
        let replies = try await Self.requestSnapshots(scenario.fulcrum.snapshotEndpoint, valid: 4, invalid: 3)
        #expect(replies == 4, "snapshot replies received")
        let counted = try await Operations.poll(base + "/metrics", session: session, timeout: .seconds(10)) { _, body in
            let samples = PrometheusSamples(String(decoding: body, as: UTF8.self))
            let requests = "fulcrum_snapshot_requests_total"
            return samples.value(requests, ["result": "invalid"]) == invalid0 + 3
                && samples.value(requests, ["result": "answered"]) == answered0 + 4
        }
        let samples = PrometheusSamples(String(decoding: counted?.body ?? Data(), as: UTF8.self))
        #expect(samples.value("fulcrum_snapshot_requests_total", ["result": "answered"]) == answered0 + 4)
        #expect(samples.value("fulcrum_snapshot_requests_total", ["result": "invalid"]) == invalid0 + 3)
        #expect(try await scenario.fulcrum.stop() == 0)
    }

    /// The values of the asset's status gauges by status name (absent ones as `nil`).
    static func statusGauges(_ scenario: OperationsScenario, _ symbol: String) async -> [String: Double?] {
        var values: [String: Double?] = [:]
        for status in ["warming", "ready", "stressed", "stale"] {
            values[status] = await scenario.metric("fulcrum_asset_status", ["symbol": symbol, "status": status])
        }
        return values
    }

    /// The status gauges of an asset whose status is `status`: 1 for it, 0 for the others.
    static func statusGauges(showing status: String) -> [String: Double?] {
        Dictionary(uniqueKeysWithValues: ["warming", "ready", "stressed", "stale"].map { ($0, $0 == status ? 1 : 0) })
    }

    /// Sends `valid` snapshot requests and `invalid` undecodable ones from a DEALER socket; returns how many
    /// complete replies (ending with `snapshot.end`) came back.
    static func requestSnapshots(_ endpoint: String, valid: Int, invalid: Int) async throws -> Int {
        let context = try ZMQContext()
        let socket = try Socket(context: context, type: .dealer)
        defer { socket.close() }
        try socket.setLinger(milliseconds: 0)
        try socket.connect(endpoint)
        var request = Fulcrum_V1_SnapshotRequest()
        request.encoding = .protobuf
        for _ in 0..<valid { _ = try socket.send(try request.serializedBytes()) }
        for _ in 0..<invalid { _ = try socket.send([0xFF, 0xFF, 0xFF]) }
        var ends = 0
        let deadline = ContinuousClock.now + .seconds(10)
        while ends < valid, ContinuousClock.now < deadline {
            guard let frames = try socket.receiveMultipart(wait: false) else {
                try await Task.sleep(for: .milliseconds(20))
                continue
            }
            if frames.first == Array(Topic.snapshotEnd.utf8) { ends += 1 }
        }
        return ends
    }

    @Test("/ready: 200 while fed, 503 naming the quiet feed, 200 again; status gauges follow the stale republication")
    func staleFeed() async throws {
        let scenario = try OperationsScenario {
            $0.http.feedFreshness = .seconds(1)
            $0.ingest.feedSilenceStaleAfter = .seconds(4)
        }
        let connected = try await scenario.connect()
        try #require(connected, "fulcrum never received a tick; log:\n\(scenario.fulcrum.log)")
        try scenario.advance(30)
        try #require(try await scenario.settle(), "log:\n\(scenario.fulcrum.log)")

        let fresh = try await Self.tickUntilReady(scenario)
        #expect(fresh?.status == 200,
                "never ready while fed: \(String(decoding: fresh?.body ?? Data(), as: UTF8.self))")
        #expect(Operations.json(fresh?.body ?? Data())["reasons"] as? [String] == [])
        try #require(try await scenario.settle(), "log:\n\(scenario.fulcrum.log)")
        try await Self.expectStatusGauges(scenario, notEqualTo: "stale")

        // Garbage only (every tick rejected for its price), then silence: /ready fails for the feed and nothing
        // else, because freshness counts accepted ticks.
        let rejectedBefore = await scenario.metric("fulcrum_ticks_rejected_total",
                                                   ["feed": "test", "reason": "non_positive_price"]) ?? 0
        var garbage = scenario.tick(0, 31)
        garbage.price = -1
        var quiet: (status: Int, body: Data)?
        let garbageUntil = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < garbageUntil, quiet == nil {
            try scenario.publisher.send(garbage)
            if let answer = await Operations.get(scenario.httpBase + "/ready", session: scenario.session),
               answer.status != 200 { quiet = answer }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(quiet?.status == 503)
        let rejectedAfter = await scenario.metric("fulcrum_ticks_rejected_total",
                                                  ["feed": "test", "reason": "non_positive_price"]) ?? 0
        #expect(rejectedAfter - rejectedBefore >= 10, "the rejected ticks did not reach fulcrum")
        let reasons = Operations.json(quiet?.body ?? Data())["reasons"] as? [String] ?? []
        #expect(reasons.count == 1 && reasons.first?.hasPrefix("feed test: no accepted tick for ") == true, "\(reasons)")
        let silence = reasons.first.flatMap { Double($0.dropFirst("feed test: no accepted tick for ".count).dropLast()) }
        #expect((silence ?? 0) >= 1.0, "reported silence \(silence ?? .nan) s, feedFreshness 1 s")

        // Past ingest.feedSilenceStaleAfter every asset is republished as stale, and the gauges say so.
        let stale = try await Operations.poll(scenario.httpBase + "/parameters", session: scenario.session,
                                              timeout: .seconds(10)) { _, body in
            Self.statuses(Operations.json(body)).allSatisfy { $0 == "stale" }
        }
        let staleStatuses = Self.statuses(Operations.json(stale?.body ?? Data()))
        #expect(staleStatuses == Array(repeating: "stale", count: OperationsScenario.symbols.count), "\(staleStatuses)")
        for symbol in OperationsScenario.symbols {
            #expect(await Self.statusGauges(scenario, symbol) == Self.statusGauges(showing: "stale"), "\(symbol)")
        }
        #expect(scenario.subscriber.parameters.contains { $0.message.status == .stale }, "no STALE update on the feed")

        // Ticks again: ready, and the next grid step clears the stale mark.
        let resumed = try await Self.tickUntilReady(scenario)
        #expect(resumed?.status == 200, "not ready after ticks resumed")
        try #require(try await scenario.settle(), "log:\n\(scenario.fulcrum.log)")
        // The observable status refreshes every 250 ms while ticks flow: wait for the end of the silence to show.
        try await Operations.poll(scenario.httpBase + "/parameters", session: scenario.session,
                                  timeout: .seconds(5)) { _, body in
            !Self.statuses(Operations.json(body)).contains("stale")
        }
        try await Self.expectStatusGauges(scenario, notEqualTo: "stale")
        #expect(try await scenario.fulcrum.stop() == 0)
    }

    @Test("Checkpoint age over HTTP: 0 at each checkpointed boundary, +1 interval per step, matching the stored one")
    func checkpointAge() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-ops-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("checkpoint.sqlite").path
        let interval: Int64 = 4_000_000_000
        let scenario = try OperationsScenario { $0.writeCheckpoints(to: path, every: interval) }
        let connected = try await scenario.connect()
        try #require(connected, "fulcrum never received a tick; log:\n\(scenario.fulcrum.log)")

        var first: Int64?
        var ages: [Double] = []
        for _ in 0..<14 {
            try scenario.advance(1)
            try #require(try await scenario.settle(), "log:\n\(scenario.fulcrum.log)")
            let boundary = try #require(await scenario.parameters()["lastBoundaryNs"] as? Int64)
            first = first ?? boundary
            // The first step only starts the schedule; a checkpoint follows each step entering a new multiple.
            let crossed = boundary / interval - (first ?? boundary) / interval
            let written = await scenario.metric("fulcrum_checkpoints_total", ["result": "written"])
            guard crossed > 0 else {
                let row = try await Operations.checkpoint(at: path)
                #expect(written == 0 && row == nil,
                        "a checkpoint before the schedule's first interval: \(String(describing: row))")
                #expect(await scenario.metric("fulcrum_checkpoint_age_seconds") == nil)
                continue
            }
            let stored = boundary - boundary % interval
            let expectedAge = Double(boundary - stored) / 1e9
            // The writer thread stores the checkpoint after the step: poll until it reports it.
            let deadline = ContinuousClock.now + .seconds(15)
            var age = await scenario.metric("fulcrum_checkpoint_age_seconds")
            var row = try await Operations.checkpoint(at: path)
            func matches(_ age: Double?) -> Bool { age.map { abs($0 - expectedAge) < 1e-6 } ?? false }
            while ContinuousClock.now < deadline, !matches(age) || row?.boundary != stored {
                try await Task.sleep(for: .milliseconds(50))
                age = await scenario.metric("fulcrum_checkpoint_age_seconds")
                row = try await Operations.checkpoint(at: path)
            }
            #expect(row?.boundary == stored, "stored boundary \(row?.boundary ?? 0), expected \(stored)")
            #expect(matches(age),
                    "age \(age ?? .nan) s at boundary \(boundary), expected \(expectedAge) s")
            #expect(await scenario.metric("fulcrum_checkpoints_total", ["result": "written"]) == Double(crossed))
            ages.append(age ?? .nan)
        }
        // Small right after a checkpoint, then growing: both happened during the walk.
        #expect(ages.filter { abs($0) < 1e-6 }.count >= 2, "\(ages)")
        #expect(zip(ages, ages.dropFirst()).contains { abs($1 - $0 - 1) < 1e-6 }, "\(ages)")
        #expect(await scenario.metric("fulcrum_checkpoints_total", ["result": "failed"]) == 0)
        #expect(try await scenario.fulcrum.stop() == 0)
    }

    /// Sends one grid interval every 200 ms until `/ready` answers 200 (or 30 s pass); returns the last answer.
    static func tickUntilReady(_ scenario: OperationsScenario) async throws -> (status: Int, body: Data)? {
        var last: (status: Int, body: Data)?
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            try scenario.advance(1)
            try await Task.sleep(for: .milliseconds(200))
            last = await Operations.get(scenario.httpBase + "/ready", session: scenario.session)
            if last?.status == 200 { break }
        }
        return last
    }

    /// The margin status of every asset in a `/parameters` document.
    static func statuses(_ document: [String: Any]) -> [String] {
        (document["assets"] as? [[String: Any]] ?? []).map { $0["status"] as? String ?? "none" }
    }

    /// Every asset has a status other than `excluded`, and its status gauges show the one `/parameters` serves.
    static func expectStatusGauges(_ scenario: OperationsScenario, notEqualTo excluded: String) async throws {
        let document = await scenario.parameters()
        let assets = document["assets"] as? [[String: Any]] ?? []
        #expect(assets.count == OperationsScenario.symbols.count)
        for asset in assets {
            let symbol = try #require(asset["symbol"] as? String)
            let status = try #require(asset["status"] as? String, "\(symbol) has no status")
            #expect(status != excluded, "\(symbol) is \(status)")
            #expect(await statusGauges(scenario, symbol) == statusGauges(showing: status), "\(symbol) is \(status)")
        }
    }
}
