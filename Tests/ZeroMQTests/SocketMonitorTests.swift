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

    /// A raw TCP peer of `endpoint` (`tcp://127.0.0.1:PORT`) that sends `bytes` and hangs up: what a ZMTP client
    /// looks like on the wire before its security handshake. TCP delivers the bytes before the end of the stream,
    /// so the server reads them whatever the timing.
    func rawPeer(_ endpoint: String, sends bytes: [UInt8]) throws {
        let port = try #require(UInt16(endpoint.split(separator: ":").last ?? ""))
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(connected == 0, "connect: \(String(cString: strerror(errno)))")
        if !bytes.isEmpty {
            #expect(bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) } == bytes.count)
        }
    }

    /// The ZMTP 3.0 greeting of a client of `mechanism` (RFC 23): signature, version, mechanism, as-server, filler.
    static func greeting(mechanism: String) -> [UInt8] {
        let signature: [UInt8] = [0xFF] + [UInt8](repeating: 0, count: 8) + [0x7F]
        let name = Array(mechanism.utf8) + [UInt8](repeating: 0, count: 20 - mechanism.utf8.count)
        return signature + [3, 0] + name + [0] + [UInt8](repeating: 0, count: 31)
    }

    @Test("A plain client whose greeting Fulcrum reads is told apart: a mechanism mismatch")
    func plainGreetingRead() throws {
        let (server, monitor, _, endpoint) = try curveServer()
        defer { monitor.close(); server.close() }
        try rawPeer(endpoint, sends: Self.greeting(mechanism: "NULL"))
        let seen = try events(of: monitor) { $0.contains { $0.kind == .handshakeFailedProtocol } }
        let failure = seen.first { $0.kind == .handshakeFailedProtocol }
        #expect(failure?.value == SocketEvent.ProtocolError.mechanismMismatch, "events: \(seen)")
        #expect(!seen.map(\.kind).contains(.handshakeFailedNoDetail))
    }

    /// A plain client that read Fulcrum's mechanism first hangs up after its signature and major version, before
    /// its own mechanism: the server sees a connection ended mid-greeting, exactly as from a peer that sends
    /// nothing (a port scan, a TCP probe). Neither carries more than an errno: they cannot be told apart.
    @Test("A peer that hangs up mid-greeting and one that sends nothing both fail with no detail",
          arguments: [[UInt8](greeting(mechanism: "NULL").prefix(11)), []])
    func hangUpMidGreeting(sent: [UInt8]) throws {
        let (server, monitor, _, endpoint) = try curveServer()
        defer { monitor.close(); server.close() }
        try rawPeer(endpoint, sends: sent)
        let seen = try events(of: monitor) { $0.contains { $0.kind == .handshakeFailedNoDetail } }
        let failure = try #require(seen.first { $0.kind == .handshakeFailedNoDetail }, "events: \(seen)")
        #expect([EPIPE, ECONNRESET].map(UInt32.init).contains(failure.value), "errno \(failure.value)")
        #expect(!seen.map(\.kind).contains(.handshakeFailedProtocol))
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
