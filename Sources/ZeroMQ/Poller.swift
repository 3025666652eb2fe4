import CZeroMQ

/// Waits until one of several sockets is readable (`zmq_poll`).
///
/// Like the sockets it watches, a poller belongs to one thread. Its item array is allocated
/// once, so polling in a loop does not allocate.
public final class Poller {
    private let sockets: [Socket]
    private let items: UnsafeMutablePointer<zmq_pollitem_t>

    /// Watches `sockets` for readability, in this order.
    public init(readable sockets: [Socket]) throws(ZMQError) {
        self.sockets = sockets
        items = .allocate(capacity: max(sockets.count, 1))
        for (index, socket) in sockets.enumerated() {
            items[index] = zmq_pollitem_t(socket: try socket.live("zmq_poll"), fd: 0, events: Int16(ZMQ_POLLIN),
                                          revents: 0)
        }
    }

    deinit { items.deallocate() }

    /// Blocks up to `milliseconds` (-1: forever) until a socket is readable.
    ///
    /// - Returns: the number of readable sockets; 0 on timeout or interruption.
    @discardableResult
    public func poll(timeoutMilliseconds milliseconds: Int) throws(ZMQError) -> Int {
        let count = zmq_poll(items, Int32(sockets.count), milliseconds)
        if count >= 0 { return Int(count) }
        let error = ZMQError.last("zmq_poll")
        if error.code == .interrupted { return 0 }
        throw error
    }

    /// Whether the socket at `index` was readable in the last ``poll(timeoutMilliseconds:)``.
    public func isReadable(_ index: Int) -> Bool {
        items[index].revents & Int16(ZMQ_POLLIN) != 0
    }
}
