import Foundation
import Synchronization
import Testing
import ZeroMQ

@Suite("CURVE with a fail-closed ZAP allow-list", .serialized, .timeLimit(.minutes(1)))
struct ZAPHandlerTests {
    /// A CURVE PUB server with a ZAP handler admitting one client key; publishes until stopped.
    final class Server: Sendable {
        let context: ZMQContext
        let keys: CurveKeyPair
        let allowedClient: CurveKeyPair
        let handler: ZAPHandler
        let stop = StopSignal()
        let endpoint: Mutex<String?> = Mutex(nil)

        init() throws {
            context = try ZMQContext()
            keys = try CurveKeyPair.generate()
            allowedClient = try CurveKeyPair.generate()
            handler = try ZAPHandler(context: context, allowedClients: [allowedClient.publicKey])
            DedicatedThread.start(name: "zap") { [self] in try? handler.run(until: stop) }
            DedicatedThread.start(name: "curve-pub") { [self] in
                guard let socket = try? Socket(context: context, type: .pub) else { return }
                defer { socket.close() }
                try? socket.setLinger(milliseconds: 0)
                try? socket.setZAPDomain("fulcrum")
                try? socket.setCurveServer(secretKey: keys.secretKey)
                try? socket.bind("tcp://127.0.0.1:*")
                endpoint.withLock { $0 = try? socket.lastEndpoint }
                while !stop.isStopped {
                    _ = try? socket.send(multipart: [Array("risk.X".utf8), [1, 2, 3]])
                    usleep(5_000)
                }
            }
            while endpoint.withLock({ $0 }) == nil { usleep(1_000) }
        }

        deinit { stop.stop() }

        /// Whether a SUB configured by `configure` receives anything within `timeout`.
        func receives(timeout: Int = 700, configure: (Socket) throws -> Void) throws -> Bool {
            let client = try Socket(context: context, type: .sub)
            defer { client.close() }
            try client.setLinger(milliseconds: 0)
            try client.setReceiveTimeout(milliseconds: timeout)
            try configure(client)
            try client.subscribe("")
            try client.connect(try #require(endpoint.withLock { $0 }))
            return try client.receiveMultipart() != nil
        }
    }

    @Test("An allowed client gets data; unknown keys, plain clients and a wrong server key get nothing")
    func allowList() throws {
        let server = try Server()
        #expect(try server.receives(timeout: 5_000) {
            try $0.setCurveClient(serverKey: server.keys.publicKey, keyPair: server.allowedClient)
        })
        let deniedBefore = server.handler.denied.load(ordering: .relaxed)
        #expect(try !server.receives {
            try $0.setCurveClient(serverKey: server.keys.publicKey, keyPair: try CurveKeyPair.generate())
        })
        #expect(server.handler.denied.load(ordering: .relaxed) > deniedBefore, "the refusal is counted")
        #expect(try !server.receives { _ in })
        #expect(try !server.receives {
            try $0.setCurveClient(serverKey: try CurveKeyPair.generate().publicKey, keyPair: server.allowedClient)
        })
        #expect(server.handler.accepted.load(ordering: .relaxed) >= 1)
    }
}
