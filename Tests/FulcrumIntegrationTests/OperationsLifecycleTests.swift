import Foundation
import FulcrumProtocol
import Testing

/// Signals sent to the real process: intake stops, a final update goes out, the process exits 0.
@Suite("Operations: graceful shutdown of the real process", .serialized, .timeLimit(.minutes(3)))
struct OperationsLifecycleTests {
    @Test("SIGTERM and SIGINT publish a final update of every asset and exit 0 within shutdownTimeout",
          arguments: [SIGTERM, SIGINT])
    func gracefulStop(signal: Int32) async throws {
        let scenario = try OperationsScenario(extraYAML: "\nshutdownTimeout: 5s\n")
        let connected = try await scenario.connect()
        try #require(connected, "fulcrum never received a tick; log:\n\(scenario.fulcrum.log)")
        try scenario.advance(15)
        // Everything published so far has arrived: the subscriber saw the publisher's last sequence.
        var last: Double = 0
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            last = await scenario.metric("fulcrum_grid_steps_total") == Double(scenario.step)
                ? await scenario.metric("fulcrum_publisher_sequence") ?? 0 : 0
            if last > 0, scenario.subscriber.received.contains(where: { Double($0.sequence) >= last }) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        try #require(last > 0, "updates never caught up; log:\n\(scenario.fulcrum.log)")
        let before = UInt64(last)

        #expect(try await scenario.fulcrum.stop(signal: signal, timeout: .seconds(15)) == 0)
        let frames = try await scenario.subscriber.wait(timeout: .seconds(5)) { frames in
            frames.contains { $0.topic == "portfolio" && $0.sequence > before }
        }
        let final = frames.filter { $0.sequence > before && ($0.topic.hasPrefix("risk.") || $0.topic == "portfolio") }
        #expect(Set(final.map(\.topic)) == Set(OperationsScenario.symbols.map { "risk.\($0)" } + ["portfolio"]))
        #expect(final.map(\.sequence) == Array((before + 1)...(before + UInt64(final.count))),
                "the final update continues the sequence without a gap")
        let log = scenario.fulcrum.log
        for line in ["shutting down", "engine stopped", "fulcrum stopped"] {
            #expect(log.contains(line), "the log lacks \"\(line)\"")
        }
        #expect(!log.contains("did not finish in time"))
    }
}
