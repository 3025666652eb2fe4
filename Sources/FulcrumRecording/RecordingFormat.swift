import Checksum
/// The layout of a recording file: what `fulcrum record` and `recording.path` write and backtests replay.
///
/// All integers are little-endian.
///
/// File header:
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 8 | magic `89 46 52 45 43 0D 0A 1A` (`\x89FREC\r\n\x1A`: catches text-mode and 7-bit mangling) |
/// | 8 | 2 | format version (1) |
/// | 10 | 2 | flags (0) |
/// | 12 | 4 | M, length of the metadata |
/// | 16 | M | metadata: ``RecordingMetadata`` as UTF-8 JSON |
/// | 16 + M | 4 | CRC-32C of bytes 0 ..< 16 + M |
///
/// Then records, back to back, each exactly as one message left the receiving socket:
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 4 | L = 20 + n₁ + n₂, the bytes from offset 4 up to the checksum |
/// | 4 | 8 | receipt time, ns since the Unix epoch (signed) |
/// | 12 | 2 | feed index into the metadata's feeds |
/// | 14 | 2 | frame count of the message as received (saturated at 65,535) |
/// | 16 | 4 | n₁, length of the first frame |
/// | 20 | 4 | n₂, length of the second frame (0 for single-frame messages) |
/// | 24 | n₁ + n₂ | the first two frames (later frames make a message malformed and are not kept) |
/// | 24 + n₁ + n₂ | 4 | CRC-32C of bytes 0 ..< 24 + n₁ + n₂ of the record |
///
/// The file is only ever appended to. A crash can leave the last record incomplete; a reader detects it by its
/// length running past the end of the file or by its checksum, and stops there (see ``RecordingParser``).
public enum RecordingFormat {
    /// The eight magic bytes that open every recording.
    public static let magic: [UInt8] = [0x89, 0x46, 0x52, 0x45, 0x43, 0x0D, 0x0A, 0x1A]
    /// The format version this module writes and reads.
    public static let version: UInt16 = 1
    /// Bytes of the header before the metadata.
    public static let headerPrefixSize = 16
    /// Bytes of a record before its frames.
    public static let recordPrefixSize = 24
    /// Bytes of the checksum after a record's frames (and after the header's metadata).
    public static let checksumSize = 4
    /// Largest accepted metadata, bytes.
    public static let maximumMetadataSize = 1 << 20
    /// Largest accepted L (record length field): two frames of the largest message a feed accepts, 16 MiB.
    public static let maximumRecordLength = 20 + 2 * (1 << 24)

    /// The bytes of a file header carrying `metadata` (already encoded).
    public static func header(metadata: [UInt8]) -> [UInt8] {
        var bytes = magic
        appendLittleEndian(version, to: &bytes)
        appendLittleEndian(UInt16(0), to: &bytes)
        appendLittleEndian(UInt32(metadata.count), to: &bytes)
        bytes += metadata
        appendLittleEndian(CRC32C.checksum(bytes), to: &bytes)
        return bytes
    }

    /// Appends `value` little-endian.
    static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Stores `value` little-endian at `offset` of `buffer`.
    @inline(__always)
    static func store<T: FixedWidthInteger>(_ value: T, at offset: Int, in buffer: UnsafeMutableRawPointer) {
        buffer.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
    }

    /// Reads a little-endian integer at `offset` of `buffer` (no alignment needed).
    @inline(__always)
    static func load<T: FixedWidthInteger>(_ type: T.Type, at offset: Int, in buffer: UnsafeRawPointer) -> T {
        T(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
