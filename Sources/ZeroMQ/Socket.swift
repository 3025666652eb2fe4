import CZeroMQ

/// One libzmq socket, owned by exactly one thread.
///
/// libzmq sockets are not thread-safe, so `Socket` is deliberately not `Sendable`: create it on
/// the thread that uses it and close it there. Blocking calls (``receive(into:wait:)``,
/// ``send(_:more:wait:)`` on a full queue) must run on a dedicated thread, never on the Swift
/// concurrency pool.
public final class Socket {
    /// The context the socket belongs to; kept alive as long as the socket.
    public let context: ZMQContext
    /// The socket's pattern.
    public let type: SocketType
    var handle: UnsafeMutableRawPointer?

    /// Opens a socket of `type` in `context`.
    public init(context: ZMQContext, type: SocketType) throws(ZMQError) {
        guard let handle = zmq_socket(context.handle, type.rawValue) else {
            throw ZMQError.last("zmq_socket(\(type))")
        }
        self.context = context
        self.type = type
        self.handle = handle
    }

    deinit { close() }

    /// Closes the socket; pending outbound messages are kept for at most the linger time.
    public func close() {
        guard let handle else { return }
        zmq_close(handle)
        self.handle = nil
    }

    func live(_ operation: @autoclosure () -> String) throws(ZMQError) -> UnsafeMutableRawPointer {
        guard let handle else {
            throw ZMQError(code: .invalidArgument, errno: 0, message: "socket is closed", operation: operation())
        }
        return handle
    }

    /// Binds to `endpoint` (`tcp://host:port`, `ipc:///path`, `inproc://name`).
    public func bind(_ endpoint: String) throws(ZMQError) {
        if zmq_bind(try live("zmq_bind"), endpoint) != 0 { throw ZMQError.last("zmq_bind(\(endpoint))") }
    }

    /// Connects to `endpoint`; libzmq reconnects by itself when the peer goes away.
    public func connect(_ endpoint: String) throws(ZMQError) {
        if zmq_connect(try live("zmq_connect"), endpoint) != 0 { throw ZMQError.last("zmq_connect(\(endpoint))") }
    }

    /// Undoes ``bind(_:)``.
    public func unbind(_ endpoint: String) throws(ZMQError) {
        if zmq_unbind(try live("zmq_unbind"), endpoint) != 0 { throw ZMQError.last("zmq_unbind(\(endpoint))") }
    }

    /// Undoes ``connect(_:)``.
    public func disconnect(_ endpoint: String) throws(ZMQError) {
        if zmq_disconnect(try live("zmq_disconnect"), endpoint) != 0 {
            throw ZMQError.last("zmq_disconnect(\(endpoint))")
        }
    }

    /// The endpoint actually bound last, e.g. the port chosen for `tcp://127.0.0.1:*`.
    public var lastEndpoint: String {
        get throws(ZMQError) { try stringOption(ZMQ_LAST_ENDPOINT, name: "ZMQ_LAST_ENDPOINT") }
    }
}

extension Socket {
    /// Sends one frame. With `more`, the next frame belongs to the same multipart message.
    ///
    /// - Returns: `false` if `wait` is false and the message could not be queued at once
    ///   (high-water mark reached, or no peer for patterns that block).
    @discardableResult
    public func send(_ bytes: UnsafeRawBufferPointer, more: Bool = false, wait: Bool = true) throws(ZMQError) -> Bool {
        let flags = (more ? ZMQ_SNDMORE : 0) | (wait ? 0 : ZMQ_DONTWAIT)
        let socket = try live("zmq_send")
        while true {
            if zmq_send(socket, bytes.baseAddress, bytes.count, flags) >= 0 { return true }
            let error = ZMQError.last("zmq_send")
            switch error.code {
            case .wouldBlock: return false
            case .interrupted: continue
            default: throw error
            }
        }
    }

    /// Sends one frame from an array of bytes.
    @discardableResult
    public func send(_ bytes: [UInt8], more: Bool = false, wait: Bool = true) throws(ZMQError) -> Bool {
        // Array.withUnsafeBytes rethrows untyped errors; carry the typed one out in a Result.
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(ZMQError) -> Bool in try send(buffer, more: more, wait: wait) }
        }
        return try result.get()
    }

    /// Sends the frames as one multipart message.
    @discardableResult
    public func send(multipart frames: [[UInt8]], wait: Bool = true) throws(ZMQError) -> Bool {
        for (index, frame) in frames.enumerated() {
            let sent = try send(frame, more: index < frames.count - 1, wait: wait)
            // Only the first frame can be refused: once it is queued, libzmq accepts the rest atomically.
            if !sent { return false }
        }
        return true
    }

    /// Receives the next frame into `message`, reusing its storage.
    ///
    /// - Returns: `false` if `wait` is false and nothing was ready, or a receive timeout expired.
    @discardableResult
    public func receive(into message: Message, wait: Bool = true) throws(ZMQError) -> Bool {
        let socket = try live("zmq_msg_recv")
        while true {
            if zmq_msg_recv(message.pointer, socket, wait ? 0 : ZMQ_DONTWAIT) >= 0 { return true }
            let error = ZMQError.last("zmq_msg_recv")
            switch error.code {
            case .wouldBlock: return false
            case .interrupted: continue
            default: throw error
            }
        }
    }

    /// Receives a whole multipart message as copies of its frames.
    ///
    /// Convenient for control paths; hot paths use ``receive(into:wait:)`` with reused messages.
    /// - Returns: `nil` if `wait` is false and nothing was ready, or a receive timeout expired.
    public func receiveMultipart(wait: Bool = true) throws(ZMQError) -> [[UInt8]]? {
        let message = Message()
        guard try receive(into: message, wait: wait) else { return nil }
        var frames = [message.array]
        while message.hasMore {
            try receive(into: message)
            frames.append(message.array)
        }
        return frames
    }
}
