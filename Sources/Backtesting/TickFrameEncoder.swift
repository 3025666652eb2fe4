import MarginModel
/// Encodes one price observation as the two frames of Fulcrum's wire contract: topic `tick.<VENUE>.<SYMBOL>`
/// and a serialized `fulcrum.v1.Tick`.
///
/// Writes the protobuf fields by hand (venue 1, symbol 2, price 3, size 6, exchange_time_ns 8,
/// feed_sequence 10) into buffers it keeps, so converting a CSV row costs no allocation once the buffers have
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

        payload.removeAll(keepingCapacity: true)
        appendBytesField(1, venue)
        appendBytesField(2, symbol)
        appendDoubleField(3, price)
        if let size, size.isFinite { appendDoubleField(6, size) }
        appendVarint(8 << 3)
        appendVarint(UInt64(bitPattern: exchangeTimeNs))
        appendVarint(10 << 3)
        appendVarint(sequence)
    }

    private mutating func appendBytesField(_ field: UInt64, _ bytes: [UInt8]) {
        appendVarint(field << 3 | 2)
        appendVarint(UInt64(bytes.count))
        payload.append(contentsOf: bytes)
    }

    private mutating func appendDoubleField(_ field: UInt64, _ value: Double) {
        appendVarint(field << 3 | 1)
        var bits = value.bitPattern.littleEndian
        withUnsafeBytes(of: &bits) { payload.append(contentsOf: $0) }
    }

    private mutating func appendVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            payload.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        payload.append(UInt8(rest))
    }
}
