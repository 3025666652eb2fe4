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
///
/// No call ever blocks. The channel's queue is unbounded while the publisher is there, so a send is refused only
/// when the publisher's end is gone (it failed to start, or already stopped): a PAIR socket without a peer would
/// otherwise block for ever, and with it the engine's shutdown and its final checkpoint. A refused batch is dropped
/// whole and counted in ``droppedBatches``.
public final class UpdateOutbox {
    static let endMarker = Array("$end".utf8)
    private let socket: Socket
    /// The event time of the last update sent, whose frame is held back until it is known whether another update
    /// follows.
    private var heldEventTime: UInt64?
    /// Whether the current batch was refused at its first frame: its remaining frames are dropped too.
    private var discarding = false
    /// Whether a frame of the current batch has been queued (only a batch's first frame can be refused).
    private var inBatch = false
    private var ended = false
    /// Batches (and end markers) dropped because the publisher's end of the channel was gone.
    public private(set) var droppedBatches: UInt64 = 0

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
        try sendFrame(topic, more: true)
        try sendFrame(payload, more: true)
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
        try SequenceFrame.withEncoded(eventTime) { (bytes) throws(ZMQError) in try sendFrame(bytes, more: more) }
    }

    private func sendFrame(_ bytes: [UInt8], more: Bool) throws(ZMQError) {
        // Array.withUnsafeBytes rethrows untyped errors; carry the typed one out in a Result.
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(ZMQError) in try sendFrame(buffer, more: more) }
        }
        try result.get()
    }

    /// Sends one frame without waiting; a batch whose first frame is refused is dropped to its last frame.
    private func sendFrame(_ bytes: UnsafeRawBufferPointer, more: Bool) throws(ZMQError) {
        if !inBatch {
            inBatch = true
            discarding = !(try socket.send(bytes, more: more, wait: false))
            if discarding { droppedBatches += 1 }
        } else if !discarding {
            // libzmq queues the rest of a multipart message once its first frame is accepted.
            try socket.send(bytes, more: more, wait: false)
        }
        if !more {
            inBatch = false
            discarding = false
        }
    }

    /// Tells the publisher that no more updates follow, so it can flush and stop. Only the first call sends.
    public func finish() throws(ZMQError) {
        guard !ended else { return }
        try flush()
        ended = true
        try sendFrame(Self.endMarker, more: false)
    }

    /// Closes the channel.
    public func close() { socket.close() }
}
