import CZeroMQ

/// Runs libzmq's built-in forwarder (`zmq_proxy_steerable`) between two sockets.
public enum Proxy {
    /// Forwards messages both ways between `frontend` and `backend` until `control` receives
    /// `TERMINATE` or the context is terminated. Blocks the calling (dedicated) thread.
    ///
    /// For a pub-sub relay, `frontend` is an XSUB that publishers connect to and `backend` an
    /// XPUB that subscribers connect to; subscriptions flow upstream through the proxy.
    public static func run(frontend: Socket, backend: Socket, capture: Socket? = nil,
                           control: Socket? = nil) throws(ZMQError) {
        let status = zmq_proxy_steerable(try frontend.live("zmq_proxy"), try backend.live("zmq_proxy"),
                                         capture?.handle, control?.handle)
        if status != 0 {
            let error = ZMQError.last("zmq_proxy_steerable")
            if error.code != .terminated { throw error }
        }
    }
}
