import CZeroMQ

extension Socket {
    /// Outbound queue limit in messages; past it PUB drops and other patterns block or refuse.
    public func setSendHighWaterMark(_ messages: Int) throws(ZMQError) {
        try setInt(ZMQ_SNDHWM, Int32(clamping: messages), name: "ZMQ_SNDHWM")
    }

    /// Inbound queue limit in messages; past it the peer's PUB drops for this subscriber.
    public func setReceiveHighWaterMark(_ messages: Int) throws(ZMQError) {
        try setInt(ZMQ_RCVHWM, Int32(clamping: messages), name: "ZMQ_RCVHWM")
    }

    /// The kernel's receive buffer for this socket's connections (`SO_RCVBUF`), in bytes; 0 leaves the OS default
    /// and its autotuning. A small one bounds how much a peer can have in flight to a consumer that stops reading.
    public func setReceiveBufferSize(_ bytes: Int) throws(ZMQError) {
        try setInt(ZMQ_RCVBUF, Int32(clamping: bytes), name: "ZMQ_RCVBUF")
    }

    /// How long, in milliseconds, unsent messages are kept after ``close()``; -1 waits forever.
    public func setLinger(milliseconds: Int) throws(ZMQError) {
        try setInt(ZMQ_LINGER, Int32(clamping: milliseconds), name: "ZMQ_LINGER")
    }

    /// Bounds blocking receives; -1 blocks forever.
    public func setReceiveTimeout(milliseconds: Int) throws(ZMQError) {
        try setInt(ZMQ_RCVTIMEO, Int32(clamping: milliseconds), name: "ZMQ_RCVTIMEO")
    }

    /// Bounds blocking sends; -1 blocks forever.
    public func setSendTimeout(milliseconds: Int) throws(ZMQError) {
        try setInt(ZMQ_SNDTIMEO, Int32(clamping: milliseconds), name: "ZMQ_SNDTIMEO")
    }

    /// Largest inbound frame accepted; a peer sending a larger one is disconnected. -1 for no limit.
    public func setMaxMessageSize(_ bytes: Int64) throws(ZMQError) {
        var value = bytes
        try setRaw(ZMQ_MAXMSGSIZE, &value, MemoryLayout<Int64>.size, name: "ZMQ_MAXMSGSIZE")
    }

    /// Queue messages only to completed connections (no queueing for peers still connecting).
    public func setImmediate(_ on: Bool) throws(ZMQError) {
        try setInt(ZMQ_IMMEDIATE, on ? 1 : 0, name: "ZMQ_IMMEDIATE")
    }

    /// On ROUTER: fail with `hostUnreachable` instead of silently dropping unroutable messages.
    public func setRouterMandatory(_ on: Bool) throws(ZMQError) {
        try setInt(ZMQ_ROUTER_MANDATORY, on ? 1 : 0, name: "ZMQ_ROUTER_MANDATORY")
    }

    /// On XPUB: pass every subscription upstream, not only new ones.
    public func setXPubVerbose(_ on: Bool) throws(ZMQError) {
        try setInt(ZMQ_XPUB_VERBOSE, on ? 1 : 0, name: "ZMQ_XPUB_VERBOSE")
    }

    /// On XPUB: pass every unsubscription upstream too, including those of a peer that disconnects, so
    /// that the owner can keep an exact count of each prefix's subscribers (implies verbose subscriptions).
    public func setXPubVerboser(_ on: Bool) throws(ZMQError) {
        try setInt(ZMQ_XPUB_VERBOSER, on ? 1 : 0, name: "ZMQ_XPUB_VERBOSER")
    }

    /// ZMTP heartbeats: ping every `interval` ms, drop the peer after `timeout` ms of silence.
    public func setHeartbeat(intervalMilliseconds interval: Int, timeoutMilliseconds timeout: Int) throws(ZMQError) {
        try setInt(ZMQ_HEARTBEAT_IVL, Int32(clamping: interval), name: "ZMQ_HEARTBEAT_IVL")
        try setInt(ZMQ_HEARTBEAT_TIMEOUT, Int32(clamping: timeout), name: "ZMQ_HEARTBEAT_TIMEOUT")
    }

    /// On SUB: receive messages whose first frame starts with `prefix` (empty: everything).
    public func subscribe(_ prefix: String = "") throws(ZMQError) {
        try setBytes(ZMQ_SUBSCRIBE, Array(prefix.utf8), name: "ZMQ_SUBSCRIBE")
    }

    /// On SUB: undoes ``subscribe(_:)`` for the same prefix.
    public func unsubscribe(_ prefix: String = "") throws(ZMQError) {
        try setBytes(ZMQ_UNSUBSCRIBE, Array(prefix.utf8), name: "ZMQ_UNSUBSCRIBE")
    }

    /// The routing identity a ROUTER peer sees for this socket.
    public func setRoutingID(_ id: [UInt8]) throws(ZMQError) {
        try setBytes(ZMQ_ROUTING_ID, id, name: "ZMQ_ROUTING_ID")
    }

    /// Makes this socket a CURVE server with the given 32-byte secret key.
    ///
    /// This encrypts but does not authenticate: clients are checked against an allow-list only when the socket
    /// also has a ZAP domain (``setZAPDomain(_:)``, which enforces it) and a ``ZAPHandler`` runs in its context.
    public func setCurveServer(secretKey: CurveKey) throws(ZMQError) {
        try setInt(ZMQ_CURVE_SERVER, 1, name: "ZMQ_CURVE_SERVER")
        try setBytes(ZMQ_CURVE_SECRETKEY, secretKey.bytes, name: "ZMQ_CURVE_SECRETKEY")
    }

    /// Makes this socket a CURVE client of the server whose public key is `serverKey`.
    public func setCurveClient(serverKey: CurveKey, keyPair: CurveKeyPair) throws(ZMQError) {
        try setBytes(ZMQ_CURVE_SERVERKEY, serverKey.bytes, name: "ZMQ_CURVE_SERVERKEY")
        try setBytes(ZMQ_CURVE_PUBLICKEY, keyPair.publicKey.bytes, name: "ZMQ_CURVE_PUBLICKEY")
        try setBytes(ZMQ_CURVE_SECRETKEY, keyPair.secretKey.bytes, name: "ZMQ_CURVE_SECRETKEY")
    }

    /// The ZAP domain passed to the authentication handler for connections to this socket, with the domain
    /// enforced: when no handler is bound at `inproc://zeromq.zap.01`, or it does not answer 200, the connection
    /// fails. Without enforcement libzmq lets a CURVE client in unauthenticated whenever no handler is bound
    /// (the "Stonehouse" legacy mode), so enforcement is not optional here: if the library refuses
    /// `ZMQ_ZAP_ENFORCE_DOMAIN`, or does not keep it set, this throws rather than leave the socket failing open.
    public func setZAPDomain(_ domain: String) throws(ZMQError) {
        try setBytes(ZMQ_ZAP_DOMAIN, Array(domain.utf8), name: "ZMQ_ZAP_DOMAIN")
        try enforceZAPDomain()
    }

    /// Whether libzmq refuses connections to this socket when ZAP does not admit them (see ``setZAPDomain(_:)``).
    public var isZAPDomainEnforced: Bool {
        get throws(ZMQError) {
            try getInt(czmq_option_zap_enforce_domain(), name: "ZMQ_ZAP_ENFORCE_DOMAIN") != 0
        }
    }

    func enforceZAPDomain() throws(ZMQError) {
        let operation = "zmq_setsockopt(ZMQ_ZAP_ENFORCE_DOMAIN)"
        func unsupported(_ detail: String) -> ZMQError {
            ZMQError(code: .unsupported, errno: 0,
                     message: "libzmq \(ZMQContext.versionString) cannot enforce the ZAP domain (\(detail)); "
                        + "a CURVE server without it admits any client when no ZAP handler answers, so it is refused",
                     operation: operation)
        }
        let option = czmq_option_zap_enforce_domain()
        var on: Int32 = 1
        guard zmq_setsockopt(try live(operation), option, &on, MemoryLayout<Int32>.size) == 0 else {
            throw unsupported(String(cString: zmq_strerror(zmq_errno())))
        }
        guard (try? isZAPDomainEnforced) == true else { throw unsupported("the option does not stay set") }
    }

    /// Whether the last frame received has more frames after it.
    public var hasMoreFrames: Bool {
        get throws(ZMQError) { try getInt(ZMQ_RCVMORE, name: "ZMQ_RCVMORE") != 0 }
    }

    // MARK: raw accessors

    func setInt(_ option: Int32, _ value: Int32, name: String) throws(ZMQError) {
        var value = value
        try setRaw(option, &value, MemoryLayout<Int32>.size, name: name)
    }

    func setBytes(_ option: Int32, _ bytes: [UInt8], name: String) throws(ZMQError) {
        let socket = try live("zmq_setsockopt(\(name))")
        let status = bytes.withUnsafeBytes { zmq_setsockopt(socket, option, $0.baseAddress, $0.count) }
        if status != 0 { throw ZMQError.last("zmq_setsockopt(\(name))") }
    }

    func setRaw(_ option: Int32, _ value: UnsafeRawPointer, _ size: Int, name: String) throws(ZMQError) {
        if zmq_setsockopt(try live("zmq_setsockopt(\(name))"), option, value, size) != 0 {
            throw ZMQError.last("zmq_setsockopt(\(name))")
        }
    }

    func getInt(_ option: Int32, name: String) throws(ZMQError) -> Int32 {
        var value: Int32 = 0
        var size = MemoryLayout<Int32>.size
        if zmq_getsockopt(try live("zmq_getsockopt(\(name))"), option, &value, &size) != 0 {
            throw ZMQError.last("zmq_getsockopt(\(name))")
        }
        return value
    }

    func stringOption(_ option: Int32, name: String) throws(ZMQError) -> String {
        var buffer = [CChar](repeating: 0, count: 1024)
        var size = buffer.count
        if zmq_getsockopt(try live("zmq_getsockopt(\(name))"), option, &buffer, &size) != 0 {
            throw ZMQError.last("zmq_getsockopt(\(name))")
        }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
