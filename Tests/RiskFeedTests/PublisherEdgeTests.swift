import Foundation
import Testing
import ZeroMQ
@testable import RiskFeed

@Suite("Publisher edges: refusal reasons, an outbox without a publisher", .timeLimit(.minutes(1)))
struct PublisherEdgeTests {
    @Test("Handshake failures map to refusal reasons by event and protocol error", arguments: [
        (SocketEvent.Kind.handshakeFailedProtocol, SocketEvent.ProtocolError.mechanismMismatch, "plain"),
        (.handshakeFailedProtocol, SocketEvent.ProtocolError.cryptographic, "wrong_key"),
        (.handshakeFailedAuth, 400, "not_allowed"),
        (.handshakeFailedNoDetail, UInt32(EPIPE), "other"),
        (.handshakeFailedProtocol, 0x1000_0001, "other"),
    ] as [(SocketEvent.Kind, UInt32, String)])
    func refusalReasons(kind: SocketEvent.Kind, value: UInt32, reason: String) {
        let event = SocketEvent(kind: kind, value: value, endpoint: "tcp://127.0.0.1:7601")
        #expect(PublisherConnections.refusal(event).rawValue == reason)
    }

    @Test("The engine's outbox does not block when the publisher's end is gone: its batches are dropped")
    func outboxWithoutPublisher() throws {
        let context = try ZMQContext()
        let endpoint = "inproc://outbox-edge-\(UInt64.random(in: 0...UInt64.max))"
        let publisherEnd = try Socket(context: context, type: .pair)
        try publisherEnd.bind(endpoint)
        let outbox = try UpdateOutbox(context: context, endpoint: endpoint)
        defer { outbox.close() }
        // The publisher failed: its end closes and, once libzmq has torn the pipe down (asynchronously, on the
        // reaper thread), the channel has no peer. A blocking PAIR send would then wait for ever.
        publisherEnd.close()
        let deadline = ContinuousClock.now + .seconds(10)
        var sent = 0
        while outbox.droppedBatches == 0, ContinuousClock.now < deadline {
            try outbox.send(topic: Array("risk.AAA".utf8), payload: [UInt8](repeating: 1, count: 64),
                            eventTime: Int64(sent))
            try outbox.flush()
            sent += 1
            usleep(1_000)
        }
        #expect(outbox.droppedBatches > 0, "\(sent) batches sent, none refused")
        let dropped = outbox.droppedBatches
        try outbox.finish()
        try outbox.finish()
        #expect(outbox.droppedBatches == dropped + 1, "the end marker is sent (and dropped) once")
    }
}
