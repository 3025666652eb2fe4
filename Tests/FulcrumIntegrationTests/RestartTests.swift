import Foundation
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import MarketData
import Testing

/// Restart without loss: checkpoints survive SIGKILL, a restarted process resumes from the last one without a new
/// warm-up, and replaying the ticks after it reproduces the parameters of a run that never stopped.
@Suite("Restart from a checkpoint through the fulcrum binary", .serialized, .timeLimit(.minutes(5)))
struct RestartTests {
    /// A full residual window (60) from step ~60 on and ε = 5 % (k = 3 tail residuals), so the optimizer's power
    /// sums are updated incrementally across the checkpoint; 4 s coverage horizons in a window of 20, so coverage
    /// has history to carry over the restart.
    static func configuration(feed: String, checkpoint: String?,
                              gridInterval: Int64 = FulcrumConfiguration.second) -> FulcrumConfiguration {
        let second = FulcrumConfiguration.second
        var configuration = FulcrumConfiguration.smallEngine(
            feeds: [FeedConfiguration(name: "test", endpoint: feed, bind: false)], symbols: ["AAA", "BBB", "CCC"])
        configuration.estimation.gridInterval = gridInterval
        configuration.estimation.residualCapacity = 60
        configuration.model.coverage.minimumResidualCount = 30
        configuration.model.coverage.tailProbability = 0.05
        configuration.model.coverage.liquidationHorizonNs = 4 * second
        configuration.model.governance.refreshIntervalNs = second
        configuration.coverage.enabled = true
        configuration.coverage.window = 20
        configuration.coverage.includeWarming = true
        configuration.coverage.widening.enabled = true
        configuration.http.enabled = false
        if let checkpoint { configuration.writeCheckpoints(to: checkpoint, every: 20 * second) }
        return configuration
    }

    /// One published update as compared across runs: its topic's as-of and its protobuf bytes with
    /// `publisher_epoch` cleared.
    struct ComparableUpdate: Equatable {
        var asOfNs: Int64
        var bytes: [UInt8]
    }

    /// The `risk.*` and `portfolio` updates a subscriber received, per topic in arrival order, repeats kept. An update
    /// that does not decode throws: it could not be compared, so it must not be dropped quietly.
    ///
    /// Cleared because it differs by design: `publisher_epoch` (every process start is a new epoch,
    /// protocols/README.md, "Restarts, checkpoints and epochs"). Not compared: the sequence frame (numbering restarts
    /// with the epoch), the `json.*` copies (the same messages in another encoding), heartbeats (wall-clock paced)
    /// and the order across topics within a step (each topic's own order is what a consumer relies on).
    static func updates(_ subscriber: FeedSubscriber) throws -> [String: [ComparableUpdate]] {
        var result: [String: [ComparableUpdate]] = [:]
        for frame in subscriber.received where frame.topic.hasPrefix("risk.") || frame.topic == "portfolio" {
            let update: ComparableUpdate
            if frame.topic == "portfolio" {
                var message = try WirePortfolioUpdate(serializedBytes: frame.payload)
                message.publisherEpoch = 0
                update = ComparableUpdate(asOfNs: message.asOfNs, bytes: try message.serializedBytes())
            } else {
                var message = try WireRiskParameters(serializedBytes: frame.payload)
                message.publisherEpoch = 0
                update = ComparableUpdate(asOfNs: message.asOfNs, bytes: try message.serializedBytes())
            }
            result[frame.topic, default: []].append(update)
        }
        return result
    }

    /// What differs between two runs' updates after `boundary`, topic by topic and position by position; empty when
    /// every topic holds the same updates in the same order, each equal bit for bit.
    static func differences(_ got: [String: [ComparableUpdate]], _ want: [String: [ComparableUpdate]],
                            after boundary: Int64) throws -> [String] {
        var differences: [String] = []
        for topic in Set(got.keys).union(want.keys).sorted() {
            let mine = (got[topic] ?? []).filter { $0.asOfNs > boundary }
            let theirs = (want[topic] ?? []).filter { $0.asOfNs > boundary }
            if mine.count != theirs.count {
                differences.append("\(topic): \(mine.count) updates vs \(theirs.count), as-of "
                    + "\(Set(mine.map(\.asOfNs)).symmetricDifference(theirs.map(\.asOfNs)).sorted().prefix(5)) "
                    + "in one run only")
                continue
            }
            for (index, (a, b)) in zip(mine, theirs).enumerated() where a != b {
                var detail = "serialized bytes differ"
                if topic.hasPrefix("risk.") {
                    detail = exactDifferences(try WireRiskParameters(serializedBytes: a.bytes),
                                              try WireRiskParameters(serializedBytes: b.bytes)) ?? detail
                }
                differences.append("\(topic)[\(index)] as of \(a.asOfNs) vs \(b.asOfNs): \(detail)")
            }
        }
        return differences
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
        let fulcrum = try FulcrumProcess(configuration: configuration(feed: feed.endpoint, checkpoint: checkpoint),
                                         arguments: arguments)
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
        let expected = try Self.updates(referenceSubscriber)

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
            let before = expected["risk.\(symbol)"]?.last { $0.asOfNs <= checkpoint.boundary }
            let want = try WireRiskParameters(serializedBytes: try #require(before).bytes)
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
        let got = try Self.updates(resumedSubscriber)
        // Every topic: the same updates in the same order, bit for bit but for the epoch; one missing, added or
        // changed update anywhere fails.
        let differing = try Self.differences(got, expected, after: checkpoint.boundary)
        #expect(differing.isEmpty, "\(differing.count) differences: \(differing.prefix(5))")
        let compared = got.mapValues { $0.filter { $0.asOfNs > checkpoint.boundary } }
        let steps = Int((series.lastBoundary - checkpoint.boundary) / 1_000_000_000)
        for topic in TickSeries.symbols.map({ "risk.\($0)" }) + ["portfolio"] {
            let count = compared[topic]?.count ?? 0
            #expect(count >= steps, "\(topic): \(count) updates after the checkpoint compared, \(steps) steps replayed")
        }
        let resumedParameters = try (compared.filter { $0.key.hasPrefix("risk.") }.values.joined())
            .map { try WireRiskParameters(serializedBytes: $0.bytes) }
        #expect(resumedParameters.allSatisfy { $0.coverage.observations > 0 }, "coverage missing from resumed updates")

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

        func refused(_ configuration: FulcrumConfiguration, _ expectations: [String]) async throws {
            let fulcrum = try FulcrumProcess(configuration: configuration)
            #expect(try await waitForExit(fulcrum.process), "fulcrum ran with a bad checkpoint; log:\n\(fulcrum.log)")
            #expect(fulcrum.process.terminationStatus != 0)
            for text in expectations + [database, "--fresh"] {
                #expect(fulcrum.log.contains(text), "missing '\(text)' in:\n\(fulcrum.log)")
            }
        }
        // Another grid: the estimator state cannot be continued.
        try await refused(Self.configuration(feed: "tcp://127.0.0.1:1", checkpoint: database,
                                             gridInterval: 2 * FulcrumConfiguration.second),
                          ["incompatible", "gridInterval"])
        // Another schema version.
        let versions = try await SQLiteProbe.query(database, "PRAGMA user_version")
        let version = try #require(versions.first?.first as? NSNumber)
        _ = try await SQLiteProbe.query(database, "PRAGMA user_version = 99")
        try await refused(Self.configuration(feed: "tcp://127.0.0.1:1", checkpoint: database),
                          ["incompatible", "schema version 99"])
        _ = try await SQLiteProbe.query(database, "PRAGMA user_version = \(version)")
        // One payload byte altered behind SQLite's back: the checksum catches it.
        try await SQLiteProbe.flipPayloadByte(database, at: 100)
        try await refused(Self.configuration(feed: "tcp://127.0.0.1:1", checkpoint: database),
                          ["corrupt", "checksum"])

        // --fresh sets it aside and runs.
        let (fresh, _, freshSubscriber) = try await Self.start(database, arguments: ["--fresh"])
        freshSubscriber.finish()
        #expect(fresh.log.contains("set aside"), "log:\n\(fresh.log)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files.contains { $0.hasPrefix("checkpoint.sqlite.refused-") }, "files: \(files)")
        #expect(try await fresh.stop() == 0)
    }
}
