import ZeroMQ

/// The engine's end of the in-process channel to the publisher thread.
///
/// The engine hands each encoded update over `inproc` and goes back to ingesting; the
/// publisher thread numbers, renders, publishes and caches it. Like every socket it lives on
/// the thread that created it.
///
/// Updates are batched: the updates sent between two ``flush()`` calls (a grid step's) travel as
/// one multipart message of `[topic, payload, event time]` triples, so the publisher thread is
/// woken once per step rather than once per update, and the engine's step is not slowed by a
/// hand-over per asset. Call ``flush()`` after every batch; ``finish()`` flushes first.
public final class UpdateOutbox {
    static let endMarker = Array("$end".utf8)
    private let socket: Socket
    /// The event time of the last update sent, whose frame is held back until it is known whether another update
    /// follows.
    private var heldEventTime: UInt64?

    /// Connects to the publisher's in-process endpoint.
    public init(context: ZMQContext, endpoint: String) throws(ZMQError) {
        socket = try Socket(context: context, type: .pair)
        try socket.setSendHighWaterMark(0)
        try socket.connect(endpoint)
    }

    /// Queues one update for publication under `topic` (a protobuf topic such as `risk.BTC-USD`); it reaches the
    /// publisher at the next ``flush()``.
    public func send(topic: [UInt8], payload: [UInt8], eventTime: Int64) throws(ZMQError) {
        if let held = heldEventTime { try sendEventTime(held, more: true) }
        try socket.send(topic, more: true)
        try socket.send(payload, more: true)
        heldEventTime = UInt64(bitPattern: eventTime)
    }

    /// Hands the updates queued since the last flush to the publisher, as one message.
    public func flush() throws(ZMQError) {
        guard let held = heldEventTime else { return }
        heldEventTime = nil
        try sendEventTime(held, more: false)
    }

    /// Sends an event-time frame, encoded as ``SequenceFrame`` encodes sequences.
    private func sendEventTime(_ eventTime: UInt64, more: Bool) throws(ZMQError) {
        _ = try SequenceFrame.withEncoded(eventTime) { (bytes) throws(ZMQError) in try socket.send(bytes, more: more) }
    }

    /// Tells the publisher that no more updates follow, so it can flush and stop.
    public func finish() throws(ZMQError) {
        try flush()
        try socket.send(Self.endMarker)
    }

    /// Closes the channel.
    public func close() { socket.close() }
}
