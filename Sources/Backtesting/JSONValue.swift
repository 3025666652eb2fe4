import MarginModel
/// A JSON document built in memory and rendered deterministically: object keys keep their insertion order,
/// numbers use Swift's shortest round-trip form, and non-finite numbers become `null`. Two renderings of equal
/// values are equal byte for byte.
public indirect enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer.
    case integer(Int64)
    /// A floating-point number (`null` when not finite).
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object with keys in the given order.
    case object([(String, JSONValue)])

    /// An optional number: `null` when nil.
    public static func number(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }

    /// An array of numbers.
    public static func numbers(_ values: [Double]) -> JSONValue { .array(values.map { .number($0) }) }

    /// An array of integers.
    public static func integers<T: BinaryInteger>(_ values: [T]) -> JSONValue {
        .array(values.map { .integer(Int64($0)) })
    }

    /// The document as UTF-8 text: objects indented by two spaces per level, arrays of scalars on one line,
    /// a final newline.
    public func rendered() -> String {
        var text = ""
        render(into: &text, indent: 0)
        text += "\n"
        return text
    }

    func render(into text: inout String, indent: Int) {
        switch self {
        case .null: text += "null"
        case .bool(let value): text += value ? "true" : "false"
        case .integer(let value): text += String(value)
        case .number(let value): text += Self.format(value)
        case .string(let value): Self.escape(value, into: &text)
        case .array(let items):
            if items.allSatisfy(\.isScalar) {
                text += "["
                for (index, item) in items.enumerated() {
                    if index > 0 { text += "," }
                    item.render(into: &text, indent: indent)
                }
                text += "]"
            } else {
                text += "[\n"
                for (index, item) in items.enumerated() {
                    text += String(repeating: " ", count: indent + 2)
                    item.render(into: &text, indent: indent + 2)
                    text += index + 1 < items.count ? ",\n" : "\n"
                }
                text += String(repeating: " ", count: indent) + "]"
            }
        case .object(let members):
            if members.isEmpty {
                text += "{}"
                return
            }
            text += "{\n"
            for (index, (key, value)) in members.enumerated() {
                text += String(repeating: " ", count: indent + 2)
                Self.escape(key, into: &text)
                text += ": "
                value.render(into: &text, indent: indent + 2)
                text += index + 1 < members.count ? ",\n" : "\n"
            }
            text += String(repeating: " ", count: indent) + "}"
        }
    }

    var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    /// Shortest round-trip decimal (`Double.description`), `null` for NaN and infinities.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
    }

    static func escape(_ value: String, into text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }
}

extension JSONValue {
    /// Compares documents member by member (tuples are not `Hashable` on their own).
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.rendered() == rhs.rendered() }

    /// Hashes the rendering.
    public func hash(into hasher: inout Hasher) { hasher.combine(rendered()) }
}
