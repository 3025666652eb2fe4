/// The third frame of every outbound message: the publisher's sequence number as 8 bytes, big-endian.
public enum SequenceFrame {
    /// Encodes `sequence` as 8 big-endian bytes.
    public static func encode(_ sequence: UInt64) -> [UInt8] {
        withEncoded(sequence) { Array($0) }
    }

    /// Calls `body` with `sequence` as 8 big-endian bytes on the stack: the frame without an allocation.
    public static func withEncoded<Result, Failure: Error>(
        _ sequence: UInt64, _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        var bigEndian = sequence.bigEndian
        return try withUnsafeBytes(of: &bigEndian) { (bytes) throws(Failure) -> Result in try body(bytes) }
    }

    /// Decodes 8 big-endian bytes; `nil` for any other length.
    public static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt64? {
        guard bytes.count == 8 else { return nil }
        return bytes.reduce(0) { ($0 << 8) | UInt64($1) }
    }
}
