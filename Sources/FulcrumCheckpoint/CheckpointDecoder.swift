/// Decodes values written by ``CheckpointEncoder``.
///
/// The whole payload is parsed into nodes first (raw arrays copied once into Swift arrays), then handed to the
/// type's `init(from:)`; a truncated or malformed payload, or one whose shape does not match the type, throws
/// a ``CheckpointError`` naming the coding path.
struct CheckpointDecoder {
    /// Decodes a `Value` from `bytes`.
    static func decode<Value: Decodable>(_ type: Value.Type, from bytes: UnsafeRawBufferPointer) throws -> Value {
        var offset = 0
        let node = try CheckpointNode.read(bytes, at: &offset)
        guard offset == bytes.count else {
            throw CheckpointError.malformed("\(bytes.count - offset) bytes after the end of the value")
        }
        return try value(type, from: node, codingPath: [])
    }

    static func value<Value: Decodable>(_ type: Value.Type, from node: CheckpointNode,
                                        codingPath: [any CodingKey]) throws -> Value {
        if let fast = fastValue(type, from: node) { return fast }
        return try Value(from: NodeDecoder(node: node, codingPath: codingPath))
    }

    /// The fixed-width arrays written raw by the encoder.
    static func fastValue<Value>(_ type: Value.Type, from node: CheckpointNode) -> Value? {
        switch node {
        case .doubles(let values) where Value.self == [Double].self: return values as? Value
        case .int64s(let values) where Value.self == [Int64].self: return values as? Value
        case .int64s(let values) where Value.self == [Int].self: return values.map { Int($0) } as? Value
        case .uint64s(let values) where Value.self == [UInt64].self: return values as? Value
        case .int32s(let values) where Value.self == [Int32].self: return values as? Value
        case .uint32s(let values) where Value.self == [UInt32].self: return values as? Value
        case .bools(let values) where Value.self == [Bool].self: return values as? Value
        default: return nil
        }
    }

    static func mismatch(_ expected: String, _ node: CheckpointNode, _ codingPath: [any CodingKey]) -> CheckpointError {
        CheckpointError.malformed("expected \(expected) at \(path(codingPath)), found \(node.kind)")
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        let text = codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
        return text.isEmpty ? "the root" : text
    }

    static func bool(_ node: CheckpointNode, _ codingPath: [any CodingKey]) throws -> Bool {
        guard case .bool(let value) = node else { throw mismatch("a bool", node, codingPath) }
        return value
    }

    static func string(_ node: CheckpointNode, _ codingPath: [any CodingKey]) throws -> String {
        guard case .string(let value) = node else { throw mismatch("a string", node, codingPath) }
        return value
    }

    static func double(_ node: CheckpointNode, _ codingPath: [any CodingKey]) throws -> Double {
        guard case .double(let value) = node else { throw mismatch("a double", node, codingPath) }
        return value
    }

    static func integer<T: FixedWidthInteger>(_ type: T.Type, _ node: CheckpointNode,
                                              _ codingPath: [any CodingKey]) throws -> T {
        let converted: T?
        switch node {
        case .int(let value): converted = T(exactly: value)
        case .uint(let value): converted = T(exactly: value)
        default: throw mismatch("an integer", node, codingPath)
        }
        guard let converted else { throw mismatch("an integer that fits \(T.self)", node, codingPath) }
        return converted
    }
}

/// The `Decoder` handed to `init(from:)` for one node.
struct NodeDecoder: Decoder {
    let node: CheckpointNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .keyed(let entries) = node else {
            throw CheckpointDecoder.mismatch("a keyed container", node, codingPath)
        }
        return KeyedDecodingContainer(KeyedNodeDecoder<Key>(entries: entries, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .unkeyed(let elements) = node else {
            throw CheckpointDecoder.mismatch("an unkeyed container", node, codingPath)
        }
        return UnkeyedNodeDecoder(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleNodeDecoder(node: node, codingPath: codingPath)
    }
}

struct KeyedNodeDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let entries: [String: CheckpointNode]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { entries.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { entries[key.stringValue] != nil }

    func node(_ key: Key) throws -> CheckpointNode {
        guard let node = entries[key.stringValue] else {
            throw CheckpointError.malformed("missing key \(CheckpointDecoder.path(codingPath + [key]))")
        }
        return node
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try node(key) { return true }
        return false
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try CheckpointDecoder.bool(try node(key), codingPath + [key])
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try CheckpointDecoder.string(try node(key), codingPath + [key])
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try CheckpointDecoder.double(try node(key), codingPath + [key])
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        Float(try CheckpointDecoder.double(try node(key), codingPath + [key]))
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(type, key) }

    func integer<T: FixedWidthInteger>(_ type: T.Type, _ key: Key) throws -> T {
        try CheckpointDecoder.integer(type, try node(key), codingPath + [key])
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try CheckpointDecoder.value(type, from: try node(key), codingPath: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type,
                                               forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try NodeDecoder(node: try node(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try NodeDecoder(node: try node(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        NodeDecoder(node: entries["super"] ?? .null, codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        NodeDecoder(node: try node(key), codingPath: codingPath + [key])
    }
}

struct UnkeyedNodeDecoder: UnkeyedDecodingContainer {
    let elements: [CheckpointNode]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(elements: [CheckpointNode], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    struct Index: CodingKey {
        var intValue: Int?
        var stringValue: String { "\(intValue ?? 0)" }
        init(intValue: Int) { self.intValue = intValue }
        init?(stringValue: String) { nil }
    }

    mutating func next() throws -> (CheckpointNode, [any CodingKey]) {
        guard currentIndex < elements.count else {
            throw CheckpointError.malformed("too few elements at \(CheckpointDecoder.path(codingPath))")
        }
        defer { currentIndex += 1 }
        return (elements[currentIndex], codingPath + [Index(intValue: currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard currentIndex < elements.count, case .null = elements[currentIndex] else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool {
        let (node, path) = try next()
        return try CheckpointDecoder.bool(node, path)
    }
    mutating func decode(_ type: String.Type) throws -> String {
        let (node, path) = try next()
        return try CheckpointDecoder.string(node, path)
    }
    mutating func decode(_ type: Double.Type) throws -> Double {
        let (node, path) = try next()
        return try CheckpointDecoder.double(node, path)
    }
    mutating func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
    mutating func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    mutating func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let (node, path) = try next()
        return try CheckpointDecoder.integer(type, node, path)
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (node, path) = try next()
        return try CheckpointDecoder.value(type, from: node, codingPath: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type)
        throws -> KeyedDecodingContainer<NestedKey> {
        let (node, path) = try next()
        return try NodeDecoder(node: node, codingPath: path).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (node, path) = try next()
        return try NodeDecoder(node: node, codingPath: path).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (node, path) = try next()
        return NodeDecoder(node: node, codingPath: path)
    }
}

struct SingleNodeDecoder: SingleValueDecodingContainer {
    let node: CheckpointNode
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool {
        if case .null = node { return true }
        return false
    }
    func decode(_ type: Bool.Type) throws -> Bool { try CheckpointDecoder.bool(node, codingPath) }
    func decode(_ type: String.Type) throws -> String { try CheckpointDecoder.string(node, codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try CheckpointDecoder.double(node, codingPath) }
    func decode(_ type: Float.Type) throws -> Float { Float(try CheckpointDecoder.double(node, codingPath)) }
    func decode(_ type: Int.Type) throws -> Int { try CheckpointDecoder.integer(type, node, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try CheckpointDecoder.integer(type, node, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try CheckpointDecoder.integer(type, node, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try CheckpointDecoder.integer(type, node, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try CheckpointDecoder.integer(type, node, codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try CheckpointDecoder.integer(type, node, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try CheckpointDecoder.integer(type, node, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try CheckpointDecoder.integer(type, node, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try CheckpointDecoder.integer(type, node, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try CheckpointDecoder.integer(type, node, codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try CheckpointDecoder.value(type, from: node, codingPath: codingPath)
    }
}
