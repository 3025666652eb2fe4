import FulcrumProtocol
import MarginModel
/// Encodes one price observation as the two frames of Fulcrum's wire contract: topic `tick.<VENUE>.<SYMBOL>`
/// and a serialized `fulcrum.v1.Tick`.
///
/// Writes the protobuf fields (venue 1, symbol 2, price 3, size 6, exchange_time_ns 8, feed_sequence 10; the
/// last two always, even when zero) with the protocol's ``ProtobufWriter`` into buffers it keeps, so converting a CSV row costs no allocation once the buffers have
/// grown. A backtest of a CSV feeds these frames through the same decoder as live ticks.
public struct TickFrameEncoder {
    /// The topic frame of the last encoded tick.
    public private(set) var topic: [UInt8] = []
    /// The payload frame of the last encoded tick.
    public private(set) var payload: [UInt8] = []

    /// Creates an encoder with room for typical ticks.
    public init() {
        topic.reserveCapacity(128)
        payload.reserveCapacity(256)
    }

    /// Encodes a tick; `size` is omitted when nil or not finite.
    public mutating func encode(venue: [UInt8], symbol: [UInt8], price: Double, size: Double?,
                                exchangeTimeNs: Int64, sequence: UInt64) {
        topic.removeAll(keepingCapacity: true)
        topic.append(contentsOf: [0x74, 0x69, 0x63, 0x6B, 0x2E])  // "tick."
        topic.append(contentsOf: venue)
        topic.append(0x2E)
        topic.append(contentsOf: symbol)

        var writer = ProtobufWriter(reusing: &payload)
        writer.write(1, bytes: venue)
        writer.write(2, bytes: symbol)
        writer.write(3, double: price)
        if let size, size.isFinite { writer.write(6, double: size) }
        writer.write(8, int64: exchangeTimeNs)
        writer.write(10, uint64: sequence)
        writer.finish(into: &payload)
    }
}
