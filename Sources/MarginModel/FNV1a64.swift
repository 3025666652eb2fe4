/// The 64-bit FNV-1a hash: h ← (h ⊕ byte) · 0x100000001b3 from the offset basis 0xcbf29ce484222325.
///
/// Unlike `Hasher`, which is randomly seeded per process, FNV-1a gives the same digest on every run and platform,
/// so a configuration hash can be compared across restarts, replays and machines. Multi-byte values are fed in
/// little-endian order, strings as their UTF-8 length then bytes, so that adjacent fields cannot run together.
public struct FNV1a64: Sendable, Hashable {
    /// The digest of everything fed so far.
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    /// Starts from the offset basis.
    public init() {}

    /// Feeds one byte.
    public mutating func combine(byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }

    /// Feeds bytes in order.
    public mutating func combine<Bytes: Sequence>(bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes { combine(byte: byte) }
    }

    /// Feeds the 8 little-endian bytes of `word`.
    public mutating func combine(_ word: UInt64) {
        var remaining = word
        for _ in 0..<8 {
            combine(byte: UInt8(truncatingIfNeeded: remaining))
            remaining >>= 8
        }
    }

    /// Feeds a signed integer as its 64-bit two's complement.
    public mutating func combine(_ integer: Int64) { combine(UInt64(bitPattern: integer)) }

    /// Feeds an integer as 64 bits.
    public mutating func combine(_ integer: Int) { combine(Int64(integer)) }

    /// Feeds a Double by its IEEE-754 bits, with −0 folded into +0 and every NaN into one canonical NaN.
    public mutating func combine(_ number: Double) {
        let canonical = number.isNaN ? Double.nan : (number == 0 ? 0 : number)
        combine(canonical.bitPattern)
    }

    /// Feeds a Boolean as one byte.
    public mutating func combine(_ flag: Bool) { combine(byte: flag ? 1 : 0) }

    /// Feeds a string as its UTF-8 byte count followed by the bytes.
    public mutating func combine(_ string: String) {
        combine(string.utf8.count)
        combine(bytes: string.utf8)
    }

    /// Feeds an optional as a presence byte, then the value when present.
    public mutating func combine(_ number: Double?) {
        combine(number != nil)
        if let number { combine(number) }
    }

    /// Feeds an optional integer as a presence byte, then the value when present.
    public mutating func combine(_ integer: Int64?) {
        combine(integer != nil)
        if let integer { combine(integer) }
    }

    /// The digest of a byte sequence.
    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var hasher = FNV1a64()
        hasher.combine(bytes: bytes)
        return hasher.value
    }
}
