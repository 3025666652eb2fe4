import Foundation
import FulcrumProtocol
import Testing

/// Restart without loss: checkpoints survive SIGKILL, a restarted process resumes from the last one without a new
/// warm-up, and replaying the ticks after it reproduces the parameters of a run that never stopped.
@Suite("Restart from a checkpoint through the fulcrum binary", .serialized, .timeLimit(.minutes(5)))
struct RestartTests {
    /// A full residual window (60) from step ~60 on and ε = 5 % (k = 3 tail residuals), so the optimizer's power
    /// sums are updated incrementally across the checkpoint; 4 s coverage horizons in a window of 20, so coverage
    /// has history to carry over the restart.
    static func config(feed: String, checkpoint: String?, gridInterval: String = "1s") -> String {
        var yaml = """
            ingest:
              feeds:
                - name: test
                  endpoint: \(feed)
                  bind: false
              symbols:
                allowList: [AAA, BBB, CCC]
              validation:
                maximumAge: 1h
            estimation:
              gridInterval: \(gridInterval)
              halfLife: 10s
              warmupESS: 5
              residualCapacity: 60
            model:
              coverage:
                minimumResidualCount: 30
                tailProbability: 0.05
                liquidationHorizonNs: 4000000000
              governance:
                refreshIntervalNs: 1s
            coverage:
              enabled: true
              window: 20
              includeWarming: true
              widening:
                enabled: true
            http:
              enabled: false

            """
        if let checkpoint {
            yaml += """
                checkpoint:
                  enabled: true
                  path: \(checkpoint)
                  interval: 20s

                """
        }
        return yaml
    }

    /// Every `risk.*` update a subscriber received, keyed by symbol and as-of time.
    static func parameters(_ subscriber: FeedSubscriber) -> [String: WireRiskParameters] {
        var result: [String: WireRiskParameters] = [:]
        for (_, message) in subscriber.parameters { result["\(message.symbol)@\(message.asOfNs)"] = message }
        return result
    }

    static func waitForPortfolio(_ subscriber: FeedSubscriber, asOf boundary: Int64,
                                 timeout: Duration = .seconds(60)) async throws -> Bool {
        let frames = try await subscriber.wait(timeout: timeout) { frames in
            frames.contains { $0.topic == "portfolio"
                && (try? WirePortfolioUpdate(serializedBytes: $0.payload))?.asOfNs == boundary }
        }
        return frames.contains { $0.topic == "portfolio"
            && (try? WirePortfolioUpdate(serializedBytes: $0.payload))?.asOfNs == boundary }
    }

    /// Starts fulcrum on a fresh feed server and waits until both directions are connected.
    static func start(_ checkpoint: String?, arguments: [String] = []) async throws
        -> (FulcrumProcess, FeedServer, FeedSubscriber) {
        let feed = try FeedServer()
        let fulcrum = try FulcrumProcess(yaml: config(feed: feed.endpoint, checkpoint: checkpoint), arguments: arguments)
        let subscriber = FeedSubscriber(endpoint: fulcrum.publishEndpoint)
        let beat = try await subscriber.wait { $0.contains { $0.topic == "hb" } }
        try #require(beat.contains { $0.topic == "hb" }, "no heartbeat; log:\n\(fulcrum.log)")
        try #require(try await feed.waitForSubscriber(), "fulcrum never subscribed to the feed; log:\n\(fulcrum.log)")
        return (fulcrum, feed, subscriber)
    }

    @Test("SIGKILL mid-stream, restart: intact database, resumed parameters, replay equals an uninterrupted run")
    func killAndResume() async throws {
        let series = TickSeries(steps: 150)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("restart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("checkpoint.sqlite").path

        // The run that never stops.
        let (reference, referenceFeed, referenceSubscriber) = try await Self.start(nil)
        for tick in series.ticks { try referenceFeed.send(tick) }
        try #require(try await Self.waitForPortfolio(referenceSubscriber, asOf: series.lastBoundary),
                     "reference run incomplete; log:\n\(reference.log)")
        referenceSubscriber.finish()
        #expect(try await reference.stop() == 0)
        let expected = Self.parameters(referenceSubscriber)

        // The run that is killed: 100 steps in, checkpoints every 20 s of event time.
        let (victim, victimFeed, victimSubscriber) = try await Self.start(database)
        let perStep = TickSeries.symbols.count
        for tick in series.ticks.prefix(100 * perStep) { try victimFeed.send(tick) }
        try #require(try await Self.waitForPortfolio(victimSubscriber, asOf: series.boundary(step: 99)),
                     "victim run incomplete; log:\n\(victim.log)")
        var stored = try await SQLiteProbe.checkpoint(database)
        let deadline = ContinuousClock.now + .seconds(30)
        while (stored?.boundary ?? 0) < series.boundary(step: 80), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            stored = try await SQLiteProbe.checkpoint(database)
        }
        try #require((stored?.boundary ?? 0) >= series.boundary(step: 80), "no checkpoint at 80 s; log:\n\(victim.log)")
        // More ticks in flight, then SIGKILL: no shutdown path runs.
        for tick in series.ticks[(100 * perStep)..<(110 * perStep)] { try victimFeed.send(tick) }
        _ = try await victim.stop(signal: SIGKILL)
        #expect(victim.process.terminationReason == .uncaughtSignal)
        victimSubscriber.finish()

        // The database is intact and holds a checkpoint from before the kill.
        let integrity = try await SQLiteProbe.query(database, "PRAGMA integrity_check")
        #expect((integrity.first?.first as? String) == "ok", "integrity: \(integrity)")
        let checkpoint = try #require(try await SQLiteProbe.checkpoint(database))
        #expect(checkpoint.boundary >= series.boundary(step: 80) && checkpoint.boundary <= series.boundary(step: 110))
        #expect(checkpoint.boundary % 20_000_000_000 == 0, "checkpoints land on multiples of the interval")
        #expect(checkpoint.through >= checkpoint.boundary && checkpoint.through < checkpoint.boundary + 1_000_000_000)

        // Restart: parameters resume from the checkpoint at once (snapshot before any tick), with a new epoch.
        let (resumed, resumedFeed, resumedSubscriber) = try await Self.start(database)
        defer { resumedSubscriber.finish() }
        #expect(resumed.log.contains("resuming from checkpoint"), "log:\n\(resumed.log)")
        let snapshot = try #require(try requestSnapshot(resumed.snapshotEndpoint), "no snapshot from the resumed run")
        for symbol in TickSeries.symbols {
            let payload = try #require(snapshot["risk.\(symbol)"], "\(symbol) missing from the resumed snapshot")
            let message = try WireRiskParameters(serializedBytes: payload)
            #expect(message.asOfNs == checkpoint.boundary)
            #expect(message.status != .warming && message.inputs.residualCount >= 30,
                    "\(symbol) warming again after restart: \(message.status), \(message.inputs.residualCount) residuals")
            #expect(UInt64(bitPattern: checkpoint.epoch) != message.publisherEpoch, "a restart is a new epoch")
            // The latest value the uninterrupted run had published by then.
            let before = expected.values.filter { $0.symbol == symbol && $0.asOfNs <= checkpoint.boundary }
                .max { $0.asOfNs < $1.asOfNs }
            let want = try #require(before)
            let differences = parameterDifferences(message, want).filter {
                // Republished at the checkpoint's boundary with the latest price: the rest is the same update.
                !$0.hasPrefix("as_of") && !$0.hasPrefix("grid_step") && !$0.hasPrefix("reasons")
                    && !$0.hasPrefix("price")
            }
            #expect(differences.isEmpty, "\(symbol) resumed with \(differences)")
            #expect(message.coverage == want.coverage, "\(symbol) coverage \(message.coverage) vs \(want.coverage)")
            #expect(message.coverage.observations > 0, "\(symbol) resumed without coverage history")
        }

        // Replay what the checkpoint does not reflect, and compare with the uninterrupted run.
        for tick in series.ticks where tick.exchangeTimeNs > checkpoint.through { try resumedFeed.send(tick) }
        try #require(try await Self.waitForPortfolio(resumedSubscriber, asOf: series.lastBoundary),
                     "resumed run incomplete; log:\n\(resumed.log)")
        let got = Self.parameters(resumedSubscriber).filter { $0.value.asOfNs > checkpoint.boundary }
        let want = expected.filter { $0.value.asOfNs > checkpoint.boundary }
        #expect(got.count == want.count && Set(got.keys) == Set(want.keys),
                "resumed run published \(got.count) updates after the checkpoint, the reference \(want.count)")
        // Exact equality of every field but the publisher epoch, coverage included.
        var differing: [String] = []
        for (key, message) in got.sorted(by: { $0.key < $1.key }) {
            guard let reference = want[key] else { continue }
            if let differences = exactDifferences(message, reference) {
                differing.append("\(key): \(differences)")
            }
        }
        #expect(differing.isEmpty, "\(differing.count) of \(got.count) differ: \(differing.prefix(5))")
        #expect(got.count >= 3 * 39, "too few updates compared: \(got.count)")
        #expect(got.values.allSatisfy { $0.coverage.observations > 0 }, "coverage missing from resumed updates")

        // Graceful stop writes a final checkpoint at the last boundary.
        #expect(try await resumed.stop() == 0)
        #expect(try await SQLiteProbe.checkpoint(database)?.boundary == series.lastBoundary)
    }

    @Test("Corrupt and incompatible checkpoints are refused with the file and the problem; --fresh starts anew")
    func refusals() async throws {
        let series = TickSeries(steps: 30)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("refuse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("checkpoint.sqlite").path
        let (writer, feed, subscriber) = try await Self.start(database)
        for tick in series.ticks { try feed.send(tick) }
        try #require(try await Self.waitForPortfolio(subscriber, asOf: series.lastBoundary), "log:\n\(writer.log)")
        subscriber.finish()
        #expect(try await writer.stop() == 0)
        try #require(try await SQLiteProbe.checkpoint(database)?.boundary == series.lastBoundary)

        func refused(_ yaml: String, _ expectations: [String]) async throws {
            let fulcrum = try FulcrumProcess(yaml: yaml)
            #expect(try await waitForExit(fulcrum.process), "fulcrum ran with a bad checkpoint; log:\n\(fulcrum.log)")
            #expect(fulcrum.process.terminationStatus != 0)
            for text in expectations + [database, "--fresh"] {
                #expect(fulcrum.log.contains(text), "missing '\(text)' in:\n\(fulcrum.log)")
            }
        }
        // Another grid: the estimator state cannot be continued.
        try await refused(Self.config(feed: "tcp://127.0.0.1:1", checkpoint: database, gridInterval: "2s"),
                          ["incompatible", "gridInterval"])
        // Another schema version.
        _ = try await SQLiteProbe.query(database, "PRAGMA user_version = 99")
        try await refused(Self.config(feed: "tcp://127.0.0.1:1", checkpoint: database),
                          ["incompatible", "schema version 99"])
        _ = try await SQLiteProbe.query(database, "PRAGMA user_version = 1")
        // One payload byte altered behind SQLite's back: the checksum catches it.
        try await SQLiteProbe.flipPayloadByte(database, at: 100)
        try await refused(Self.config(feed: "tcp://127.0.0.1:1", checkpoint: database), ["corrupt", "checksum"])

        // --fresh sets it aside and runs.
        let (fresh, _, freshSubscriber) = try await Self.start(database, arguments: ["--fresh"])
        freshSubscriber.finish()
        #expect(fresh.log.contains("set aside"), "log:\n\(fresh.log)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files.contains { $0.hasPrefix("checkpoint.sqlite.refused-") }, "files: \(files)")
        #expect(try await fresh.stop() == 0)
    }
}
