/// Pre-encoded messages in one contiguous buffer, so that sending touches no allocator.
///
/// Message `m` has frames `frameEnds[firstFrame[m] ..< firstFrame[m + 1]]`, each frame ending where the next
/// one starts.
struct MessageArena {
    private(set) var bytes: [UInt8] = []
    private(set) var frameEnds: [Int] = []
    private(set) var firstFrame: [Int] = [0]

    init(reservingMessages messages: Int, bytesPerMessage: Int) {
        bytes.reserveCapacity(messages * bytesPerMessage)
        frameEnds.reserveCapacity(messages * 2)
        firstFrame.reserveCapacity(messages + 1)
    }

    var messageCount: Int { firstFrame.count - 1 }

    /// Calls `body` with each frame of message `index` and whether more frames follow.
    @inline(__always)
    func withFrames(of index: Int, _ body: (UnsafeRawBufferPointer, Bool) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { all in
            let first = firstFrame[index], last = firstFrame[index + 1]
            var start = first == 0 ? 0 : frameEnds[first - 1]
            for frame in first..<last {
                let end = frameEnds[frame]
                try body(UnsafeRawBufferPointer(rebasing: all[start..<end]), frame + 1 < last)
                start = end
            }
        }
    }

    /// Ends the frame being written; the next bytes start a new frame of the same message.
    mutating func endFrame() { frameEnds.append(bytes.count) }

    /// Ends the message after its last frame.
    mutating func endMessage() { firstFrame.append(frameEnds.count) }

    mutating func append(ascii text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func append(unsigned value: UInt64) { bytes.append(contentsOf: String(value).utf8) }

    /// `value` with exactly `decimals` digits after the point (value ≥ 0).
    mutating func append(fixed value: Double, decimals: Int) {
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = UInt64((value * Double(scale)).rounded())
        append(unsigned: scaled / scale)
        bytes.append(UInt8(ascii: "."))
        let fraction = String(scaled % scale)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: decimals - fraction.count))
        bytes.append(contentsOf: fraction.utf8)
    }

    /// Nanoseconds since the epoch as float seconds with microsecond digits, as cryptofeed's timestamps.
    mutating func append(seconds nanoseconds: Int64) {
        let micros = UInt64(nanoseconds / 1_000)
        append(unsigned: micros / 1_000_000)
        bytes.append(UInt8(ascii: "."))
        let fraction = String(micros % 1_000_000)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 6 - fraction.count))
        bytes.append(contentsOf: fraction.utf8)
    }

    mutating func appendVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func appendField(_ number: UInt64, varint value: UInt64) {
        appendVarint(number << 3)
        appendVarint(value)
    }

    mutating func appendField(_ number: UInt64, double value: Double) {
        appendVarint(number << 3 | 1)
        var bits = value.bitPattern.littleEndian
        withUnsafeBytes(of: &bits) { bytes.append(contentsOf: $0) }
    }

    mutating func appendField(_ number: UInt64, bytes data: [UInt8]) {
        appendVarint(number << 3 | 2)
        appendVarint(UInt64(data.count))
        bytes.append(contentsOf: data)
    }

    mutating func appendField(_ number: UInt64, ascii text: String) {
        appendVarint(number << 3 | 2)
        appendVarint(UInt64(text.utf8.count))
        bytes.append(contentsOf: text.utf8)
    }
}
