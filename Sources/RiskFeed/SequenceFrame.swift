/// The third frame of every outbound message: the publisher's sequence number as 8 bytes, big-endian.
public enum SequenceFrame {
    /// Encodes `sequence` as 8 big-endian bytes.
    public static func encode(_ sequence: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: sequence >> (56 - 8 * UInt64($0))) }
    }

    /// Decodes 8 big-endian bytes; `nil` for any other length.
    public static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt64? {
        guard bytes.count == 8 else { return nil }
        return bytes.reduce(0) { ($0 << 8) | UInt64($1) }
    }
}
