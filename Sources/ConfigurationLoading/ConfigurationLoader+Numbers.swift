import Foundation
import FulcrumSettings
import Yams

extension ConfigurationLoader {
    /// What a number key takes besides a number.
    static let numberForms = "a number or a duration such as 250ms, 5s, 2h"

    /// `node` as a number in the one form the decoder reads for every numeric type, other nodes unchanged.
    ///
    /// A whole number becomes an integer, as YAML means it: `1e9`, `2.0`, `0x10`, `0o17`, `1_000` and `1:30` give
    /// `1000000000`, `2`, `16`, `15`, `1000` and `90`, which an integer key takes and a float key reads as the same
    /// value. Any other number becomes a float in Swift's shortest text that reads back exactly (`2.5`, `1e+30`).
    static func canonicalNumber(_ node: Node, at path: ConfigurationPath) throws(ConfigurationError) -> Node {
        guard case .scalar(let scalar) = node else { return node }
        switch node.kind {
        case .integer:
            if let value = Int64.construct(from: scalar) { return integer(value, mark: scalar.mark) }
            guard let value = Double(scalar.string.replacingOccurrences(of: "_", with: "")) else { return node }
            return try number(value, from: node, at: path)
        case .number:
            guard let value = Double.construct(from: scalar) else { return node }
            return try number(value, from: node, at: path)
        default:
            return node
        }
    }

    /// The value of a key whose default is a number: a number, or text that is a duration with a unit (in
    /// nanoseconds) or a number (`"1e9"`). A boolean is left to the decoder, which refuses it naming the key's type
    /// (`expected`); so is a list, refused here the same way.
    static func numberValue(_ node: Node, expected: Node.Kind,
                            at path: ConfigurationPath) throws(ConfigurationError) -> Node {
        switch node.kind {
        case .integer, .number, .boolean:
            return node
        case .string:
            let text = node.scalar?.string ?? ""
            if let nanoseconds = parseDuration(text) { return integer(nanoseconds, mark: node.mark) }
            if let value = Double(text) { return try number(value, from: node, at: path) }
        case .list:
            throw ConfigurationError(key: path.key, value: node.rendered,
                                     allowed: ConfigurationError.describe(expected), message: "wrong type",
                                     mark: node.mark)
        default:
            break
        }
        throw ConfigurationError(key: path.key, value: node.rendered, allowed: numberForms, message: "wrong type",
                                 mark: node.mark)
    }

    /// `value` as a number node: a whole number within Int64 as an integer, any other as a float. Infinities and NaN
    /// are refused: no setting takes them.
    static func number(_ value: Double, from node: Node,
                       at path: ConfigurationPath) throws(ConfigurationError) -> Node {
        guard value.isFinite else {
            throw ConfigurationError(key: path.key, value: node.rendered, allowed: "a finite number",
                                     message: "not a finite number", mark: node.mark)
        }
        if value.rounded() == value, value >= -0x1p63, value < 0x1p63 {
            return integer(Int64(value), mark: node.mark)
        }
        return .scalar(Node.Scalar("\(value)", Tag(.float), .plain, node.mark))
    }

    static func integer(_ value: Int64, mark: Mark?) -> Node {
        .scalar(Node.Scalar(String(value), Tag(.int), .plain, mark))
    }

    /// Parses `250ms`, `1.5s`, `5m`, `2h`, `1d`, `100us`, `10ns` into nanoseconds.
    public static func parseDuration(_ text: String) -> Int64? {
        let units: [(String, Double)] = [("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9),
                                         ("h", 3_600e9), ("d", 86_400e9)]
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
            guard let value = Double(number), value.isFinite, value >= 0 else { continue }
            let nanoseconds = (value * scale).rounded()
            guard nanoseconds < 9.2e18 else { return nil }
            return Int64(nanoseconds)
        }
        return nil
    }
}
