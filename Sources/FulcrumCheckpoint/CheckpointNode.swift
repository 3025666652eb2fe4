/// One value of the compact binary checkpoint encoding (``CheckpointEncoder``, ``CheckpointDecoder``).
///
/// Byte layout, little-endian: a one-byte tag, then the payload. Scalars are 8 bytes (`Bool` is in the tag);
/// strings and keys are a u64 length and UTF-8; keyed containers a u64 count of (key, value) pairs; unkeyed
/// containers a u64 count of values. Arrays of fixed-width numbers and of `Bool` — the bulk of a checkpoint,
/// such as the estimator's residual rings — are one tag, a u64 count and the raw elements, written and read
/// with one copy instead of one coder call per element.
enum CheckpointNode {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case doubles([Double])
    case int64s([Int64])
    case uint64s([UInt64])
    case int32s([Int32])
    case uint32s([UInt32])
    case bools([Bool])
    /// A keyed container being built (reference, so nested containers can be filled after creation).
    case keyedBox(KeyedBox)
    /// An unkeyed container being built.
    case unkeyedBox(UnkeyedBox)
    /// A decoded keyed container.
    case keyed([String: CheckpointNode])
    /// A decoded unkeyed container.
    case unkeyed([CheckpointNode])

    /// Entries of a keyed container under construction.
    final class KeyedBox {
        var entries: [(String, CheckpointNode)] = []
    }

    /// Elements of an unkeyed container under construction.
    final class UnkeyedBox {
        var elements: [CheckpointNode] = []
    }

    enum Tag: UInt8 {
        case null = 0, boolFalse, boolTrue, int, uint, double, string, keyed, unkeyed
        case doubles, int64s, uint64s, int32s, uint32s, bools
    }

    /// A short name of the node's kind, for error messages.
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int: "integer"
        case .uint: "unsigned integer"
        case .double: "double"
        case .string: "string"
        case .doubles, .int64s, .uint64s, .int32s, .uint32s, .bools: "numeric array"
        case .keyedBox, .keyed: "keyed container"
        case .unkeyedBox, .unkeyed: "unkeyed container"
        }
    }

    // MARK: writing

    /// Appends the node's bytes to `out`.
    func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(Tag.null.rawValue)
        case .bool(let value): out.append(value ? Tag.boolTrue.rawValue : Tag.boolFalse.rawValue)
        case .int(let value):
            out.append(Tag.int.rawValue)
            Self.append(UInt64(bitPattern: value), to: &out)
        case .uint(let value):
            out.append(Tag.uint.rawValue)
            Self.append(value, to: &out)
        case .double(let value):
            out.append(Tag.double.rawValue)
            Self.append(value.bitPattern, to: &out)
        case .string(let value):
            out.append(Tag.string.rawValue)
            Self.append(string: value, to: &out)
        case .doubles(let values): Self.append(raw: values, tag: .doubles, to: &out)
        case .int64s(let values): Self.append(raw: values, tag: .int64s, to: &out)
        case .uint64s(let values): Self.append(raw: values, tag: .uint64s, to: &out)
        case .int32s(let values): Self.append(raw: values, tag: .int32s, to: &out)
        case .uint32s(let values): Self.append(raw: values, tag: .uint32s, to: &out)
        case .bools(let values): Self.append(raw: values.map { $0 ? UInt8(1) : 0 }, tag: .bools, to: &out)
        case .keyedBox(let box):
            out.append(Tag.keyed.rawValue)
            Self.append(UInt64(box.entries.count), to: &out)
            for (key, value) in box.entries {
                Self.append(string: key, to: &out)
                value.write(to: &out)
            }
        case .keyed(let entries):
            out.append(Tag.keyed.rawValue)
            Self.append(UInt64(entries.count), to: &out)
            for key in entries.keys.sorted() {
                Self.append(string: key, to: &out)
                entries[key]?.write(to: &out)
            }
        case .unkeyedBox(let box):
            out.append(Tag.unkeyed.rawValue)
            Self.append(UInt64(box.elements.count), to: &out)
            for element in box.elements { element.write(to: &out) }
        case .unkeyed(let elements):
            out.append(Tag.unkeyed.rawValue)
            Self.append(UInt64(elements.count), to: &out)
            for element in elements { element.write(to: &out) }
        }
    }

    static func append(_ value: UInt64, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    static func append(string: String, to out: inout [UInt8]) {
        let utf8 = Array(string.utf8)
        append(UInt64(utf8.count), to: &out)
        out.append(contentsOf: utf8)
    }

    /// One tag, the count, then the elements' bytes as they lie in memory (the host is little-endian; the
    /// encoder's header records the byte order and the decoder refuses another).
    static func append<Element>(raw values: [Element], tag: Tag, to out: inout [UInt8]) {
        out.append(tag.rawValue)
        append(UInt64(values.count), to: &out)
        values.withUnsafeBytes { out.append(contentsOf: $0) }
    }

    // MARK: reading

    /// Reads one node at `offset` of `bytes`, advancing `offset`; throws on truncated or malformed input.
    static func read(_ bytes: UnsafeRawBufferPointer, at offset: inout Int, depth: Int = 0) throws -> CheckpointNode {
        guard depth < 64 else { throw CheckpointError.malformed("nesting deeper than 64 levels") }
        let rawTag = try readByte(bytes, at: &offset)
        guard let tag = Tag(rawValue: rawTag) else { throw CheckpointError.malformed("unknown tag \(rawTag)") }
        switch tag {
        case .null: return .null
        case .boolFalse: return .bool(false)
        case .boolTrue: return .bool(true)
        case .int: return .int(Int64(bitPattern: try readWord(bytes, at: &offset)))
        case .uint: return .uint(try readWord(bytes, at: &offset))
        case .double: return .double(Double(bitPattern: try readWord(bytes, at: &offset)))
        case .string: return .string(try readString(bytes, at: &offset))
        case .doubles: return .doubles(try readRaw(bytes, at: &offset, as: Double.self))
        case .int64s: return .int64s(try readRaw(bytes, at: &offset, as: Int64.self))
        case .uint64s: return .uint64s(try readRaw(bytes, at: &offset, as: UInt64.self))
        case .int32s: return .int32s(try readRaw(bytes, at: &offset, as: Int32.self))
        case .uint32s: return .uint32s(try readRaw(bytes, at: &offset, as: UInt32.self))
        case .bools: return .bools(try readRaw(bytes, at: &offset, as: UInt8.self).map { $0 != 0 })
        case .keyed:
            let count = try readCount(bytes, at: &offset, minimumElementSize: 9)
            var entries: [String: CheckpointNode] = [:]
            entries.reserveCapacity(count)
            for _ in 0..<count {
                let key = try readString(bytes, at: &offset)
                entries[key] = try read(bytes, at: &offset, depth: depth + 1)
            }
            return .keyed(entries)
        case .unkeyed:
            let count = try readCount(bytes, at: &offset, minimumElementSize: 1)
            var elements: [CheckpointNode] = []
            elements.reserveCapacity(count)
            for _ in 0..<count { elements.append(try read(bytes, at: &offset, depth: depth + 1)) }
            return .unkeyed(elements)
        }
    }

    static func readByte(_ bytes: UnsafeRawBufferPointer, at offset: inout Int) throws -> UInt8 {
        guard offset < bytes.count else { throw CheckpointError.malformed("truncated at byte \(offset)") }
        defer { offset += 1 }
        return bytes[offset]
    }

    static func readWord(_ bytes: UnsafeRawBufferPointer, at offset: inout Int) throws -> UInt64 {
        guard bytes.count - offset >= 8 else { throw CheckpointError.malformed("truncated at byte \(offset)") }
        defer { offset += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// A u64 count, checked against the bytes left so that a corrupt count cannot make the reader allocate.
    static func readCount(_ bytes: UnsafeRawBufferPointer, at offset: inout Int, minimumElementSize: Int) throws -> Int {
        let count = try readWord(bytes, at: &offset)
        guard count <= UInt64(bytes.count - offset) / UInt64(minimumElementSize) else {
            throw CheckpointError.malformed("count \(count) at byte \(offset - 8) exceeds the data left")
        }
        return Int(count)
    }

    static func readString(_ bytes: UnsafeRawBufferPointer, at offset: inout Int) throws -> String {
        let count = try readCount(bytes, at: &offset, minimumElementSize: 1)
        defer { offset += count }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]), as: UTF8.self)
    }

    static func readRaw<Element>(_ bytes: UnsafeRawBufferPointer, at offset: inout Int,
                                 as type: Element.Type) throws -> [Element] {
        let size = MemoryLayout<Element>.stride
        let count = try readCount(bytes, at: &offset, minimumElementSize: size)
        let start = offset
        offset += count * size
        return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0, let base = bytes.baseAddress {
                UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(start: base + start, count: count * size))
            }
            initialized = count
        }
    }
}
