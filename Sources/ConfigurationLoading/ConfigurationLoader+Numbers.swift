import Foundation
import FulcrumSettings
import Yams

extension ConfigurationLoader {
    /// What a duration key takes.
    static let durationForms = "a duration with a unit such as 250ms, 5s, 2h (a bare number is nanoseconds)"

    /// What a number key that is not a duration takes: `expected`'s description, with the unit its name gives
    /// (`lingerMilliseconds`: an integer of milliseconds).
    static func countForms(_ expected: Node.Kind, at path: ConfigurationPath) -> String {
        let what = ConfigurationError.describe(expected)
        return unit(of: path).map { "\(what) of \($0.name), without a unit" } ?? "\(what), without a unit"
    }

    /// The unit a number key's name states (`…Milliseconds`, `…Seconds`, `…Bytes`), with its size in nanoseconds
    /// for units of time.
    static func unit(of path: ConfigurationPath) -> (name: String, nanoseconds: Double?)? {
        let name = path.pattern.split(separator: ".").last.map(String.init) ?? ""
        let units: [(String, String, Double?)] = [("Milliseconds", "milliseconds", 1e6), ("Seconds", "seconds", 1e9),
                                                  ("Bytes", "bytes", nil)]
        return units.first { name.hasSuffix($0.0) }.map { ($0.1, $0.2) }
    }

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

    /// The value of a key whose default is a number.
    ///
    /// A `duration` key (``ConfigurationRules/durations``) takes a duration with a unit, in nanoseconds, or whole
    /// nanoseconds as a number (`1e9`, also in quotes); a fraction is refused, as its unit would be a guess. Any
    /// other number key takes a number, also in quotes (`"1e9"`), and refuses a duration, naming the unit its name
    /// gives (`warmupESS: 5s` is an error: it is a count). A boolean is left to the decoder, which refuses it
    /// naming the key's type (`expected`); a list and a section are refused here the same way.
    static func numberValue(_ node: Node, expected: Node.Kind, duration: Bool,
                            at path: ConfigurationPath) throws(ConfigurationError) -> Node {
        let forms = duration ? durationForms : countForms(expected, at: path)
        switch node.kind {
        case .boolean:
            return node
        case .integer, .number:
            try refuseFraction(node, duration: duration, at: path)
            return node
        case .string:
            let text = node.scalar?.string ?? ""
            if let nanoseconds = parseDuration(text) {
                guard duration else { throw unitRefused(node, nanoseconds: nanoseconds, forms: forms, at: path) }
                return integer(nanoseconds, mark: node.mark)
            }
            if let value = Double(text) {
                let number = try number(value, from: node, at: path)
                try refuseFraction(number, duration: duration, at: path)
                return number
            }
        case .list, .section:
            throw ConfigurationError(key: path.key, value: node.rendered,
                                     allowed: duration ? forms : ConfigurationError.describe(expected),
                                     message: "wrong type", mark: node.mark)
        default:
            break
        }
        throw ConfigurationError(key: path.key, value: node.rendered, allowed: forms,
                                 message: duration ? "not a duration" : "wrong type", mark: node.mark)
    }

    /// Refuses a number with a fraction for a duration key: a bare number there is nanoseconds, always whole.
    private static func refuseFraction(_ node: Node, duration: Bool,
                                       at path: ConfigurationPath) throws(ConfigurationError) {
        guard duration, node.kind == .number, let text = node.scalar?.string,
              let value = Double(text), value.rounded() != value else { return }
        throw ConfigurationError(key: path.key, value: text, allowed: durationForms,
                                 message: "a duration written as a bare number is whole nanoseconds; "
                                     + "write its unit, e.g. \(text)s or \(text)ms", mark: node.mark)
    }

    /// The error of a duration given to a key that is a count or a number of some unit its name states.
    private static func unitRefused(_ node: Node, nanoseconds: Int64, forms: String,
                                    at path: ConfigurationPath) -> ConfigurationError {
        let name = path.pattern.split(separator: ".").last.map(String.init) ?? path.key
        var message: String
        if let unit = unit(of: path), let scale = unit.nanoseconds {
            let value = Double(nanoseconds) / scale
            let written = value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
            message = "\(name) is a number of \(unit.name), not a duration: write \(written)"
        } else {
            message = "\(name) is a count or a plain number, not a duration: write it without a unit"
        }
        return ConfigurationError(key: path.key, value: node.rendered, allowed: forms, message: message,
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
