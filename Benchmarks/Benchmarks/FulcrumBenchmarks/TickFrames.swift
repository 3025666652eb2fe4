import MarketData

/// Encoded ticks for `symbols` instruments whose exchange timestamps are rewritten in place before each use, so
/// that a benchmark can feed an ingestor an endless, valid, in-order stream without encoding anything.
final class TickFrames {
    let encoding: FeedEncoding
    var topics: [[UInt8]] = []
    var payloads: [[UInt8]] = []
    private var timeOffsets: [Int] = []
    private(set) var time: Int64 = 1_700_000_000_000_000_000
    private var next = 0

    init(encoding: FeedEncoding, symbols: Int) {
        self.encoding = encoding
        for index in 0..<symbols {
            let symbol = "SYM\(index)"
            switch encoding {
            case .fulcrumProtobuf:
                var payload: [UInt8] = []
                Self.field(1, "BENCH", into: &payload)
                Self.field(2, symbol, into: &payload)
                payload.append(3 << 3 | 1)
                withUnsafeBytes(of: (100.0 + Double(index)).bitPattern.littleEndian) { payload.append(contentsOf: $0) }
                payload.append(8 << 3)
                timeOffsets.append(payload.count)
                payload.append(contentsOf: Self.varint9(UInt64(time)))
                topics.append(Array("tick.BENCH.\(symbol)".utf8))
                payloads.append(payload)
            case .cryptofeed:
                let head = "BENCH-trades-\(symbol) {\"exchange\": \"BENCH\", \"symbol\": \"\(symbol)\", "
                    + "\"side\": \"buy\", \"amount\": 0.25, \"price\": \(100 + index).25, \"id\": \"1\", "
                    + "\"type\": null, \"timestamp\": "
                timeOffsets.append(head.utf8.count)
                let text = head + "1700000000.000000, \"receipt_timestamp\": 1700000000.000000}"
                topics.append(Array(text.utf8))
                payloads.append([])
            }
        }
    }

    /// Advances event time by one microsecond and returns the next tick's frames (round-robin over symbols).
    @inline(__always)
    func nextTick<R>(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> R) -> R {
        let index = next
        next = next + 1 == topics.count ? 0 : next + 1
        time += 1_000
        switch encoding {
        case .fulcrumProtobuf:
            payloads[index].withUnsafeMutableBytes { Self.writeVarint9(UInt64(time), into: $0, at: timeOffsets[index]) }
        case .cryptofeed:
            topics[index].withUnsafeMutableBytes { Self.writeSeconds(time, into: $0, at: timeOffsets[index]) }
        }
        return topics[index].withUnsafeBytes { topic in
            payloads[index].withUnsafeBytes { payload in body(topic, payload) }
        }
    }

    private static func field(_ number: UInt8, _ text: String, into payload: inout [UInt8]) {
        payload.append(number << 3 | 2)
        payload.append(UInt8(text.utf8.count))
        payload.append(contentsOf: text.utf8)
    }

    /// A varint padded to exactly nine bytes (valid protobuf: continuation bits on the first eight).
    private static func varint9(_ value: UInt64) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 9)
        bytes.withUnsafeMutableBytes { writeVarint9(value, into: $0, at: 0) }
        return bytes
    }

    @inline(__always)
    private static func writeVarint9(_ value: UInt64, into bytes: UnsafeMutableRawBufferPointer, at offset: Int) {
        var rest = value
        for index in 0..<8 {
            bytes[offset + index] = UInt8(truncatingIfNeeded: rest) | 0x80
            rest >>= 7
        }
        bytes[offset + 8] = UInt8(truncatingIfNeeded: rest)
    }

    /// `seconds.micros` with six fraction digits, in place of the same width.
    @inline(__always)
    private static func writeSeconds(_ nanoseconds: Int64, into bytes: UnsafeMutableRawBufferPointer, at offset: Int) {
        var micros = UInt64(nanoseconds / 1_000)
        var position = offset + 16
        for _ in 0..<6 {
            bytes[position] = UInt8(ascii: "0") + UInt8(micros % 10)
            micros /= 10
            position -= 1
        }
        position -= 1
        for _ in 0..<10 {
            bytes[position] = UInt8(ascii: "0") + UInt8(micros % 10)
            micros /= 10
            position -= 1
        }
    }
}
