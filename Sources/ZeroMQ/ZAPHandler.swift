import DedicatedThreads
import Synchronization

/// A ZeroMQ authentication (ZAP, RFC 27) handler that admits CURVE clients by public key.
///
/// libzmq asks the handler bound at `inproc://zeromq.zap.01` of the same context about every
/// connection to a socket with a ZAP domain. This handler answers 200 only for CURVE clients whose
/// public key is on the allow-list and whose domain is one it serves; everything else (unknown
/// key, other mechanism, other domain) gets 400, so the connection fails closed. It runs on its
/// own thread from ``run(until:)``. Sockets set up with ``Socket/setZAPDomain(_:)`` enforce the domain, so until
/// the handler is bound in their context they refuse every client rather than admit them unauthenticated.
public final class ZAPHandler: Sendable {
    /// Clients admitted.
    public let accepted = Atomic<UInt64>(0)
    /// Clients refused.
    public let denied = Atomic<UInt64>(0)
    private let allowed: Set<CurveKey>
    private let domains: Set<String>
    private let socket: Mutex<Socket?>

    /// Binds the handler's socket in `context`, admitting `allowedClients` on `domains`.
    public init(context: ZMQContext, allowedClients: [CurveKey], domains: Set<String> = ["fulcrum"]) throws(ZMQError) {
        allowed = Set(allowedClients)
        self.domains = domains
        let socket = try Socket(context: context, type: .rep)
        try socket.setLinger(milliseconds: 0)
        try socket.bind("inproc://zeromq.zap.01")
        self.socket = Mutex(socket)
    }

    /// Answers requests until `stop` is set. Blocks: run it on a ``DedicatedThread``.
    public func run(until stop: StopSignal) throws(ZMQError) {
        // The socket migrates once, from the binding thread to this one, through the mutex's memory
        // barrier (libzmq allows migration with a full barrier); nothing else touches it afterwards.
        guard let socket = self.socket.withLock({ current -> Socket? in
            defer { current = nil }
            return current
        }) else { return }
        defer { socket.close() }
        let poller = try Poller(readable: [socket])
        while !stop.isStopped {
            guard try poller.poll(timeoutMilliseconds: 100) > 0,
                  let request = try socket.receiveMultipart(wait: false) else { continue }
            try socket.send(multipart: reply(to: request))
        }
    }

    /// The reply frames for one request: `[version, request id, status, text, user id, metadata]`.
    func reply(to request: [[UInt8]]) -> [[UInt8]] {
        let version = request.first ?? Array("1.0".utf8)
        let requestID = request.count > 1 ? request[1] : []
        let admitted = decide(request)
        if admitted { accepted.add(1, ordering: .relaxed) } else { denied.add(1, ordering: .relaxed) }
        let status = admitted ? "200" : "400"
        let text = admitted ? "OK" : "client not allowed"
        let user = admitted && request.count > 6 ? Array((try? CurveKey(bytes: request[6]).z85)?.utf8 ?? "".utf8) : []
        return [version, requestID, Array(status.utf8), Array(text.utf8), user, []]
    }

    func decide(_ request: [[UInt8]]) -> Bool {
        // [version, request id, domain, address, identity, mechanism, credentials...]
        guard request.count >= 7, request[0] == Array("1.0".utf8),
              domains.contains(String(decoding: request[2], as: UTF8.self)),
              request[5] == Array("CURVE".utf8), let key = try? CurveKey(bytes: request[6]) else { return false }
        return allowed.contains(key)
    }
}
