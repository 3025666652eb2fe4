import FulcrumSettings
import Yams

extension ConfigurationError {
    /// Describes a decoding failure of the merged node `root`: the key as written in the file (list items as
    /// `name[index]`), the value found there, and what is allowed: the words of an enumeration from `choices`
    /// (keyed as ``ConfigurationRules/choices``), else the expected type.
    init(decoding error: DecodingError, in root: Node, choices: [String: [String]]) {
        func located(_ context: DecodingError.Context) -> (path: ConfigurationPath, node: Node?) {
            let path = ConfigurationPath(codingPath: context.codingPath)
            return (path, root.descendant(at: path))
        }
        switch error {
        case .typeMismatch(let type, let context):
            let (path, node) = located(context)
            let value = node?.rendered ?? ""
            if type is any FixedWidthInteger.Type, let node, case .scalar(let scalar) = node,
               node.kind == .integer || node.kind == .number {
                // A fraction, or a whole number out of the key's range (`canonicalNumber` left no other).
                let fractional = Double(scalar.string).map { $0.rounded() != $0 } ?? false
                self.init(key: path.key, value: value,
                          allowed: fractional ? "a whole number" : "a whole number in range",
                          message: "the number does not fit the key's type", mark: node.mark)
            } else if node?.kind == .null {
                self.init(key: path.key, value: value, allowed: Self.allowed(at: path, choices, type),
                          message: "missing value", mark: node?.mark)
            } else {
                self.init(key: path.key, value: value, allowed: Self.allowed(at: path, choices, type),
                          message: "wrong type", mark: node?.mark)
            }
        case .valueNotFound(let type, let context):
            let (path, node) = located(context)
            self.init(key: path.key, value: "null", allowed: Self.allowed(at: path, choices, type),
                      message: "missing value", mark: node?.mark)
        case .keyNotFound(let missing, let context):
            let (path, node) = located(context)
            let key = path.appending(missing.stringValue)
            self.init(key: key.key, value: "(missing)", allowed: Self.allowed(at: key, choices, nil),
                      message: "missing key", mark: node?.mark)
        case .dataCorrupted(let context):
            let (path, node) = located(context)
            let words = choices[path.pattern]
            let message = node?.kind == .null ? "missing value"
                : words == nil ? context.debugDescription : "not one of the allowed words"
            self.init(key: path.key, value: node?.rendered ?? "",
                      allowed: words?.joined(separator: " | ") ?? "a valid value", message: message, mark: node?.mark)
        @unknown default:
            self.init(key: "", value: "", allowed: "", message: "\(error)")
        }
    }

    /// What the key at `path` allows: the words of its enumeration, else what a value of `type` is written as.
    static func allowed(at path: ConfigurationPath, _ choices: [String: [String]], _ type: Any.Type?) -> String {
        if let words = choices[path.pattern] { return words.joined(separator: " | ") }
        return type.map(describe) ?? "a valid value"
    }

    /// What the key at `path` allows when its default is of `kind`.
    static func allowed(at path: ConfigurationPath, _ choices: [String: [String]], _ kind: Node.Kind) -> String {
        choices[path.pattern]?.joined(separator: " | ") ?? describe(kind)
    }

    /// What a value of `type` is written as in the file.
    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is any FixedWidthInteger.Type: return describe(.integer)
        case is any BinaryFloatingPoint.Type: return describe(.number)
        case is String.Type: return describe(.string)
        case is Bool.Type: return describe(.boolean)
        case is Node.Sequence.Type: return describe(.list)
        case is Node.Mapping.Type: return describe(.section)
        case is Node.Scalar.Type: return "a single value (not a section or list)"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array<") { return describe(.list) }
            if name.hasPrefix("Dictionary<") { return describe(.section) }
            return "a value of type \(name)"
        }
    }

    /// What a value of `kind` is written as in the file.
    static func describe(_ kind: Node.Kind) -> String {
        switch kind {
        case .integer: return "an integer"
        case .number: return "a number"
        case .string: return "a string"
        case .boolean: return "true or false"
        case .list: return "a list"
        case .section: return "a section (key: value lines)"
        case .null, .other: return "a valid value"
        }
    }
}
