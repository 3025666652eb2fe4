import DedicatedThreads
import FulcrumProtocol
import Logging
import Testing
import ZeroMQ
@testable import RiskFeed

/// Heartbeats at the default setting, seen through a real SUB socket.
@Suite("Heartbeat cadence", .serialized, .timeLimit(.minutes(1)))
struct HeartbeatCadenceTests {
    struct Beat {
        var receivedAt: ContinuousClock.Instant
        var frameSequence: UInt64
        var heartbeat: Fulcrum_V1_Heartbeat
    }

    @Test("At the default interval heartbeats arrive at least once a second and carry the last update's sequence")
    func cadence() async throws {
        let context = try ZMQContext()
        var configuration = PublisherConfiguration()
        configuration.publishEndpoint = "tcp://127.0.0.1:*"
        configuration.snapshotEndpoint = "tcp://127.0.0.1:*"
        configuration.lingerMilliseconds = 0
        configuration.epoch = 11
        let publisher = RiskPublisher(context: context, configuration: configuration, logger: Logger(label: "test"))
        let stop = StopSignal()
        let ready = StopSignal()  // set once the sockets are bound
        DedicatedThread.start(name: "test-publisher") {
            try? publisher.run(stop: stop) { ready.stop() }
        }
        defer { stop.stop() }
        while !ready.isStopped { try await Task.sleep(for: .milliseconds(1)) }

        let sub = try Socket(context: context, type: .sub)
        defer { sub.close() }
        try sub.setLinger(milliseconds: 0)
        try sub.setReceiveTimeout(milliseconds: 3_000)
        try sub.subscribe(Topic.heartbeat)
        try sub.connect(try #require(publisher.boundEndpoints).publish)
        func nextBeat() throws -> Beat? {
            guard let frames = try sub.receiveMultipart(), frames.count == 3,
                  let sequence = SequenceFrame.decode(frames[2]) else { return nil }
            return Beat(receivedAt: .now, frameSequence: sequence,
                        heartbeat: try Fulcrum_V1_Heartbeat(serializedBytes: frames[1]))
        }
        // The first beat proves the subscription is in place; the cadence is measured from it.
        var beats = [try #require(try nextBeat(), "no heartbeat within 3 s")]

        let outbox = try UpdateOutbox(context: context, endpoint: publisher.inboxEndpoint)
        var published: UInt64 = 0
        for round in 0..<3 {
            for symbol in ["BTC", "ETH"] {
                var message = WireRiskParameters()
                message.symbol = symbol
                message.publisherEpoch = 11
                try outbox.send(topic: Array(Topic.risk(symbol).utf8), payload: try message.serializedBytes(),
                                eventTime: Int64(round + 1))
                published += 1
            }
            try outbox.flush()
            // The batch reaches the publisher within a beat or two; until then beats report the previous sequence.
            for _ in 0..<6 where beats.last?.heartbeat.sequence != published {
                beats.append(try #require(try nextBeat(), "heartbeats stopped"))
            }
            #expect(beats.last?.heartbeat.sequence == published, "no beat reported \(published) updates")
        }
        while beats.count < 10 { beats.append(try #require(try nextBeat(), "heartbeats stopped")) }
        try outbox.finish()

        let gaps = zip(beats, beats.dropFirst()).map { $1.receivedAt - $0.receivedAt }
        #expect(gaps.allSatisfy { $0 <= .seconds(1) }, "gaps between heartbeats: \(gaps)")
        #expect(beats.allSatisfy { $0.heartbeat.intervalMs == 500 && $0.heartbeat.publisherEpoch == 11 })
        #expect(beats.allSatisfy { $0.frameSequence == $0.heartbeat.sequence }, "sequence frame = Heartbeat.sequence")
        let sequences = beats.map(\.heartbeat.sequence)
        #expect(sequences == sequences.sorted() && sequences.last == published)
    }
}
