import CZeroMQ

/// A libzmq context: the owner of I/O threads and the namespace of `inproc://` endpoints.
///
/// Unlike sockets, a libzmq context is documented as thread-safe, so one context is shared
/// by every thread of the process. Terminating it (in `deinit` or ``terminate()``) makes
/// blocking calls on its sockets fail with ``ZMQError/Code-swift.enum/terminated``.
public final class ZMQContext: @unchecked Sendable {
    // @unchecked: libzmq guarantees zmq_ctx_* calls are thread-safe; the pointer is immutable.
    let handle: UnsafeMutableRawPointer

    /// Creates a context with `ioThreads` background I/O threads.
    public init(ioThreads: Int = 1) throws(ZMQError) {
        guard let handle = zmq_ctx_new() else { throw ZMQError.last("zmq_ctx_new") }
        self.handle = handle
        if zmq_ctx_set(handle, ZMQ_IO_THREADS, Int32(ioThreads)) != 0 {
            let error = ZMQError.last("zmq_ctx_set(ZMQ_IO_THREADS)")
            zmq_ctx_term(handle)
            throw error
        }
    }

    /// Shuts the context down: blocking calls on its sockets return `terminated`.
    ///
    /// Sockets must still be closed by their owners; `zmq_ctx_shutdown` does not wait for that.
    public func shutdown() {
        zmq_ctx_shutdown(handle)
    }

    deinit {
        // zmq_ctx_term blocks until every socket is closed; all sockets hold a strong reference
        // to the context, so by now they are gone.
        while zmq_ctx_term(handle) != 0 && zmq_errno() == czmq_errno_eintr() {}
    }

    /// The libzmq version linked at run time, e.g. `(4, 3, 4)`.
    public static var version: (major: Int, minor: Int, patch: Int) {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return (Int(major), Int(minor), Int(patch))
    }

    /// The libzmq version linked at run time as text, e.g. `"4.3.4"`.
    public static var versionString: String {
        let (major, minor, patch) = version
        return "\(major).\(minor).\(patch)"
    }

    /// Whether libzmq was built with the named capability, e.g. `"curve"` or `"ipc"`.
    public static func has(_ capability: String) -> Bool {
        zmq_has(capability) != 0
    }
}
