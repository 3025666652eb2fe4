import FulcrumProtocol
import RiskFeed
import Synchronization
import Testing
import ZeroMQ

/// The client against a publisher the test plays by hand: a real XPUB and a real snapshot ROUTER whose replies the
/// test sends frame by frame, so a reply can be cut short, delayed or never sent.
@Suite("Client snapshot recovery against a scripted publisher", .serialized, .timeLimit(.minutes(1)))
struct ClientSnapshotRecoveryTests {
    /// Every event the client reported, collected off its stream.
    final class EventLog: Sendable {
        let events = Mutex<[RiskFeedEvent]>([])
        var all: [RiskFeedEvent] { events.withLock { $0 } }

        func follow(_ client: RiskFeedClient) -> Task<Void, Never> {
            Task { for await event in client.events { events.withLock { $0.append(event) } } }
        }

        var resyncReasons: [FeedSynchronizer.ResyncReason] {
            all.compactMap { if case .resyncing(let reason) = $0 { reason } else { nil } }
        }

        var synchronizations: [(sequence: UInt64, symbols: Int)] {
            all.compactMap { if case .synchronized(_, let sequence, let symbols) = $0 { (sequence, symbols) } else { nil } }
        }
    }

    func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
    }

    @Test("A resync during a half-received snapshot asks on a fresh DEALER: the old reply's remainder is never applied")
    func staleRemainderIgnored() async throws {
        let server = try ScriptedPublisher()
        var configuration = RiskFeedClientConfiguration(publishEndpoint: server.publishEndpoint,
                                                        snapshotEndpoint: server.snapshotEndpoint)
        configuration.maxQueuedUpdates = 2
        configuration.snapshotTimeout = .seconds(30)
        let client = try RiskFeedClient(configuration: configuration)
        let log = EventLog()
        let following = log.follow(client)
        let running = Task { try await client.run() }
        defer { client.stop() }

        try #require(try await server.waitForSubscriber(), "the client never subscribed")
        let first = try #require(try await server.nextRequest(), "no first snapshot request")
        // The first half of the reply: one item, no end yet.
        try server.replyItem(to: first, "OLD", imf: 0.1, epoch: 5, sequence: 3)
        // Three live updates overflow the client's queue of two while the snapshot is in flight.
        for sequence: UInt64 in 4...6 { try server.publish("NEW", imf: 0.2, epoch: 5, sequence: sequence) }
        let second = try #require(try await server.nextRequest(), "no snapshot request after the overflow")
        try await waitUntil { !log.resyncReasons.isEmpty }
        #expect(log.resyncReasons == [.backlogOverflow])
        #expect(second != first, "the second request must come from a fresh DEALER")

        // The stale remainder of the first reply, then the full second reply.
        try server.replyEnd(to: first, epoch: 5, sequence: 3)
        try server.replyItem(to: second, "NEW", imf: 0.2, epoch: 5, sequence: 6)
        try server.replyItem(to: second, "OLD", imf: 0.1, epoch: 5, sequence: 3)
        try server.replyEnd(to: second, epoch: 5, sequence: 6)

        try await waitUntil { client.state.isSynchronized && !log.synchronizations.isEmpty }
        let synchronizations = log.synchronizations
        #expect(synchronizations.count == 1, "synchronized \(synchronizations)")
        #expect(synchronizations.first?.sequence == 6 && synchronizations.first?.symbols == 2)
        #expect(client.state.parameters["NEW"]?.imf == 0.2)
        #expect(client.state.parameters["OLD"]?.imf == 0.1)
        client.stop()
        try await running.value
        await following.value
    }

    @Test("A snapshot reply that never comes is reported as snapshot_timeout and asked again on a fresh DEALER")
    func snapshotTimeout() async throws {
        let server = try ScriptedPublisher()
        var configuration = RiskFeedClientConfiguration(publishEndpoint: server.publishEndpoint,
                                                        snapshotEndpoint: server.snapshotEndpoint)
        configuration.snapshotTimeout = .seconds(1)
        let client = try RiskFeedClient(configuration: configuration)
        let log = EventLog()
        let following = log.follow(client)
        let running = Task { try await client.run() }
        defer { client.stop() }

        let first = try #require(try await server.nextRequest(), "no first snapshot request")
        let second = try #require(try await server.nextRequest(), "no second request after the timeout")
        #expect(second != first, "the repeated request must come from a fresh DEALER")
        try await waitUntil { !log.resyncReasons.isEmpty }
        #expect(log.resyncReasons.first == .snapshotTimeout)
        // The late answer to the first request is not taken for the second's.
        try server.replyEnd(to: first, epoch: 5, sequence: 9)
        try server.replyItem(to: second, "BTC", imf: 0.05, epoch: 5, sequence: 2)
        try server.replyEnd(to: second, epoch: 5, sequence: 2)
        try await waitUntil { client.state.isSynchronized }
        #expect(client.state.sequence == 2)
        #expect(client.state.parameters["BTC"]?.imf == 0.05)
        client.stop()
        try await running.value
        await following.value
    }
}
