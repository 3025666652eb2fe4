/// The bounds of the snapshot ROUTER socket: whoever reaches the port (anyone, with CURVE off) can neither make
/// Fulcrum hold unbounded memory nor keep its publisher thread from heartbeats and updates.
///
/// Fixed rather than configured: a snapshot request is a few bytes, and the backlog holds several complete
/// replies for any realistic number of symbols. `protocols/README.md` documents them for consumers.
public enum SnapshotLimits {
    /// Largest request frame accepted, in bytes (`ZMQ_MAXMSGSIZE`). libzmq drops the connection of a peer that
    /// announces a larger frame as soon as it reads the frame's header, before allocating anything for it.
    public static let maxRequestBytes = 4_096
    /// Requests queued per client before Fulcrum stops reading from that client's connection (`ZMQ_RCVHWM`): the
    /// excess waits in the operating system's socket buffers and then in the client, not in Fulcrum.
    public static let queuedRequestsPerClient = 100
    /// Reply messages queued per client (`ZMQ_SNDHWM`, with `ZMQ_ROUTER_MANDATORY` so that a full queue is seen):
    /// a client that sends requests without reading the replies finds the rest of the reply that did not fit, and
    /// every later reply, dropped until it reads; each is counted. A complete reply is one message per topic plus
    /// `snapshot.end`, so the backlog holds at least one reply of up to 9,998 symbols.
    public static let clientBacklog = 10_000
    /// Requests answered per turn of the publisher loop: heartbeats, updates and the other sockets get their turn
    /// in between, however many requests are waiting.
    public static let requestsPerTurn = 64
}
