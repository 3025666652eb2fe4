import DedicatedThreads
import Foundation
import FulcrumProtocol
import Logging
import Synchronization
import Testing
import ZeroMQ
@testable import RiskFeed

/// A publisher and a client over real tcp sockets, each on its own thread.
@Suite("Publisher and client over tcp", .serialized, .timeLimit(.minutes(1)))
struct PublisherClientTests {
    final class Harness: Sendable {
        let context: ZMQContext
        let publisher: RiskPublisher
        let stop = StopSignal()
        let ready = Atomic<Bool>(false)

        init(epoch: UInt64 = 42) throws {
            context = try ZMQContext()
            var configuration = PublisherConfiguration()
            configuration.publishEndpoint = "tcp://127.0.0.1:*"
            configuration.snapshotEndpoint = "tcp://127.0.0.1:*"
            configuration.heartbeatInterval = .milliseconds(100)
            configuration.lingerMilliseconds = 0
            configuration.epoch = epoch
            publisher = RiskPublisher(context: context, configuration: configuration, logger: Logger(label: "test"))
            DedicatedThread.start(name: "test-publisher") { [self] in
                try? publisher.run(stop: stop) { self.ready.store(true, ordering: .releasing) }
            }
            while !ready.load(ordering: .acquiring) { usleep(1000) }
        }

        func client() throws -> RiskFeedClient {
            let endpoints = try #require(publisher.boundEndpoints)
            var configuration = RiskFeedClientConfiguration(publishEndpoint: endpoints.publish,
                                                            snapshotEndpoint: endpoints.snapshot)
            configuration.deadAfter = .milliseconds(500)
            return try RiskFeedClient(configuration: configuration, context: context)
        }
    }

    static func parameters(_ symbol: String, imf: Double, epoch: UInt64 = 42) throws -> [UInt8] {
        var message = WireRiskParameters()
        message.symbol = symbol
        message.imf = imf
        message.publisherEpoch = epoch
        return try message.serializedBytes()
    }

    func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
        #expect(condition())
    }

    @Test("A late joiner gets the snapshot, then live updates in sequence")
    func lateJoiner() async throws {
        let harness = try Harness()
        let outbox = try UpdateOutbox(context: harness.context, endpoint: harness.publisher.inboxEndpoint)
        try outbox.send(topic: Array("risk.BTC".utf8), payload: Self.parameters("BTC", imf: 0.05), eventTime: 1)
        try outbox.send(topic: Array("risk.ETH".utf8), payload: Self.parameters("ETH", imf: 0.08), eventTime: 1)
        try outbox.flush()
        try outbox.send(topic: Array("risk.BTC".utf8), payload: Self.parameters("BTC", imf: 0.06), eventTime: 2)
        try outbox.flush()
        try await waitUntil { harness.publisher.statistics.updatesPublished.load(ordering: .relaxed) == 3 }

        let client = try harness.client()
        let running = Task { try await client.run() }
        try await waitUntil { client.state.isSynchronized }
        #expect(client.state.sequence == 3)
        #expect(client.state.parameters["BTC"]?.imf == 0.06)
        #expect(client.state.parameters["ETH"]?.imf == 0.08)
        #expect(client.state.epoch == 42)

        try outbox.send(topic: Array("risk.SOL".utf8), payload: Self.parameters("SOL", imf: 0.2), eventTime: 3)
        try outbox.flush()

        try await waitUntil { client.state.parameters["SOL"] != nil }
        #expect(client.state.sequence == 4)
        #expect(client.state.isPublisherAlive)
        #expect(harness.publisher.statistics.snapshotRequests.load(ordering: .relaxed) >= 1)

        client.stop()
        try await running.value
        try outbox.finish()
        harness.stop.stop()
    }

    @Test("Published frames are [topic, payload, 8-byte big-endian sequence]; heartbeats carry the outbox's event time")
    func framing() async throws {
        let harness = try Harness()
        let sub = try Socket(context: harness.context, type: .sub)
        try sub.setLinger(milliseconds: 0)
        try sub.setReceiveTimeout(milliseconds: 3000)
        try sub.subscribe("")
        try sub.connect(try #require(harness.publisher.boundEndpoints).publish)
        // Wait for a heartbeat so the subscription is known to be in place.
        var frames = try #require(try sub.receiveMultipart())
        #expect(String(decoding: frames[0], as: UTF8.self).hasSuffix("hb"))
        let outbox = try UpdateOutbox(context: harness.context, endpoint: harness.publisher.inboxEndpoint)
        try outbox.send(topic: Array("risk.BTC".utf8), payload: Self.parameters("BTC", imf: 0.05), eventTime: 9)
        try outbox.flush()
        var seen: [String: [[UInt8]]] = [:]
        while seen.count < 2 {
            frames = try #require(try sub.receiveMultipart())
            let topic = String(decoding: frames[0], as: UTF8.self)
            if topic.hasSuffix("risk.BTC") { seen[topic] = frames }
        }
        let binary = try #require(seen["risk.BTC"])
        #expect(binary.count == 3)
        #expect(binary[2] == [0, 0, 0, 0, 0, 0, 0, 1])
        #expect(try WireRiskParameters(serializedBytes: binary[1]).imf == 0.05)
        let json = try #require(seen["json.risk.BTC"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json[1])) as? [String: Any])
        #expect(object["symbol"] as? String == "BTC")
        #expect(object["imf"] as? Double == 0.05)
        #expect(json[2] == binary[2])
        // The next heartbeat reports the event time of the last update the outbox sent.
        let eventTime: Int64 = 1_795_000_000_123_456_789
        try outbox.send(topic: Array("risk.ETH".utf8), payload: Self.parameters("ETH", imf: 0.07), eventTime: eventTime)
        try outbox.flush()
        var beat = Fulcrum_V1_Heartbeat()
        for _ in 0..<100 where beat.eventTimeNs != eventTime {
            frames = try #require(try sub.receiveMultipart())
            if String(decoding: frames[0], as: UTF8.self) == Topic.heartbeat {
                beat = try Fulcrum_V1_Heartbeat(serializedBytes: frames[1])
            }
        }
        #expect(beat.eventTimeNs == eventTime)
        try outbox.finish()
        harness.stop.stop()
    }

    @Test("Updates sent between two flushes reach the publisher together, in order, with consecutive sequences")
    func batches() async throws {
        let harness = try Harness()
        let statistics = harness.publisher.statistics
        let sub = try Socket(context: harness.context, type: .sub)
        try sub.setLinger(milliseconds: 0)
        try sub.setReceiveTimeout(milliseconds: 3000)
        try sub.subscribe("risk.")
        try sub.connect(try #require(harness.publisher.boundEndpoints).publish)
        try await waitUntil { statistics.subscriptions.load(ordering: .relaxed) == 1 }
        let outbox = try UpdateOutbox(context: harness.context, endpoint: harness.publisher.inboxEndpoint)
        let symbols = ["AAA", "BBB", "CCC", "DDD"]
        for (index, symbol) in symbols.enumerated() {
            let payload = try Self.parameters(symbol, imf: 0.01 * Double(index + 1))
            try outbox.send(topic: Array("risk.\(symbol)".utf8), payload: payload, eventTime: 7)
        }
        // Nothing leaves before the flush: the batch is one message to the publisher.
        try await Task.sleep(for: .milliseconds(200))
        #expect(statistics.updatesPublished.load(ordering: .relaxed) == 0)
        try outbox.flush()
        var received: [(String, UInt64)] = []
        while received.count < symbols.count, let frames = try sub.receiveMultipart() {
            received.append((String(decoding: frames[0], as: UTF8.self), SequenceFrame.decode(frames[2]) ?? 0))
        }
        #expect(received.map(\.0) == symbols.map { "risk." + $0 })
        #expect(received.map(\.1) == [1, 2, 3, 4])
        sub.close()
        try outbox.finish()
        harness.stop.stop()
    }

    @Test("JSON renditions are rendered only while a subscriber's prefix reaches them; subscribers are counted")
    func jsonOnDemand() async throws {
        let harness = try Harness()
        let statistics = harness.publisher.statistics
        let endpoint = try #require(harness.publisher.boundEndpoints).publish
        let binary = try Socket(context: harness.context, type: .sub)
        try binary.setLinger(milliseconds: 0)
        try binary.setReceiveTimeout(milliseconds: 3000)
        try binary.subscribe("risk.")
        try binary.subscribe("hb")
        try binary.connect(endpoint)
        try await waitUntil { statistics.subscriptions.load(ordering: .relaxed) == 2 }
        #expect(statistics.subscribers.load(ordering: .relaxed) == 1)
        let outbox = try UpdateOutbox(context: harness.context, endpoint: harness.publisher.inboxEndpoint)
        try outbox.send(topic: Array("risk.BTC".utf8), payload: Self.parameters("BTC", imf: 0.05), eventTime: 1)
        try outbox.flush()
        try await waitUntil { statistics.updatesPublished.load(ordering: .relaxed) == 1 }
        try await Task.sleep(for: .milliseconds(250))
        #expect(statistics.jsonRendered.load(ordering: .relaxed) == 0, "JSON rendered with no JSON subscriber")

        let json = try Socket(context: harness.context, type: .sub)
        try json.setLinger(milliseconds: 0)
        try json.setReceiveTimeout(milliseconds: 3000)
        try json.subscribe("json.risk.")
        try json.connect(endpoint)
        try await waitUntil { statistics.subscriptions.load(ordering: .relaxed) == 3 }
        #expect(statistics.subscribers.load(ordering: .relaxed) == 2)
        try outbox.send(topic: Array("risk.ETH".utf8), payload: Self.parameters("ETH", imf: 0.08), eventTime: 2)
        try outbox.flush()
        let frames = try #require(try json.receiveMultipart())
        #expect(String(decoding: frames[0], as: UTF8.self) == "json.risk.ETH")
        #expect(frames[2] == SequenceFrame.encode(2))
        // Heartbeats have no JSON subscriber: only the one update was rendered.
        try await Task.sleep(for: .milliseconds(250))
        #expect(statistics.jsonRendered.load(ordering: .relaxed) == 1)

        // The JSON subscriber leaves: its subscription and connection are gone, and rendering stops.
        json.close()
        try await waitUntil { statistics.subscriptions.load(ordering: .relaxed) == 2 }
        try await waitUntil { statistics.subscribers.load(ordering: .relaxed) == 1 }
        try outbox.send(topic: Array("risk.SOL".utf8), payload: Self.parameters("SOL", imf: 0.2), eventTime: 3)
        try outbox.flush()
        try await waitUntil { statistics.updatesPublished.load(ordering: .relaxed) == 3 }
        #expect(statistics.jsonRendered.load(ordering: .relaxed) == 1)
        binary.close()
        try outbox.finish()
        harness.stop.stop()
    }

    @Test("A client reports the publisher dead when heartbeats stop, and resyncs on a new epoch")
    func deadAndRestart() async throws {
        let first = try Harness(epoch: 1)
        let endpoints = try #require(first.publisher.boundEndpoints)
        let client = try first.client()
        let running = Task { try await client.run() }
        try await waitUntil { client.state.isSynchronized && client.state.isPublisherAlive }
        let outbox = try UpdateOutbox(context: first.context, endpoint: first.publisher.inboxEndpoint)
        try outbox.finish()
        first.stop.stop()
        try await waitUntil { !client.state.isPublisherAlive }

        // A new publisher lifetime on the same endpoints.
        let context = try ZMQContext()
        var configuration = first.publisher.configuration
        configuration.publishEndpoint = endpoints.publish
        configuration.snapshotEndpoint = endpoints.snapshot
        configuration.epoch = 2
        let second = RiskPublisher(context: context, configuration: configuration, logger: Logger(label: "test"))
        let stop = StopSignal()
        DedicatedThread.start(name: "second") { try? second.run(stop: stop) }
        try await waitUntil { second.boundEndpoints != nil }
        let outbox2 = try UpdateOutbox(context: context, endpoint: second.inboxEndpoint)
        try outbox2.send(topic: Array("risk.BTC".utf8), payload: Self.parameters("BTC", imf: 0.3, epoch: 2),
                         eventTime: 1)
        try outbox2.flush()
        try await waitUntil { client.state.epoch == 2 && client.state.parameters["BTC"]?.imf == 0.3 }
        #expect(client.state.isPublisherAlive)
        client.stop()
        try await running.value
        try outbox2.finish()
        stop.stop()
    }
}
