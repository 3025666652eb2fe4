import Foundation
import Testing
import ZeroMQ

@Suite("Socket monitors over tcp", .serialized, .timeLimit(.minutes(1)))
struct SocketMonitorTests {
    let context: ZMQContext

    init() throws { context = try ZMQContext() }

    /// Collects events until `done` holds for the events seen so far, or five seconds pass.
    func events(of monitor: SocketMonitor, until done: ([SocketEvent]) -> Bool) throws -> [SocketEvent] {
        try monitor.socket.setReceiveTimeout(milliseconds: 100)
        var seen: [SocketEvent] = []
        let deadline = ContinuousClock.now + .seconds(5)
        while !done(seen), ContinuousClock.now < deadline {
            if let event = try monitor.next(wait: true) { seen.append(event) }
        }
        return seen
    }

    func curveServer() throws -> (Socket, SocketMonitor, CurveKeyPair, String) {
        let keys = try CurveKeyPair.generate()
        let server = try Socket(context: context, type: .pub)
        try server.setLinger(milliseconds: 0)
        try server.setCurveServer(secretKey: keys.secretKey)
        let monitor = try server.startMonitor()
        try server.bind("tcp://127.0.0.1:*")
        return (server, monitor, keys, try server.lastEndpoint)
    }

    @Test("A connecting and leaving peer shows as accepted, handshake succeeded, disconnected")
    func acceptedAndDisconnected() throws {
        let (server, monitor, keys, endpoint) = try curveServer()
        defer { monitor.close(); server.close() }
        let client = try Socket(context: context, type: .sub)
        try client.setLinger(milliseconds: 0)
        try client.setCurveClient(serverKey: keys.publicKey, keyPair: try CurveKeyPair.generate())
        try client.connect(endpoint)
        let joined = try events(of: monitor) { $0.contains { $0.kind == .handshakeSucceeded } }
        #expect(joined.map(\.kind).contains(.accepted))
        #expect(joined.map(\.kind).contains(.handshakeSucceeded))
        #expect(joined.first { $0.kind == .accepted }?.endpoint == endpoint)
        client.close()
        let left = try events(of: monitor) { $0.contains { $0.kind == .disconnected } }
        #expect(left.map(\.kind).contains(.disconnected))
    }

    @Test("A plain client at a CURVE server fails the handshake with a mechanism mismatch")
    func plainClient() throws {
        let (server, monitor, _, endpoint) = try curveServer()
        defer { monitor.close(); server.close() }
        let client = try Socket(context: context, type: .sub)
        try client.setLinger(milliseconds: 0)
        try client.connect(endpoint)
        defer { client.close() }
        let seen = try events(of: monitor) { $0.contains { $0.kind == .handshakeFailedProtocol } }
        let failure = try #require(seen.first { $0.kind == .handshakeFailedProtocol }, "events: \(seen)")
        #expect(failure.value == SocketEvent.ProtocolError.mechanismMismatch)
        #expect(!seen.map(\.kind).contains(.handshakeSucceeded))
    }

    @Test("A client pinned to another server key fails the handshake with a cryptographic error")
    func wrongServerKey() throws {
        let (server, monitor, _, endpoint) = try curveServer()
        defer { monitor.close(); server.close() }
        let client = try Socket(context: context, type: .sub)
        try client.setLinger(milliseconds: 0)
        try client.setCurveClient(serverKey: try CurveKeyPair.generate().publicKey, keyPair: try CurveKeyPair.generate())
        try client.connect(endpoint)
        defer { client.close() }
        let seen = try events(of: monitor) { $0.contains { $0.kind == .handshakeFailedProtocol } }
        let failure = try #require(seen.first { $0.kind == .handshakeFailedProtocol }, "events: \(seen)")
        #expect(failure.value == SocketEvent.ProtocolError.cryptographic)
    }

    @Test("A monitor message that is not two frames of the expected shape is not an event")
    func malformed() {
        let short: [UInt8] = [1, 2, 3]
        let parsed = short.withUnsafeBytes { first in
            [UInt8]().withUnsafeBytes { second in SocketEvent(frames: first, second) }
        }
        #expect(parsed == nil)
    }
}
