import DedicatedThreads
import Foundation
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import Testing
import ZeroMQ

/// The whole application in the test process (``InProcessFulcrum``): the simulated market feeds the engine, the
/// publisher serves a real subscriber, and a graceful shutdown ends every service.
@Suite("The application in process", .serialized, .timeLimit(.minutes(2)))
struct InProcessApplicationTests {
    /// The embedded default on a private IPC endpoint, with HTTP off so no port is shared.
    static func configuration(directory: TemporaryDirectory) -> FulcrumConfiguration {
        var configuration = FulcrumConfiguration.embeddedDefault
        configuration.publisher.publishEndpoint = "ipc://\(directory.path("pub"))"
        configuration.publisher.snapshotEndpoint = "ipc://\(directory.path("snapshot"))"
        configuration.simulator.endpoint = "inproc://fulcrum-simulator-\(UUID().uuidString)"
        configuration.ingest.feeds[0].endpoint = configuration.simulator.endpoint
        configuration.http.enabled = false
        configuration.publisher.lingerMilliseconds = 100
        return configuration
    }

    /// Receives on `endpoint` until a `risk.` update satisfying `accept` arrives or `seconds` pass; on a thread of
    /// its own.
    static func firstRiskUpdate(
        endpoint: String, seconds: Int,
        where accept: @escaping @Sendable (WireRiskParameters) -> Bool = { _ in true }
    ) async throws -> WireRiskParameters? {
        try await DedicatedThread.run(name: "test-subscriber") {
            let context = try ZMQContext()
            let socket = try Socket(context: context, type: .sub)
            defer { socket.close() }
            try socket.setLinger(milliseconds: 0)
            try socket.setReceiveTimeout(milliseconds: 200)
            try socket.subscribe(Topic.riskPrefix)
            try socket.connect(endpoint)
            let deadline = ContinuousClock.now + .seconds(seconds)
            while ContinuousClock.now < deadline {
                guard let frames = try socket.receiveMultipart(), frames.count >= 2 else { continue }
                let update = try WireRiskParameters(serializedBytes: frames[1])
                if accept(update) { return update }
            }
            return nil
        }
    }

    @Test("Runs on the simulated market, publishes to a subscriber, and stops gracefully")
    func simulatedMarket() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let configuration = Self.configuration(directory: directory)
        let (update, steps) = try await InProcessFulcrum.run(configuration) { application in
            let update = try await Self.firstRiskUpdate(endpoint: configuration.publisher.publishEndpoint,
                                                        seconds: 30)
            // The engine refreshes its observable status every 250 ms (or when idle), so it can trail the first
            // update it published.
            let deadline = ContinuousClock.now + .seconds(10)
            while application.status.snapshot.stepsRun == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            return (update, application.status.snapshot.stepsRun)
        }
        let received = try #require(update, "no risk update within 30 s")
        #expect(received.symbol.isEmpty == false)
        #expect(received.mmf > 0 && received.imf >= received.mmf)
        #expect(steps > 0)
    }

    @Test("The simulated market's books, funding and open interest show in the margins out of the box")
    func simulatedLiquidity() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let configuration = Self.configuration(directory: directory)
        let update = try await InProcessFulcrum.run(configuration) { _ in
            try await Self.firstRiskUpdate(endpoint: configuration.publisher.publishEndpoint, seconds: 30) {
                $0.inputs.markPrice > 0
            }
        }
        let received = try #require(update, "no risk update with a mark price within 30 s")
        #expect(received.reasons.contains(.bookImpact), "\(received.reasons)")
        #expect(!received.reasons.contains(.liquidityUnknown))
        #expect(received.inputs.liquiditySource == .book)
        #expect(received.inputs.bookDepthNotional > 0 && received.inputs.openInterestNotional > 0)
        #expect(abs(received.inputs.basis) < 0.001)
        #expect(received.tiers.count > 1)
    }
}
