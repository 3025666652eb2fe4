import Foundation
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import Testing

/// Signals sent to the real process: intake stops, a final update goes out, the final checkpoint is written, the
/// sockets close within their linger and the process exits 0 within `shutdownTimeout`.
@Suite("Operations: graceful shutdown of the real process", .serialized, .timeLimit(.minutes(3)))
struct OperationsLifecycleTests {
    /// Room for process teardown on a loaded machine beyond the configured shutdown timeout.
    static let teardownMargin = Duration.seconds(3)

    /// A fresh directory for a checkpoint database, and the path of the database in it. The tests checkpoint
    /// there every hour: the one written during a test is the shutdown's.
    static func checkpointing() throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-ops-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (directory, directory.appendingPathComponent("checkpoint.sqlite").path)
    }

    @Test("SIGTERM and SIGINT: a final update of every asset, the final checkpoint at its step, exit 0 in time",
          arguments: [SIGTERM, SIGINT])
    func gracefulStop(signal: Int32) async throws {
        let checkpoint = try Self.checkpointing()
        defer { try? FileManager.default.removeItem(at: checkpoint.directory) }
        let timeout = Duration.seconds(5)
        let scenario = try OperationsScenario(process: true) {
            $0.shutdownTimeout = .seconds(5)
            $0.writeCheckpoints(to: checkpoint.path, every: FulcrumConfiguration.hour)
        }
        let connected = try await scenario.connect()
        try #require(connected, "fulcrum never received a tick; log:\n\(scenario.fulcrum.log)")
        try scenario.advance(15)
        try #require(try await scenario.settle(), "grid steps never caught up; log:\n\(scenario.fulcrum.log)")
        let before = try #require(try await scenario.caughtUp(), "updates never arrived; log:\n\(scenario.fulcrum.log)")

        // Ticks keep coming while the process shuts down: whatever the engine took in before it stopped must be
        // in both the final update and the final checkpoint.
        let settledSteps = UInt64(scenario.step)
        let signalled = Operations.wallClockNanoseconds
        let started = ContinuousClock.now
        let process = try #require(scenario.fulcrum as? FulcrumProcess).process
        kill(process.processIdentifier, signal)
        while process.isRunning, ContinuousClock.now - started < timeout + Self.teardownMargin {
            try scenario.advance(1)
            try await Task.sleep(for: .milliseconds(20))
        }
        let elapsed = ContinuousClock.now - started
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "log:\n\(scenario.fulcrum.log)")
        #expect(elapsed < timeout + Self.teardownMargin, "signal to exit took \(elapsed), shutdownTimeout \(timeout)")
        print("signal \(signal) to exit: \(elapsed)")

        // The final update: every asset and the portfolio, last on the feed, continuing the sequence.
        let frames = try await scenario.subscriber.wait(timeout: .seconds(5)) { frames in
            frames.contains { $0.topic == "portfolio" && $0.sequence > before }
        }
        let after = frames.filter { $0.sequence > before && ($0.topic.hasPrefix("risk.") || $0.topic == "portfolio") }
        #expect(after.map(\.sequence) == Array((before + 1)...(before + UInt64(after.count))),
                "the updates after the signal continue the sequence without a gap")
        let topics = OperationsScenario.symbols.map { "risk.\($0)" } + ["portfolio"]
        let final = after.suffix(topics.count)
        #expect(Set(final.map(\.topic)) == Set(topics), "the final update covers every asset: \(final.map(\.topic))")
        let portfolio = try #require(final.last.flatMap { try? WirePortfolioUpdate(serializedBytes: $0.payload) })

        // The final checkpoint: written after the signal, at exactly the step of the final update.
        let row = try #require(try await Operations.checkpoint(at: checkpoint.path), "no checkpoint was written")
        #expect(row.writtenAt >= signalled, "the stored checkpoint predates the signal")
        #expect(row.boundary == portfolio.asOfNs,
                "checkpoint boundary \(row.boundary), final as-of \(portfolio.asOfNs)")
        // grid_step is the zero-based index of the step, the checkpoint counts the steps run.
        #expect(row.stepsRun == portfolio.gridStep + 1,
                "checkpoint steps \(row.stepsRun), final step index \(portfolio.gridStep)")
        #expect(row.epoch == portfolio.publisherEpoch)
        #expect(row.stepsRun >= settledSteps && row.stepsRun <= UInt64(scenario.step),
                "checkpoint steps \(row.stepsRun): \(settledSteps) ran before the signal, \(scenario.step) were sent")
        for frame in final where frame.topic.hasPrefix("risk.") {
            let update = try #require(try? WireRiskParameters(serializedBytes: frame.payload))
            #expect(update.gridStep == portfolio.gridStep && update.asOfNs == portfolio.asOfNs,
                    "\(update.symbol) final update at step \(update.gridStep), portfolio at \(portfolio.gridStep)")
        }
        let log = scenario.fulcrum.log
        for line in ["shutting down", "engine stopped", "fulcrum stopped"] {
            #expect(log.contains(line), "the log lacks \"\(line)\"")
        }
    }

    @Test("A stalled subscriber with queued updates: intake closed during a bounded linger, exit 0 in time")
    func stalledSubscriber() async throws {
        let checkpoint = try Self.checkpointing()
        defer { try? FileManager.default.removeItem(at: checkpoint.directory) }
        let timeout = Duration.seconds(4)
        let linger = Duration.milliseconds(2_500)
        let scenario = try OperationsScenario(history: 900, process: true) {
            $0.shutdownTimeout = .seconds(4)
            $0.publisher.lingerMilliseconds = 2_500
            $0.writeCheckpoints(to: checkpoint.path, every: FulcrumConfiguration.hour)
        }
        let connected = try await scenario.connect()
        try #require(connected, "fulcrum never received a tick; log:\n\(scenario.fulcrum.log)")
        let stalled = try StalledSubscriber(port: scenario.publishPort)
        func peers(_ body: Data) -> Double? {
            PrometheusSamples(String(decoding: body, as: UTF8.self)).value("fulcrum_subscribers")
        }
        let metrics = try await Operations.poll(scenario.httpBase + "/metrics", session: scenario.session) { _, body in
            peers(body) == 2
        }
        try #require(peers(metrics?.body ?? Data()) == 2, "the stalled subscriber never connected")
        // Enough updates to fill the kernel's buffers for the stalled peer; the rest stays in the publisher.
        for _ in 0..<10 {
            try scenario.advance(60)
            try await Task.sleep(for: .milliseconds(50))
        }
        try #require(try await scenario.settle(timeout: .seconds(60)), "log:\n\(scenario.fulcrum.log)")
        let before = try #require(try await scenario.caughtUp(), "updates never arrived; log:\n\(scenario.fulcrum.log)")
        let settledSteps = UInt64(scenario.step)
        let unsent = stalled.unsentBytes(publisherPort: scenario.publishPort) ?? 0
        #expect(unsent > 0, "the kernel holds nothing unsent for the stalled subscriber")

        let process = try #require(scenario.fulcrum as? FulcrumProcess).process
        let started = ContinuousClock.now
        kill(process.processIdentifier, SIGTERM)
        try await scenario.subscriber.wait(timeout: .seconds(5)) { frames in
            frames.contains { $0.topic == "portfolio" && $0.sequence > before }
        }
        // The final update is out, so the engine has stopped; the publisher is lingering on the stalled peer's
        // queue. The feed socket is closed: nothing can deliver ticks any more.
        try await Task.sleep(for: .milliseconds(200))
        let feedOpen = Operations.acceptsConnections(port: scenario.feedPort)
        let aliveDuringProbe = process.isRunning
        let probedAt = ContinuousClock.now - started
        try #require(aliveDuringProbe,
                     "exited \(probedAt) after the signal: no linger exercised; log:\n\(scenario.fulcrum.log)")
        #expect(!feedOpen, "the feed port still accepts connections \(probedAt) after the signal")
        // Ticks sent now reach nothing: the final checkpoint holds only the steps settled before the signal.
        try scenario.advance(5)

        while process.isRunning, ContinuousClock.now - started < timeout + Self.teardownMargin {
            try await Task.sleep(for: .milliseconds(20))
        }
        let elapsed = ContinuousClock.now - started
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        print("stalled subscriber (\(unsent) bytes unsent in the kernel): signal to exit \(elapsed), "
              + "linger \(linger), shutdownTimeout \(timeout)")
        #expect(process.terminationStatus == 0, "log:\n\(scenario.fulcrum.log)")
        #expect(elapsed < timeout + Self.teardownMargin, "signal to exit took \(elapsed)")
        // The queued messages held the process for the linger (a lower bound: the stall was real), no longer.
        #expect(elapsed >= linger * 0.8, "exit after \(elapsed): nothing was left to linger on")
        let row = try #require(try await Operations.checkpoint(at: checkpoint.path), "no checkpoint was written")
        #expect(row.stepsRun == settledSteps, "the final checkpoint holds \(row.stepsRun) steps, not \(settledSteps)")
        #expect(scenario.fulcrum.log.contains("fulcrum stopped"))
    }
}
