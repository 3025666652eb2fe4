/// Encodes `Encodable` values into the compact binary checkpoint format (see ``CheckpointNode``).
///
/// Keyed containers keep their keys, so `encodeIfPresent`, optional fields and added fields decode as with
/// any keyed format; arrays of `Double`, `Int`, `Int64`, `UInt64`, `Int32`, `UInt32` and `Bool` are written
/// raw, so an estimator with 10⁷ residuals encodes at memory speed into 8 bytes per value. Doubles keep their
/// exact bits (NaN and infinities included): a decoded state is bit-identical to the encoded one.
struct CheckpointEncoder {
    /// Encodes `value` and returns its bytes.
    static func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        let node = try node(for: value, codingPath: [])
        var bytes: [UInt8] = []
        node.write(to: &bytes)
        return bytes
    }

    static func node<Value: Encodable>(for value: Value, codingPath: [any CodingKey]) throws -> CheckpointNode {
        if let fast = fastNode(value) { return fast }
        let encoder = NodeEncoder(codingPath: codingPath)
        try value.encode(to: encoder)
        return encoder.result ?? .null
    }

    /// The raw-array node for the fixed-width array types, matched by exact type.
    static func fastNode<Value>(_ value: Value) -> CheckpointNode? {
        switch Value.self {
        case is [Double].Type: return .doubles(value as! [Double])
        case is [Int64].Type: return .int64s(value as! [Int64])
        case is [Int].Type: return .int64s((value as! [Int]).map(Int64.init))
        case is [UInt64].Type: return .uint64s(value as! [UInt64])
        case is [Int32].Type: return .int32s(value as! [Int32])
        case is [UInt32].Type: return .uint32s(value as! [UInt32])
        case is [Bool].Type: return .bools(value as! [Bool])
        default: return nil
        }
    }
}

/// The `Encoder` handed to `encode(to:)`; it produces one node.
final class NodeEncoder: Encoder {
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any] = [:]
    var result: CheckpointNode?

    init(codingPath: [any CodingKey]) {
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: CheckpointNode.KeyedBox
        if case .keyedBox(let existing)? = result { box = existing } else {
            box = CheckpointNode.KeyedBox()
            result = .keyedBox(box)
        }
        return KeyedEncodingContainer(KeyedNodeEncoder<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: CheckpointNode.UnkeyedBox
        if case .unkeyedBox(let existing)? = result { box = existing } else {
            box = CheckpointNode.UnkeyedBox()
            result = .unkeyedBox(box)
        }
        return UnkeyedNodeEncoder(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleNodeEncoder(encoder: self)
    }
}

struct KeyedNodeEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: CheckpointNode.KeyedBox
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { box.entries.append((key.stringValue, .null)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { box.entries.append((key.stringValue, .bool(value))) }
    mutating func encode(_ value: String, forKey key: Key) throws {
        box.entries.append((key.stringValue, .string(value)))
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        box.entries.append((key.stringValue, .double(value)))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        box.entries.append((key.stringValue, .double(Double(value))))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        box.entries.append((key.stringValue, .int(Int64(value))))
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws {
        box.entries.append((key.stringValue, .int(Int64(value))))
    }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
        box.entries.append((key.stringValue, .int(Int64(value))))
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
        box.entries.append((key.stringValue, .int(Int64(value))))
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws { box.entries.append((key.stringValue, .int(value))) }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        box.entries.append((key.stringValue, .uint(UInt64(value))))
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        box.entries.append((key.stringValue, .uint(UInt64(value))))
    }
    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        box.entries.append((key.stringValue, .uint(UInt64(value))))
    }
    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        box.entries.append((key.stringValue, .uint(UInt64(value))))
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { box.entries.append((key.stringValue, .uint(value))) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        box.entries.append((key.stringValue, try CheckpointEncoder.node(for: value, codingPath: codingPath + [key])))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                        forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = CheckpointNode.KeyedBox()
        box.entries.append((key.stringValue, .keyedBox(nested)))
        return KeyedEncodingContainer(KeyedNodeEncoder<NestedKey>(box: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = CheckpointNode.UnkeyedBox()
        box.entries.append((key.stringValue, .unkeyedBox(nested)))
        return UnkeyedNodeEncoder(box: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let nested = CheckpointNode.KeyedBox()
        box.entries.append((key.stringValue, .keyedBox(nested)))
        let encoder = NodeEncoder(codingPath: codingPath + [key])
        encoder.result = .keyedBox(nested)
        return encoder
    }
}

struct UnkeyedNodeEncoder: UnkeyedEncodingContainer {
    let box: CheckpointNode.UnkeyedBox
    let codingPath: [any CodingKey]
    var count: Int { box.elements.count }

    mutating func encodeNil() throws { box.elements.append(.null) }
    mutating func encode(_ value: Bool) throws { box.elements.append(.bool(value)) }
    mutating func encode(_ value: String) throws { box.elements.append(.string(value)) }
    mutating func encode(_ value: Double) throws { box.elements.append(.double(value)) }
    mutating func encode(_ value: Float) throws { box.elements.append(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { box.elements.append(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { box.elements.append(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { box.elements.append(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { box.elements.append(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { box.elements.append(.int(value)) }
    mutating func encode(_ value: UInt) throws { box.elements.append(.uint(UInt64(value))) }
    mutating func encode(_ value: UInt8) throws { box.elements.append(.uint(UInt64(value))) }
    mutating func encode(_ value: UInt16) throws { box.elements.append(.uint(UInt64(value))) }
    mutating func encode(_ value: UInt32) throws { box.elements.append(.uint(UInt64(value))) }
    mutating func encode(_ value: UInt64) throws { box.elements.append(.uint(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        box.elements.append(try CheckpointEncoder.node(for: value, codingPath: codingPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey> {
        let nested = CheckpointNode.KeyedBox()
        box.elements.append(.keyedBox(nested))
        return KeyedEncodingContainer(KeyedNodeEncoder<NestedKey>(box: nested, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = CheckpointNode.UnkeyedBox()
        box.elements.append(.unkeyedBox(nested))
        return UnkeyedNodeEncoder(box: nested, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder {
        let nested = CheckpointNode.KeyedBox()
        box.elements.append(.keyedBox(nested))
        let encoder = NodeEncoder(codingPath: codingPath)
        encoder.result = .keyedBox(nested)
        return encoder
    }
}

struct SingleNodeEncoder: SingleValueEncodingContainer {
    let encoder: NodeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws { encoder.result = .null }
    mutating func encode(_ value: Bool) throws { encoder.result = .bool(value) }
    mutating func encode(_ value: String) throws { encoder.result = .string(value) }
    mutating func encode(_ value: Double) throws { encoder.result = .double(value) }
    mutating func encode(_ value: Float) throws { encoder.result = .double(Double(value)) }
    mutating func encode(_ value: Int) throws { encoder.result = .int(Int64(value)) }
    mutating func encode(_ value: Int8) throws { encoder.result = .int(Int64(value)) }
    mutating func encode(_ value: Int16) throws { encoder.result = .int(Int64(value)) }
    mutating func encode(_ value: Int32) throws { encoder.result = .int(Int64(value)) }
    mutating func encode(_ value: Int64) throws { encoder.result = .int(value) }
    mutating func encode(_ value: UInt) throws { encoder.result = .uint(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { encoder.result = .uint(UInt64(value)) }
    mutating func encode(_ value: UInt16) throws { encoder.result = .uint(UInt64(value)) }
    mutating func encode(_ value: UInt32) throws { encoder.result = .uint(UInt64(value)) }
    mutating func encode(_ value: UInt64) throws { encoder.result = .uint(value) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        encoder.result = try CheckpointEncoder.node(for: value, codingPath: codingPath)
    }
}
