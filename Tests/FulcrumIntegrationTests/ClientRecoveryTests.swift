import Foundation
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import MarketData
import RiskFeed
import Testing

/// Consumers across a publisher crash: the Python example client, `fulcrum watch` and the Swift client library in
/// process, all attached to a real `fulcrum` that is SIGKILLed and restarted on the same ports.
@Suite("Clients across a publisher crash and restart", .serialized, .timeLimit(.minutes(4)))
struct ClientRecoveryTests {
    static let deadAfterSeconds = 1.5
    /// Generous: detection takes the dead time plus a poll period; the bound only has to hold on a loaded machine.
    static let detectionBound = Duration.seconds(12)
    static let positions = ["AAA": 1_000_000.0, "BBB": -2_000_000.0, "CCC": 3_000_000.0]

    static func configuration(feed: String) -> FulcrumConfiguration {
        var configuration = FulcrumConfiguration.smallEngine(
            feeds: [FeedConfiguration(name: "test", endpoint: feed, bind: false)], symbols: ["AAA", "BBB", "CCC"])
        configuration.ingest.feedSilenceStaleAfter = .zero
        configuration.model.governance.refreshIntervalNs = FulcrumConfiguration.second
        configuration.http.enabled = false
        return configuration
    }

    static func json(_ line: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    /// A JSON number as parsed by Foundation, whichever type it chose.
    static func double(_ value: Any?) -> Double? {
        if let value = value as? NSNumber { return value.doubleValue }
        if let value = value as? Double { return value }
        return (value as? Int).map(Double.init)
    }

    static func unsigned(_ value: Any?) -> UInt64? {
        if let value = value as? NSNumber { return value.uint64Value }
        if let value = value as? Int { return UInt64(exactly: value) }
        return (value as? UInt64)
    }

    /// The Python client's event lines (`{"event": ...}`), in order.
    static func pythonEvents(_ lines: [String]) -> [[String: Any]] {
        lines.compactMap(json).filter { $0["event"] != nil }
    }

    @Test("SIGKILL: every client reports the publisher dead; restart: each resyncs on the new epoch to its snapshot")
    func crashAndRestart() async throws {
        let ports = try FreePorts.take(2)
        let publish = "tcp://127.0.0.1:\(ports[0])", snapshot = "tcp://127.0.0.1:\(ports[1])"
        let feed = try FeedServer()
        let start = (Int64(Date().timeIntervalSince1970) - 1_800) * 1_000_000_000
        let before = TickSeries(steps: 20, start: start), after = TickSeries(steps: 60, start: start)

        let first = try FulcrumProcess(configuration: Self.configuration(feed: feed.endpoint), publisherPorts: ports)
        try #require(try await feed.waitForSubscriber(), "fulcrum never subscribed; log:\n\(first.log)")
        for tick in before.ticks { try feed.send(tick) }

        // The three consumers.
        let python = try StreamingProcess(URL(fileURLWithPath: "/usr/bin/env"), [
            "python3", "protocols/examples/fulcrum_client.py", publish, "--snapshot", snapshot,
            "--dead-after", "\(Self.deadAfterSeconds)",
        ] + Self.positions.flatMap { ["--position", "\($0.key)=\($0.value)"] }, directory: repositoryRoot)
        let watch = try StreamingProcess(FulcrumProcess.binary, [
            "watch", publish, "--snapshot", snapshot, "--format", "lines", "--dead-after", "\(Self.deadAfterSeconds)",
        ])
        var configuration = RiskFeedClientConfiguration(publishEndpoint: publish, snapshotEndpoint: snapshot)
        configuration.deadAfter = .milliseconds(Int64(Self.deadAfterSeconds * 1_000))
        let client = try RiskFeedClient(configuration: configuration)
        let recorder = ClientEventRecorder()
        let following = recorder.follow(client)
        let running = Task { try await client.run() }
        defer { client.stop() }

        // Everyone follows the first lifetime to its last step.
        let firstDone = try await waitFor(.seconds(60)) { client.state.portfolio?.asOfNs == before.lastBoundary }
        try #require(firstDone, "the library client never saw the first run's last step; log:\n\(first.log)")
        let firstEpoch = try #require(client.state.epoch)
        try #require(try await python.wait(timeout: .seconds(30)) {
            Self.pythonEvents($0).contains { $0["event"] as? String == "synchronized" }
        }, "python never synchronized: \(python.lines.suffix(5)) \(python.errorText)")
        try #require(try await watch.wait(timeout: .seconds(30)) {
            $0.contains { $0.contains("synchronized epoch=\(firstEpoch)") }
        }, "watch never synchronized: \(watch.lines.suffix(5)) \(watch.errorText)")

        // SIGKILL: no goodbye of any kind; only the silence tells.
        let killedAt = ContinuousClock.now
        _ = try await first.stop(signal: SIGKILL)
        var detected: [String: Duration] = [:]
        let everyoneNoticed = try await waitFor(Self.detectionBound) {
            let now = ContinuousClock.now
            if detected["python"] == nil, Self.pythonEvents(python.lines).contains(where: {
                $0["event"] as? String == "publisher_dead" }) { detected["python"] = now - killedAt }
            if detected["watch"] == nil, watch.lines.contains(where: { $0.contains("publisher DEAD") }) {
                detected["watch"] = now - killedAt
            }
            if detected["library"] == nil, let seen = recorder.all.first(where: {
                if case .publisherDead = $0.event { true } else { false } }) { detected["library"] = seen.at - killedAt }
            return detected.count == 3
        }
        let tails = "python: \(python.lines.suffix(3)), watch: \(watch.lines.suffix(3))"
        #expect(everyoneNoticed, "dead reported by \(detected); \(tails)")
        #expect(!client.state.isPublisherAlive)
        // Nobody may call it dead before its dead time could have run out (the last beat came at most ~0.5 s
        // before the kill).
        for (name, elapsed) in detected {
            #expect(elapsed >= .seconds(Self.deadAfterSeconds - 0.6), "\(name) reported dead after \(elapsed)")
        }

        // A new lifetime on the same ports, fed a longer series.
        let second = try FulcrumProcess(configuration: Self.configuration(feed: feed.endpoint), publisherPorts: ports)
        try #require(try await feed.waitForSubscriber(), "restarted fulcrum never subscribed; log:\n\(second.log)")
        for tick in after.ticks { try feed.send(tick) }
        let secondDone = try await waitFor(.seconds(60)) {
            client.state.portfolio?.asOfNs == after.lastBoundary && client.state.isSynchronized
        }
        try #require(secondDone, "the library client never saw the second run's last step; log:\n\(second.log)")

        // What the restarted publisher serves: the reference every client must hold.
        let served = try #require(try requestSnapshot(snapshot), "no snapshot from the restarted fulcrum")
        let servedParameters = try served.filter { $0.key.hasPrefix("risk.") }
            .mapValues { try WireRiskParameters(serializedBytes: $0) }
        let servedPortfolio = try WirePortfolioUpdate(serializedBytes: try #require(served["portfolio"]))
        let secondEpoch = servedPortfolio.publisherEpoch
        #expect(secondEpoch != firstEpoch)
        #expect(servedParameters.count == 3 && servedParameters.values.allSatisfy {
            $0.publisherEpoch == secondEpoch && $0.asOfNs == after.lastBoundary })

        // The library client: resynced for the new epoch after the kill, and holds exactly the snapshot. (Its
        // events reach the recorder through a task that a loaded machine may run late.)
        func eventsAfterKill() -> [RiskFeedEvent] { recorder.all.filter { $0.at >= killedAt }.map(\.event) }
        _ = try await waitFor(.seconds(20)) {
            eventsAfterKill().contains { if case .synchronized(secondEpoch, _, _) = $0 { true } else { false } }
        }
        let afterKill = eventsAfterKill()
        let libraryResyncs = afterKill.compactMap { if case .resyncing(let reason) = $0 { reason } else { nil } }
        #expect(libraryResyncs.first == .newEpoch, "library resyncs after the kill: \(libraryResyncs)")
        #expect(afterKill.contains { if case .publisherAlive = $0 { true } else { false } })
        let state = client.state
        #expect(state.epoch == secondEpoch && state.isPublisherAlive)
        #expect(Set(state.parameters.keys.map { "risk.\($0)" }) == Set(servedParameters.keys))
        for (topic, message) in servedParameters {
            #expect(state.parameters[String(topic.dropFirst("risk.".count))] == message, "library \(topic) differs")
        }
        #expect(state.portfolio == servedPortfolio, "library portfolio differs")

        // `fulcrum watch`: dead, alive again, resync with the reason, synchronized on the new epoch.
        #expect(try await watch.wait(timeout: .seconds(20)) {
            $0.contains { $0.contains("synchronized epoch=\(secondEpoch)") }
        }, "watch never synchronized on the new epoch: \(watch.lines.suffix(5))")
        let watchAfter = watch.lines.drop { !$0.contains("publisher DEAD") }
        #expect(watchAfter.contains { $0.contains("publisher ALIVE") }, "watch: \(watchAfter.suffix(5))")
        let watchResyncs = watchAfter.filter { $0.contains("RESYNC reason=") }
        #expect(watchResyncs.first?.contains("RESYNC reason=new_epoch") == true, "watch resyncs: \(watchResyncs)")

        // The Python client: the same story in its event lines, then its final state.
        let pythonCaughtUp = try await python.wait(timeout: .seconds(30)) { lines in
            lines.compactMap(Self.json).contains {
                $0["event"] as? String == "synchronized" && Self.unsigned($0["epoch"]) == secondEpoch
            }
        }
        #expect(pythonCaughtUp, "python never synchronized on the new epoch: \(python.lines.suffix(5))")
        let pythonAfter = Self.pythonEvents(python.lines).drop { $0["event"] as? String != "publisher_dead" }
        #expect(pythonAfter.contains { $0["event"] as? String == "publisher_alive" })
        let pythonResyncs = pythonAfter.filter { $0["event"] as? String == "resync" }.compactMap { $0["reason"] as? String }
        #expect(pythonResyncs.first == "new_epoch", "python resyncs after the kill: \(pythonResyncs)")
        // Its update lines show when it has applied the restarted run's last step; then ask for its state.
        let pythonDone = try await python.wait(timeout: .seconds(30)) { lines in
            lines.compactMap(Self.json).contains {
                $0["topic"] as? String == "portfolio" && "\($0["as_of_ns"] ?? "")" == "\(after.lastBoundary)"
            }
        }
        #expect(pythonDone, "python never applied the last step: \(python.lines.suffix(3))")
        #expect(try await python.stop(), "python did not exit on SIGTERM")
        let summary = try #require(python.lines.last.flatMap(Self.json), "no summary: \(python.errorText)")
        let serialized = try #require(summary["serialized"] as? [String: String])
        #expect(Set(serialized.keys) == Set(served.keys), "python holds \(serialized.keys.sorted())")
        for (topic, message) in servedParameters {
            let bytes = try #require(serialized[topic].flatMap { Data(base64Encoded: $0) }, "python lacks \(topic)")
            #expect(try WireRiskParameters(serializedBytes: bytes) == message, "python \(topic) differs")
        }
        let pythonPortfolio = try #require(serialized["portfolio"].flatMap { Data(base64Encoded: $0) })
        #expect(try WirePortfolioUpdate(serializedBytes: pythonPortfolio) == servedPortfolio)

        // Same state, same portfolio margin: the Python implementation against the Swift library.
        let swiftMargin = try #require(state.portfolioMargin(positions: Self.positions))
        let pythonMargin = try #require(summary["portfolio_margin"] as? [String: Any], "python computed no margin")
        for (key, value) in [("margin", swiftMargin.margin), ("standalone_sum", swiftMargin.standaloneSum),
                             ("credit", swiftMargin.credit), ("uncapped_credit", swiftMargin.uncappedCredit)] {
            let got = try #require(Self.double(pythonMargin[key]), "python margin lacks \(key)")
            #expect(got.isApproximatelyEqual(to: value, relativeTolerance: 1e-9),
                    "\(key): python \(got), swift \(value)")
        }
        #expect(Self.double(pythonMargin["pairs_without_credit"]) == Double(swiftMargin.pairsWithoutCredit))
        // The series is deterministic and long enough for every pair to warm: the diversified path is compared.
        #expect(swiftMargin.standaloneSum > 0 && swiftMargin.credit > 0 && !swiftMargin.invalidInput)

        _ = try await watch.stop()
        client.stop()
        try await running.value
        await following.value
        #expect(try await second.stop() == 0)
    }

    /// Polls `condition` every 20 ms until it holds or `timeout` passes; returns whether it held.
    func waitFor(_ timeout: Duration, _ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }
}
