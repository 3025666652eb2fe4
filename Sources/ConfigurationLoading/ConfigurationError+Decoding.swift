import Foundation
import FulcrumSettings

extension ConfigurationError {
    /// Describes a decoding failure of the merged tree: the key as written in the file (list items as
    /// `name[index]`), the value found there, and what is allowed: the words of an enumeration from `choices`
    /// (keyed as ``ConfigurationRules/choices``), else the expected type.
    init(decoding error: DecodingError, tree: Any, choices: [String: [String]] = [:]) {
        func located(_ context: DecodingError.Context, _ extra: String? = nil) -> (key: String, node: Any?) {
            var path = context.codingPath.map { component -> ConfigurationLoader.PathStep in
                component.intValue.map { .index($0) } ?? .key(component.stringValue)
            }
            let node = ConfigurationLoader.value(of: tree, at: path[...])
            if let extra { path.append(.key(extra)) }
            return (ConfigurationLoader.key(of: path), node)
        }
        func allowed(_ key: String, _ type: Any.Type?) -> String {
            if let words = choices[ConfigurationRules.pattern(of: key)] { return words.joined(separator: " | ") }
            return type.map(Self.describe) ?? "a valid value"
        }
        func text(_ node: Any?) -> String { node.map(ConfigurationLoader.render) ?? "" }
        switch error {
        case .typeMismatch(let type, let context):
            let (key, node) = located(context)
            self.init(key: key, value: text(node), allowed: allowed(key, type), message: "wrong type")
        case .valueNotFound(let type, let context):
            let (key, _) = located(context)
            self.init(key: key, value: "null", allowed: allowed(key, type), message: "missing value")
        case .keyNotFound(let missing, let context):
            let (key, _) = located(context, missing.stringValue)
            self.init(key: key, value: "(missing)", allowed: allowed(key, nil), message: "missing key")
        case .dataCorrupted(let context):
            let (key, node) = located(context)
            let words = choices[ConfigurationRules.pattern(of: key)]
            self.init(key: key, value: text(node), allowed: words?.joined(separator: " | ") ?? "a valid value",
                      message: words == nil ? context.debugDescription : "not one of the allowed words")
        @unknown default:
            self.init(key: "", value: "", allowed: "", message: "\(error)")
        }
    }

    /// What a value of `type` is written as in the file.
    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type, is UInt64.Type, is UInt32.Type, is UInt16.Type,
             is UInt8.Type, is Int16.Type, is Int8.Type:
            return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is [Any].Type: return "a list"
        case is [String: Any].Type: return "a section (key: value lines)"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array<") { return "a list" }
            if name.hasPrefix("Dictionary<") { return "a section (key: value lines)" }
            return "a value of type \(name)"
        }
    }
}
