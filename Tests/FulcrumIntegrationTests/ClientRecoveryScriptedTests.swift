import Foundation
import FulcrumProtocol
import FulcrumTestSupport
import RiskFeed
import Testing

/// The Python example client and the Swift client library through the same scripted failures — an unanswered
/// snapshot request, a gap, a heartbeat ahead of the state, a restart, silence and return — must report the same
/// resyncs, for the same reasons, and end with the same state: the protocol document's state machine, twice.
@Suite("Both clients through the same scripted failures", .serialized, .timeLimit(.minutes(3)))
struct ClientRecoveryScriptedTests {
    enum Kind: String, Sendable, CaseIterable { case python, library }

    static let snapshotTimeoutSeconds = 3.0
    static let deadAfterSeconds = 2.0

    /// One client under test, seen through what it reports, in the Python client's vocabulary:
    /// `resync:<reason>`, `synchronized:<epoch>:<sequence>`, `publisher_dead`, `publisher_alive`.
    final class Consumer {
        let python: StreamingProcess?
        let library: RiskFeedClient?
        let recorder = ClientEventRecorder()
        let tasks: [Task<Void, Never>]

        init(_ kind: Kind, _ server: ScriptedPublisher) throws {
            switch kind {
            case .python:
                python = try StreamingProcess(URL(fileURLWithPath: "/usr/bin/env"), [
                    "python3", "protocols/examples/fulcrum_client.py", server.publishEndpoint,
                    "--snapshot", server.snapshotEndpoint, "--dead-after", "\(ClientRecoveryScriptedTests.deadAfterSeconds)",
                    "--snapshot-timeout", "\(ClientRecoveryScriptedTests.snapshotTimeoutSeconds)",
                ], directory: repositoryRoot)
                library = nil
                tasks = []
            case .library:
                var configuration = RiskFeedClientConfiguration(publishEndpoint: server.publishEndpoint,
                                                                snapshotEndpoint: server.snapshotEndpoint)
                configuration.deadAfter = .seconds(ClientRecoveryScriptedTests.deadAfterSeconds)
                configuration.snapshotTimeout = .seconds(ClientRecoveryScriptedTests.snapshotTimeoutSeconds)
                let client = try RiskFeedClient(configuration: configuration)
                python = nil
                library = client
                tasks = [recorder.follow(client), Task { try? await client.run() }]
            }
        }

        var events: [String] {
            if let python {
                return python.lines.compactMap { line in
                    guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                          let event = object["event"] as? String else { return nil }
                    switch event {
                    case "resync": return "resync:\(object["reason"] as? String ?? "?")"
                    case "synchronized": return "synchronized:\(object["epoch"] ?? "?"):\(object["sequence"] ?? "?")"
                    default: return event
                    }
                }
            }
            return recorder.all.compactMap { entry in
                switch entry.event {
                case .resyncing(let reason): "resync:\(reason.rawValue)"
                case .synchronized(let epoch, let sequence, _): "synchronized:\(epoch):\(sequence)"
                case .publisherDead: "publisher_dead"
                case .publisherAlive: "publisher_alive"
                case .parameters, .portfolio: nil
                }
            }
        }

        /// Waits until `event` has been reported `count` times.
        func waitFor(_ event: String, count: Int = 1, timeout: Duration = .seconds(10)) async throws -> Bool {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                if events.filter({ $0 == event }).count >= count { return true }
                try await Task.sleep(for: .milliseconds(20))
            }
            return events.filter { $0 == event }.count >= count
        }

        /// The parameters the client holds at the end (the Python client is asked for its summary).
        func finish() async throws -> [String: WireRiskParameters] {
            if let library {
                let parameters = library.state.parameters
                library.stop()
                for task in tasks { await task.value }
                return parameters
            }
            guard let python, try await python.stop() else { return [:] }
            guard let line = python.lines.last,
                  let summary = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                  let serialized = summary["serialized"] as? [String: String] else { return [:] }
            var parameters: [String: WireRiskParameters] = [:]
            for (topic, text) in serialized where topic.hasPrefix("risk.") {
                guard let bytes = Data(base64Encoded: text) else { continue }
                let message = try WireRiskParameters(serializedBytes: bytes)
                parameters[message.symbol] = message
            }
            return parameters
        }
    }

    /// Answers every snapshot request (those already taken in `pending`, and each that arrives) with the same
    /// reply until the client reports `synchronized:<epoch>:<sequence>`. Replies to abandoned DEALERs go nowhere, and
    /// a live client ignores a surplus one, so a request repeated after a slow answer does not derail the script.
    func serve(_ consumer: Consumer, _ server: ScriptedPublisher, _ items: [(symbol: String, imf: Double)],
               epoch: UInt64, sequence: UInt64, pending: [[UInt8]] = []) async throws -> Bool {
        for peer in pending { try server.reply(to: peer, items, epoch: epoch, sequence: sequence) }
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if consumer.events.contains("synchronized:\(epoch):\(sequence)") { return true }
            if let peer = try await server.nextRequest(timeout: .milliseconds(20)) {
                try server.reply(to: peer, items, epoch: epoch, sequence: sequence)
            }
        }
        return consumer.events.contains("synchronized:\(epoch):\(sequence)")
    }

    @Test("Snapshot timeout, gap, heartbeat ahead, new epoch, dead and alive again", arguments: Kind.allCases)
    func script(kind: Kind) async throws {
        let server = try ScriptedPublisher()
        let consumer = try Consumer(kind, server)
        try #require(try await server.waitForSubscriber(), "\(kind) never subscribed")

        // An unanswered request: asked again, on a fresh DEALER.
        let first = try #require(try await server.nextRequest(), "\(kind) sent no snapshot request")
        let second = try #require(try await server.nextRequest(), "\(kind) did not ask again")
        #expect(second != first, "a repeated request must come from a fresh DEALER")
        #expect(try await consumer.waitFor("resync:snapshot_timeout"))
        #expect(try await serve(consumer, server, [("A", 0.1)], epoch: 5, sequence: 3, pending: [second]))

        // A gap in the live stream.
        try server.publish("A", imf: 0.2, epoch: 5, sequence: 4)
        try server.publish("A", imf: 0.25, epoch: 5, sequence: 6)
        #expect(try await consumer.waitFor("resync:gap"), "\(consumer.events)")
        #expect(try await serve(consumer, server, [("A", 0.3)], epoch: 5, sequence: 6))

        // A heartbeat that says two updates were lost.
        try server.heartbeat(epoch: 5, sequence: 8)
        #expect(try await consumer.waitFor("resync:heartbeat_ahead"), "\(consumer.events)")
        #expect(try await serve(consumer, server, [("A", 0.4)], epoch: 5, sequence: 8))

        // A restart: a heartbeat of another epoch; the new lifetime holds only B.
        try server.heartbeat(epoch: 6, sequence: 0)
        #expect(try await consumer.waitFor("resync:new_epoch"), "\(consumer.events)")
        #expect(try await serve(consumer, server, [("B", 0.5)], epoch: 6, sequence: 1))

        // Silence, then the publisher returns with nothing missed: alive again, no resync.
        // (A slow step on a loaded machine may already have caused a dead/alive pair: count from here.)
        let alives = consumer.events.filter { $0 == "publisher_alive" }.count
        let deaths = consumer.events.filter { $0 == "publisher_dead" }.count
        #expect(try await consumer.waitFor("publisher_dead", count: deaths + 1,
                                           timeout: .seconds(Self.deadAfterSeconds + 10)))
        try server.heartbeat(epoch: 6, sequence: 1)
        #expect(try await consumer.waitFor("publisher_alive", count: alives + 1), "\(consumer.events)")
        try await Task.sleep(for: .milliseconds(300))

        // A loaded machine may answer a request after the client's timeout: extra snapshot_timeouts are allowed, the
        // rest must be exactly the script's.
        let events = consumer.events
        let resyncs = events.filter { $0.hasPrefix("resync:") }
        #expect(resyncs.first == "resync:snapshot_timeout", "\(events)")
        #expect(resyncs.filter { $0 != "resync:snapshot_timeout" }
            == ["resync:gap", "resync:heartbeat_ahead", "resync:new_epoch"], "\(events)")
        #expect(events.last == "publisher_alive", "\(events)")
        let held = try await consumer.finish()
        #expect(held == ["B": ScriptedPublisher.parametersMessage("B", imf: 0.5, epoch: 6)], "\(kind) holds \(held)")
    }
}
