/// Writes protobuf binary-format fields into a reusable byte buffer, without allocating once the buffer has grown
/// to the size of the largest message written.
///
/// Writes exactly what swift-protobuf writes for the same field values:
/// - a tag is the varint `fieldNumber << 3 | wireType`;
/// - integers are base-128 varints, least significant group first; signed `int32`/`int64`/enum values are
///   sign-extended to 64 bits first, so a negative value takes 10 bytes (no zigzag: the schema has no `sint`);
/// - `double` and `fixed64` are the 8 little-endian bytes of the bit pattern (NaN payloads and −0.0 survive);
/// - strings, nested messages and packed repeated fields are length-delimited: the byte count as a varint, then
///   the bytes.
///
/// The caller applies proto3 presence rules (a singular scalar is written only when it differs from its default,
/// compared by bit pattern for doubles, as the generated code does) and writes fields in ascending field number.
///
/// Bytes are stored through a raw pointer at `count` into room made ahead (the reused buffer's old bytes, else
/// zero-filled, at least 256 bytes at a time), so a field costs one bounds check rather than one per byte; only
/// the `count` bytes written are ever read or handed out.
public struct ProtobufWriter {
    /// Protobuf wire types.
    public enum WireType: UInt64 {
        /// Varint: integers, bools and enums.
        case varint = 0
        /// Eight little-endian bytes: `double`, `fixed64`.
        case fixed64 = 1
        /// Varint length, then that many bytes: strings, messages, packed repeated fields.
        case lengthDelimited = 2
    }

    /// The bytes written, then room (stale or zero bytes, never read).
    private var storage: [UInt8]
    /// Number of bytes written.
    private(set) var count = 0

    /// A writer that takes over `buffer` (leaving it empty), keeping its bytes as room to write over: a buffer
    /// handed back and forth through ``finish(into:)`` stops allocating once it has grown to the largest message,
    /// and a message no longer than the previous one is written without zero-filling any room first (for a
    /// portfolio of N assets the room is megabytes). If somebody else still holds the array from the previous
    /// message, the first write copies it, as any array would.
    public init(reusing buffer: inout [UInt8]) {
        storage = []
        swap(&storage, &buffer)
    }

    /// Hands the written message, in the storage taken over at creation, to `buffer` (to keep for the next
    /// message) and leaves the writer empty.
    public mutating func finish(into buffer: inout [UInt8]) {
        storage.removeLast(storage.count - count)
        count = 0
        swap(&storage, &buffer)
        storage = []
    }

    // MARK: Sizes

    /// Bytes of the varint encoding of `value`: ⌈significant bits / 7⌉, at least 1.
    public static func varintSize(_ value: UInt64) -> Int {
        // `| 1` makes zero count as one significant bit.
        (64 - (value | 1).leadingZeroBitCount + 6) / 7
    }

    /// Bytes of the varint encoding of a signed 64-bit value (negative values are sign-extended: 10 bytes).
    public static func varintSize(_ value: Int64) -> Int { varintSize(UInt64(bitPattern: value)) }

    // MARK: Fields (written unconditionally; presence is the caller's rule)

    /// Writes a `uint64` field.
    public mutating func write(_ field: Int, uint64 value: UInt64) {
        withCursor(reserving: 20) { cursor in
            let tagSize = Self.put(tag: field, .varint, at: cursor)
            return tagSize + Self.put(varint: value, at: cursor + tagSize)
        }
    }

    /// Writes an `int64` field (sign-extended varint).
    public mutating func write(_ field: Int, int64 value: Int64) { write(field, uint64: UInt64(bitPattern: value)) }

    /// Writes a `uint32` field.
    public mutating func write(_ field: Int, uint32 value: UInt32) { write(field, uint64: UInt64(value)) }

    /// Writes an enum field from its raw value (sign-extended varint, like `int32`).
    public mutating func write(_ field: Int, enumRawValue value: Int) {
        write(field, uint64: UInt64(bitPattern: Int64(value)))
    }

    /// Writes a `double` field.
    public mutating func write(_ field: Int, double value: Double) { write(field, fixed64: value.bitPattern) }

    /// Writes a `fixed64` field.
    public mutating func write(_ field: Int, fixed64 value: UInt64) {
        withCursor(reserving: 18) { cursor in
            let tagSize = Self.put(tag: field, .fixed64, at: cursor)
            cursor.storeBytes(of: value.littleEndian, toByteOffset: tagSize, as: UInt64.self)
            return tagSize + 8
        }
    }

    /// Writes a `string` field (its UTF-8 bytes; no terminator).
    public mutating func write(_ field: Int, string value: String) {
        let utf8 = value.utf8
        let length = utf8.count
        withCursor(reserving: 20 + length) { cursor in
            let headerSize = Self.put(tag: field, .lengthDelimited, at: cursor)
            let prefix = headerSize + Self.put(varint: UInt64(length), at: cursor + headerSize)
            let copied: Void? = utf8.withContiguousStorageIfAvailable { source in
                if let base = source.baseAddress { (cursor + prefix).copyMemory(from: base, byteCount: length) }
            }
            if copied == nil {
                // Bridged strings without contiguous UTF-8: copy through the view.
                for (offset, byte) in utf8.enumerated() {
                    cursor.storeBytes(of: byte, toByteOffset: prefix + offset, as: UInt8.self)
                }
            }
            return prefix + length
        }
    }

    /// Writes a `bytes` (or `string`) field from raw bytes.
    public mutating func write(_ field: Int, bytes value: [UInt8]) {
        let length = value.count
        withCursor(reserving: 20 + length) { cursor in
            let headerSize = Self.put(tag: field, .lengthDelimited, at: cursor)
            let prefix = headerSize + Self.put(varint: UInt64(length), at: cursor + headerSize)
            value.withUnsafeBytes { source in
                if let base = source.baseAddress { (cursor + prefix).copyMemory(from: base, byteCount: length) }
            }
            return prefix + length
        }
    }

    /// Stores the elements of a packed repeated field straight into the writer's storage.
    public struct PackedElements {
        /// Where the elements start.
        let base: UnsafeMutableRawPointer
        /// Bytes declared for the elements.
        let byteCount: Int
        /// Bytes stored so far.
        private(set) var offset = 0

        /// Creates a sink for `byteCount` bytes at `base`.
        init(base: UnsafeMutableRawPointer, byteCount: Int) {
            self.base = base
            self.byteCount = byteCount
        }

        /// Stores one `double` element (8 little-endian bytes).
        public mutating func append(_ value: Double) {
            precondition(offset + 8 <= byteCount, "more packed elements than declared")
            base.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: offset, as: UInt64.self)
            offset += 8
        }

        /// Hands `body` the next `byteCount` bytes to store elements into directly (little-endian, unaligned), for
        /// a producer that writes a run of elements in one pass.
        public mutating func append(byteCount count: Int, _ body: (UnsafeMutableRawPointer) -> Void) {
            precondition(count >= 0 && offset + count <= byteCount, "more packed elements than declared")
            body(base + offset)
            offset += count
        }

        /// Stores one `bool` element (one byte, 0 or 1).
        public mutating func append(_ value: Bool) {
            precondition(offset < byteCount, "more packed elements than declared")
            base.storeBytes(of: value ? 1 : 0, toByteOffset: offset, as: UInt8.self)
            offset += 1
        }
    }

    /// Writes a packed repeated field of fixed-size elements (`double`, `bool`) taking `byteCount` bytes, which
    /// `body` stores; it must store exactly that many. Omit the field when it has no elements, as proto3 does.
    public mutating func writePacked(_ field: Int, byteCount: Int, _ body: (inout PackedElements) -> Void) {
        withCursor(reserving: 20 + byteCount) { cursor in
            let prefix = Self.put(lengthDelimited: field, byteCount: byteCount, at: cursor)
            var elements = PackedElements(base: cursor + prefix, byteCount: byteCount)
            body(&elements)
            precondition(elements.offset == byteCount, "fewer packed elements than declared")
            return prefix + byteCount
        }
    }

    /// Writes a packed repeated enum field from the elements' raw values, each a sign-extended varint (omit it
    /// when `values` is empty, as proto3 does).
    public mutating func writePacked<Values: Collection<Int>>(_ field: Int, enumRawValues values: Values) {
        var byteCount = 0
        for value in values { byteCount += Self.varintSize(Int64(value)) }
        withCursor(reserving: 20 + byteCount) { cursor in
            var offset = Self.put(lengthDelimited: field, byteCount: byteCount, at: cursor)
            for value in values { offset += Self.put(varint: UInt64(bitPattern: Int64(value)), at: cursor + offset) }
            return offset
        }
    }

    /// Writes a nested message field whose body `body` writes.
    ///
    /// One pass, no second buffer: a one-byte length is reserved, the body is written after it, and when the body
    /// turns out to be 128 bytes or longer it is moved right in place by the extra length bytes.
    public mutating func writeMessage(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        withCursor(reserving: 11) { Self.put(tag: field, .lengthDelimited, at: $0) + 1 }
        let bodyStart = count
        body(&self)
        let length = count - bodyStart
        let extra = Self.varintSize(UInt64(length)) - 1
        reserve(extra)
        storage.withUnsafeMutableBytes { raw in
            let base = raw.baseAddress!
            if extra > 0 { (base + bodyStart + extra).copyMemory(from: base + bodyStart, byteCount: length) }
            _ = Self.put(varint: UInt64(length), at: base + bodyStart - 1)
        }
        count += extra
    }

    /// Appends `value` as a bare varint.
    mutating func appendVarint(_ value: UInt64) {
        withCursor(reserving: 10) { Self.put(varint: value, at: $0) }
    }

    // MARK: Storage

    /// Makes room for `byteCount` more bytes past `count`.
    @inline(__always)
    mutating func reserve(_ byteCount: Int) {
        if count + byteCount > storage.count { grow(to: count + byteCount) }
    }

    /// Zero-fills room up to `required` bytes, and at least 256 bytes more, so that small fields seldom get here.
    mutating func grow(to required: Int) {
        storage.append(contentsOf: repeatElement(0, count: max(required, storage.count + 256) - storage.count))
    }

    /// Calls `body` with a pointer at `count` and at least `byteCount` bytes of room; `body` returns how many
    /// bytes it stored.
    @inline(__always)
    private mutating func withCursor(reserving byteCount: Int, _ body: (UnsafeMutableRawPointer) -> Int) {
        reserve(byteCount)
        let offset = count
        let written = storage.withUnsafeMutableBytes { body($0.baseAddress! + offset) }
        count += written
    }

    /// Stores `value` as a varint at `pointer` (at most 10 bytes) and returns its size.
    @inline(__always)
    static func put(varint value: UInt64, at pointer: UnsafeMutableRawPointer) -> Int {
        var remaining = value
        var offset = 0
        while remaining >= 0x80 {
            pointer.storeBytes(of: UInt8(truncatingIfNeeded: remaining) | 0x80, toByteOffset: offset, as: UInt8.self)
            remaining >>= 7
            offset += 1
        }
        pointer.storeBytes(of: UInt8(truncatingIfNeeded: remaining), toByteOffset: offset, as: UInt8.self)
        return offset + 1
    }

    /// Stores a tag at `pointer` and returns its size.
    @inline(__always)
    static func put(tag field: Int, _ wireType: WireType, at pointer: UnsafeMutableRawPointer) -> Int {
        put(varint: UInt64(field) << 3 | wireType.rawValue, at: pointer)
    }

    /// Stores the tag and length of a length-delimited field at `pointer` and returns their size.
    @inline(__always)
    static func put(lengthDelimited field: Int, byteCount: Int, at pointer: UnsafeMutableRawPointer) -> Int {
        let tagSize = put(tag: field, .lengthDelimited, at: pointer)
        return tagSize + put(varint: UInt64(byteCount), at: pointer + tagSize)
    }
}
