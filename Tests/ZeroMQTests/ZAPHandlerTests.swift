import CZeroMQ
import DedicatedThreads
import Foundation
import Synchronization
import Testing
@testable import ZeroMQ

@Suite("CURVE with a fail-closed ZAP allow-list", .serialized, .timeLimit(.minutes(1)))
struct ZAPHandlerTests {
    /// A CURVE PUB server publishing every 5 ms on its own thread until released. Set-up failures are reported,
    /// not swallowed: a server that silently came up without CURVE would make every refusal below meaningless.
    final class CurvePublisher: Sendable {
        enum Authentication: Sendable {
            /// ``Socket/setZAPDomain(_:)``: the domain, enforced.
            case enforcedDomain
            /// The domain alone, as libzmq leaves it without `ZMQ_ZAP_ENFORCE_DOMAIN` (the failure mode guarded).
            case unenforcedDomain
        }

        let context: ZMQContext
        let keys: CurveKeyPair
        let stop = StopSignal()
        private let state: Mutex<(endpoint: String?, failure: String?, enforced: Bool?)> = Mutex((nil, nil, nil))

        init(context: ZMQContext, authentication: Authentication) throws {
            self.context = context
            keys = try CurveKeyPair.generate()
            DedicatedThread.start(name: "curve-pub") { [self] in
                do {
                    let socket = try Socket(context: context, type: .pub)
                    defer { socket.close() }
                    try socket.setLinger(milliseconds: 0)
                    switch authentication {
                    case .enforcedDomain: try socket.setZAPDomain("fulcrum")
                    case .unenforcedDomain: try socket.setBytes(ZMQ_ZAP_DOMAIN, Array("fulcrum".utf8), name: "domain")
                    }
                    try socket.setCurveServer(secretKey: keys.secretKey)
                    try socket.bind("tcp://127.0.0.1:*")
                    let endpoint = try socket.lastEndpoint, enforced = try socket.isZAPDomainEnforced
                    state.withLock { $0 = (endpoint, nil, enforced) }
                    while !stop.isStopped {
                        _ = try socket.send(multipart: [Array("risk.X".utf8), [1, 2, 3]])
                        usleep(5_000)
                    }
                } catch {
                    state.withLock { $0.failure = "\(error)" }
                }
            }
            let deadline = ContinuousClock.now + .seconds(5)
            while state.withLock({ $0.endpoint == nil && $0.failure == nil }), ContinuousClock.now < deadline {
                usleep(1_000)
            }
            let (endpoint, failure, _) = state.withLock { $0 }
            try #require(failure == nil && endpoint != nil, "CURVE publisher failed to start: \(failure ?? "timeout")")
        }

        deinit { stop.stop() }

        var endpoint: String { state.withLock { $0.endpoint ?? "" } }
        var isEnforced: Bool? { state.withLock { $0.enforced } }

        /// Whether a SUB configured by `configure`, in its own context, receives anything within `timeout` ms.
        func receives(timeout: Int = 700, configure: (Socket) throws -> Void) throws -> Bool {
            let clientContext = try ZMQContext()
            let client = try Socket(context: clientContext, type: .sub)
            defer { client.close() }
            try client.setLinger(milliseconds: 0)
            try client.setReceiveTimeout(milliseconds: timeout)
            try configure(client)
            try client.subscribe("")
            try client.connect(endpoint)
            return try client.receiveMultipart() != nil
        }

        func curveClient(_ pair: CurveKeyPair) -> (Socket) throws -> Void {
            { [keys] in try $0.setCurveClient(serverKey: keys.publicKey, keyPair: pair) }
        }
    }

    /// A ZAP handler bound in `context` and answering on its own thread until `stop`.
    static func runHandler(in context: ZMQContext, allowing keys: [CurveKey], until stop: StopSignal) throws
        -> ZAPHandler {
        let handler = try ZAPHandler(context: context, allowedClients: keys)
        DedicatedThread.start(name: "zap") { try? handler.run(until: stop) }
        return handler
    }

    @Test("An allowed client gets data; unknown keys, plain clients and a wrong server key get nothing")
    func allowList() throws {
        let context = try ZMQContext()
        let allowed = try CurveKeyPair.generate()
        let handlerStop = StopSignal()
        defer { handlerStop.stop() }
        let handler = try Self.runHandler(in: context, allowing: [allowed.publicKey], until: handlerStop)
        let server = try CurvePublisher(context: context, authentication: .enforcedDomain)
        #expect(try server.receives(timeout: 5_000, configure: server.curveClient(allowed)))
        let deniedBefore = handler.denied.load(ordering: .relaxed)
        #expect(try !server.receives(configure: server.curveClient(try CurveKeyPair.generate())))
        #expect(handler.denied.load(ordering: .relaxed) > deniedBefore, "the refusal is counted")
        #expect(try !server.receives { _ in })
        #expect(try !server.receives {
            try $0.setCurveClient(serverKey: try CurveKeyPair.generate().publicKey, keyPair: allowed)
        })
        #expect(handler.accepted.load(ordering: .relaxed) >= 1)
    }

    @Test("setZAPDomain enforces the domain; a socket left alone does not")
    func enforcementIsSet() throws {
        let context = try ZMQContext()
        let socket = try Socket(context: context, type: .pub)
        defer { socket.close() }
        #expect(try !socket.isZAPDomainEnforced, "libzmq's default is not to enforce")
        try socket.setZAPDomain("fulcrum")
        #expect(try socket.isZAPDomainEnforced)
    }

    @Test("Enforced domain, no handler bound: a client with a valid server key gets nothing until the handler is up")
    func failsClosedWithoutHandler() throws {
        let client = try CurveKeyPair.generate()

        // The failure mode enforcement exists for: a domain without enforcement and no handler lets any CURVE client
        // in. This also shows the client below is set up so that it would get data if the server let it.
        let openContext = try ZMQContext()
        let failingOpen = try CurvePublisher(context: openContext, authentication: .unenforcedDomain)
        #expect(failingOpen.isEnforced == false)
        #expect(try failingOpen.receives(timeout: 5_000, configure: failingOpen.curveClient(client)),
                "without enforcement and without a handler libzmq admits the client (Stonehouse)")

        let context = try ZMQContext()
        let server = try CurvePublisher(context: context, authentication: .enforcedDomain)
        #expect(server.isEnforced == true)
        #expect(try !server.receives(timeout: 2_000, configure: server.curveClient(client)),
                "a CURVE client got data with no ZAP handler bound")

        // The same client key, once a handler that allows it is bound in the server's context.
        let handlerStop = StopSignal()
        defer { handlerStop.stop() }
        let handler = try Self.runHandler(in: context, allowing: [client.publicKey], until: handlerStop)
        #expect(try server.receives(timeout: 5_000, configure: server.curveClient(client)),
                "the allowed client got nothing once the handler was bound")
        #expect(handler.accepted.load(ordering: .relaxed) >= 1)
        #expect(try !server.receives(configure: server.curveClient(try CurveKeyPair.generate())),
                "an unknown key got data once the handler was bound")
    }
}
