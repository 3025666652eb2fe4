import ZeroMQ

/// The engine's end of the in-process channel to the publisher thread.
///
/// The engine hands each encoded update over `inproc` and goes back to ingesting; the
/// publisher thread numbers, renders, publishes and caches it. Like every socket it lives on
/// the thread that created it.
public final class UpdateOutbox {
    static let endMarker = Array("$end".utf8)
    private let socket: Socket

    /// Connects to the publisher's in-process endpoint.
    public init(context: ZMQContext, endpoint: String) throws(ZMQError) {
        socket = try Socket(context: context, type: .pair)
        try socket.setSendHighWaterMark(0)
        try socket.connect(endpoint)
    }

    /// Queues one update for publication under `topic` (a protobuf topic such as `risk.BTC-USD`).
    public func send(topic: [UInt8], payload: [UInt8], eventTime: Int64) throws(ZMQError) {
        try socket.send(topic, more: true)
        try socket.send(payload, more: true)
        try socket.send(SequenceFrame.encode(UInt64(bitPattern: eventTime)))
    }

    /// Tells the publisher that no more updates follow, so it can flush and stop.
    public func finish() throws(ZMQError) {
        try socket.send(Self.endMarker)
    }

    /// Closes the channel.
    public func close() { socket.close() }
}
