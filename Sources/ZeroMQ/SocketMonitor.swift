import CZeroMQ

/// Reads the events of a monitored socket (`zmq_socket_monitor`).
///
/// libzmq publishes a socket's events on an in-process PAIR endpoint; the monitor connects to it.
/// Like every socket it belongs to one thread: start the monitor on the thread that owns the
/// monitored socket (``Socket/startMonitor(events:)``), then read it there or hand the endpoint to
/// another thread that creates its own ``SocketMonitor``. Events queue until read (up to the PAIR's
/// high-water mark), so a monitor must be read regularly, e.g. from the owner's poll loop.
public final class SocketMonitor {
    /// The PAIR socket events arrive on; add it to a ``Poller`` to wait for events.
    public let socket: Socket
    /// The in-process endpoint libzmq publishes the events on.
    public let endpoint: String
    private let first = Message()
    private let second = Message()

    /// Connects to the events of the socket monitored on `endpoint`.
    public init(context: ZMQContext, endpoint: String) throws(ZMQError) {
        self.endpoint = endpoint
        socket = try Socket(context: context, type: .pair)
        try socket.setLinger(milliseconds: 0)
        try socket.connect(endpoint)
    }

    /// The next event, or `nil` when none is queued (with `wait: false`) or the receive timed out.
    public func next(wait: Bool = false) throws(ZMQError) -> SocketEvent? {
        guard try socket.receive(into: first, wait: wait) else { return nil }
        // A monitor message is always two frames; a lone frame is not an event.
        guard first.hasMore else { return nil }
        try socket.receive(into: second)
        while second.hasMore { try socket.receive(into: second) }
        return SocketEvent(frames: first.bytes, second.bytes)
    }

    /// Closes the PAIR socket.
    public func close() { socket.close() }
}

extension Socket {
    /// Starts publishing this socket's `events` on a new in-process endpoint and returns a monitor
    /// connected to it. Call on the thread that owns this socket.
    public func startMonitor(events: SocketEvent.Kind = .connectionsAndHandshakes) throws(ZMQError) -> SocketMonitor {
        let endpoint = "inproc://fulcrum-monitor-\(UInt64.random(in: 0...UInt64.max))"
        if zmq_socket_monitor(try live("zmq_socket_monitor"), endpoint, Int32(bitPattern: events.rawValue)) != 0 {
            throw ZMQError.last("zmq_socket_monitor(\(endpoint))")
        }
        return try SocketMonitor(context: context, endpoint: endpoint)
    }

    /// Stops the monitor started by ``startMonitor(events:)``.
    public func stopMonitor() {
        guard let handle else { return }
        _ = zmq_socket_monitor(handle, nil, 0)
    }
}
