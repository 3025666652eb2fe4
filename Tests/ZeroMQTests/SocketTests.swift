import Foundation
import Testing
import ZeroMQ

@Suite("ZeroMQ sockets over real transports", .serialized, .timeLimit(.minutes(1)))
struct SocketTests {
    let context: ZMQContext

    init() throws { context = try ZMQContext() }

    private func pair(_ a: SocketType, _ b: SocketType, transport: String) throws -> (Socket, Socket) {
        let server = try Socket(context: context, type: a)
        try server.setLinger(milliseconds: 0)
        try server.bind(transport)
        let endpoint = try server.lastEndpoint
        let client = try Socket(context: context, type: b)
        try client.setLinger(milliseconds: 0)
        try client.setReceiveTimeout(milliseconds: 5000)
        try server.setReceiveTimeout(milliseconds: 5000)
        try client.connect(endpoint)
        return (server, client)
    }

    @Test("PAIR round-trips binary multipart frames", arguments: [
        "tcp://127.0.0.1:*", "ipc:///tmp/fulcrum-zmq-test-\(getpid()).sock", "inproc://pair-test",
    ])
    func pairRoundTrip(transport: String) throws {
        let (server, client) = try pair(.pair, .pair, transport: transport)
        let big = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let frames: [[UInt8]] = [[0, 0xFF, 0, 10], [], big]
        try client.send(multipart: frames)
        let received = try #require(try server.receiveMultipart())
        #expect(received == frames)
    }

    @Test("PUB/SUB delivers only subscribed prefixes")
    func pubSubPrefix() throws {
        let (pub, sub) = try pair(.pub, .sub, transport: "tcp://127.0.0.1:*")
        try sub.subscribe("risk.")
        // Subscriptions travel asynchronously; publish until the first one arrives.
        let probe = Message()
        var arrived = false
        for _ in 0..<500 where !arrived {
            try pub.send(multipart: [Array("risk.BTC".utf8), [1]])
            arrived = try sub.receive(into: probe, wait: false)
            if !arrived { usleep(2000) }
        }
        #expect(arrived)
        while probe.hasMore { try sub.receive(into: probe) }
        try pub.send(multipart: [Array("other".utf8), [2]])
        try pub.send(multipart: [Array("risk.ETH".utf8), [3]])
        // Probes still in flight arrive first; the next other message must be risk.ETH, never "other".
        var frames: [[UInt8]]
        repeat {
            frames = try #require(try sub.receiveMultipart())
        } while frames.isEmpty || frames[0] == Array("risk.BTC".utf8)
        #expect(frames == [Array("risk.ETH".utf8), [3]])
    }

    @Test("ROUTER/DEALER addresses replies by routing id")
    func routerDealer() throws {
        let (router, dealer) = try pair(.router, .dealer, transport: "inproc://router-test")
        try dealer.send(multipart: [Array("hello".utf8)])
        let request = try #require(try router.receiveMultipart())
        #expect(request.count == 2)
        #expect(request[1] == Array("hello".utf8))
        try router.send(multipart: [request[0], Array("world".utf8)])
        #expect(try dealer.receiveMultipart() == [Array("world".utf8)])
    }

    @Test("Receive timeout returns nil instead of blocking")
    func receiveTimeout() throws {
        let (_, client) = try pair(.pub, .sub, transport: "inproc://timeout-test")
        try client.setReceiveTimeout(milliseconds: 20)
        #expect(try client.receiveMultipart() == nil)
    }

    @Test("Poller reports the readable socket")
    func poller() throws {
        let (a, b) = try pair(.pair, .pair, transport: "inproc://poll-a")
        let (c, d) = try pair(.pair, .pair, transport: "inproc://poll-b")
        let poller = try Poller(readable: [a, c])
        #expect(try poller.poll(timeoutMilliseconds: 10) == 0)
        try d.send([9])
        #expect(try poller.poll(timeoutMilliseconds: 1000) == 1)
        #expect(!poller.isReadable(0))
        #expect(poller.isReadable(1))
        _ = b
    }

    @Test("Errors carry errno and zmq_strerror")
    func errors() throws {
        let socket = try Socket(context: context, type: .pub)
        do {
            try socket.bind("nonsense://x")
            Issue.record("bind should fail")
        } catch {
            #expect(error.errno != 0)
            #expect(error.description.contains("nonsense://x"))
            #expect(!error.message.isEmpty)
        }
    }

    @Test("Oversized frames are refused by ZMQ_MAXMSGSIZE")
    func maxMessageSize() throws {
        let server = try Socket(context: context, type: .pull)
        try server.setMaxMessageSize(100)
        try server.setReceiveTimeout(milliseconds: 300)
        try server.bind("tcp://127.0.0.1:*")
        let client = try Socket(context: context, type: .push)
        try client.setLinger(milliseconds: 0)
        try client.connect(try server.lastEndpoint)
        try client.send([UInt8](repeating: 1, count: 1000))
        #expect(try server.receiveMultipart() == nil)
    }

    @Test("CURVE key pairs round-trip through Z85")
    func curveKeys() throws {
        let pair = try CurveKeyPair.generate()
        #expect(pair.publicKey.z85.utf8.count == 40)
        #expect(try CurveKey(z85: pair.secretKey.z85) == pair.secretKey)
        #expect(try CurveKeyPair.derive(secretKey: pair.secretKey).publicKey == pair.publicKey)
        #expect(throws: ZMQError.self) { try CurveKey(z85: "short") }
    }

    @Test("CURVE client with the right server key talks to a CURVE server")
    func curveHandshake() throws {
        let serverKeys = try CurveKeyPair.generate()
        let server = try Socket(context: context, type: .pair)
        try server.setCurveServer(secretKey: serverKeys.secretKey)
        try server.setReceiveTimeout(milliseconds: 5000)
        try server.bind("tcp://127.0.0.1:*")
        let client = try Socket(context: context, type: .pair)
        try client.setLinger(milliseconds: 0)
        try client.setCurveClient(serverKey: serverKeys.publicKey, keyPair: try CurveKeyPair.generate())
        try client.connect(try server.lastEndpoint)
        try client.send(Array("secret".utf8))
        #expect(try server.receiveMultipart() == [Array("secret".utf8)])
    }
}
