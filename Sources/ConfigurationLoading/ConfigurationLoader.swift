import Foundation
import FulcrumSettings
import Yams

/// Reads a configuration from YAML and environment variables on top of the built-in defaults.
///
/// The defaults are encoded to a tree; the file's tree is merged over it key by key (a key the
/// defaults do not have is an error that names it and lists the allowed ones; the entries of maps
/// such as `model.assetOverrides` and the alternatives of `estimation.shrinkage` are held to the
/// keys their ``ConfigurationRules`` give); then
/// `FULCRUM__SECTION__KEY=value` environment variables override single leaves (matched without
/// regard to case or underscores); finally the tree is decoded and validated. Durations may be
/// written as integers in nanoseconds or as strings with a unit: `250ms`, `1s`, `5m`, `2h`, `1d`.
public enum ConfigurationLoader {
    /// Loads `path` (or only defaults and environment when `nil`), applying the rules of a
    /// ``RuledConfiguration``.
    public static func load<Root: Codable>(
        _ type: Root.Type, defaults: Root, path: String?, environment: [String: String] = [:]
    ) throws(ConfigurationError) -> Root {
        let rules = (Root.self as? any RuledConfiguration.Type)?.configurationRules ?? ConfigurationRules()
        let trees = try Trees(rules)
        var tree = try encode(defaults)
        if let path {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw ConfigurationError(key: "", value: path, allowed: "a readable YAML file", message: "\(error)")
            }
            let parsed: Any?
            do { parsed = try Yams.load(yaml: text) } catch {
                throw ConfigurationError(key: "", value: path, allowed: "valid YAML", message: "\(error)")
            }
            if let parsed { tree = try merge(parsed, into: tree, path: [], trees: trees) }
        }
        tree = try applyEnvironment(environment, to: tree, trees: trees)
        return try decode(type, from: tree, choices: rules.choices)
    }

    /// The rules' samples encoded to trees once, as the merge compares the file's tree with them.
    struct Trees {
        var listItems: [String: Any] = [:]
        var mapEntries: [String: Any] = [:]
        /// Per key, the union of the alternatives' trees.
        var alternatives: [String: Any] = [:]

        init(_ rules: ConfigurationRules) throws(ConfigurationError) {
            for (key, value) in rules.listItems { listItems[key] = try encode(value) }
            for (key, value) in rules.mapEntries { mapEntries[key] = try encode(value) }
            for (key, samples) in rules.alternatives {
                var union: Any = [String: Any]()
                for sample in samples { union = Self.union(union, try encode(sample)) }
                alternatives[key] = union
            }
        }

        /// Every key of either tree; where both have a section, the union of the two.
        static func union(_ first: Any, _ second: Any) -> Any {
            guard var result = first as? [String: Any], let other = second as? [String: Any] else { return second }
            for (key, value) in other { result[key] = result[key].map { union($0, value) } ?? value }
            return result
        }
    }

    static func encode<Root: Encodable>(_ value: Root) throws(ConfigurationError) -> Any {
        do {
            let data = try JSONEncoder().encode(value)
            return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw ConfigurationError(key: "", value: "", allowed: "", message: "cannot encode defaults: \(error)")
        }
    }

    static func decode<Root: Decodable>(_ type: Root.Type, from tree: Any,
                                        choices: [String: [String]] = [:]) throws(ConfigurationError) -> Root {
        do {
            return try decodeOrThrow(type, from: tree)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
               let culprit = unrepresentableNumber(type, in: tree) {
                throw culprit
            }
            throw ConfigurationError(decoding: error, tree: tree, choices: choices)
        } catch {
            throw ConfigurationError(key: "", value: "", allowed: "", message: "\(error)")
        }
    }

    /// Merges `user` over `base`. Dictionaries merge per key; anything else replaces.
    ///
    /// With `sparse`, a dictionary keeps only the user's keys: `base` is then a schema (a map entry or the union
    /// of alternatives) that says which keys are allowed and what type each has, not a default.
    static func merge(_ user: Any, into base: Any, path: [String], trees: Trees,
                      sparse: Bool = false) throws(ConfigurationError) -> Any {
        let key = path.joined(separator: ".")
        if let user = user as? [String: Any] {
            if let schema = trees.mapEntries[key] {
                var entries = sparse ? [:] : (base as? [String: Any] ?? [:])
                for (name, entry) in user {
                    entries[name] = try merge(entry, into: schema, path: path + [name], trees: trees, sparse: true)
                }
                return entries
            }
            if let schema = trees.alternatives[key] as? [String: Any] {
                return try mergeSection(user, into: schema, path: path, trees: trees, sparse: true)
            }
        }
        switch (user, base) {
        case (let user as [String: Any], let base as [String: Any]):
            return try mergeSection(user, into: base, path: path, trees: trees, sparse: sparse)
        case (let list as [Any], _):
            guard let template = trees.listItems[key] else {
                return try list.map { (item) throws(ConfigurationError) -> Any in try normalize(item) }
            }
            var items: [Any] = []
            for (index, item) in list.enumerated() {
                var itemPath = path
                itemPath[itemPath.count - 1] += "[\(index)]"
                items.append(try merge(item, into: template, path: itemPath, trees: trees))
            }
            return items
        case (_, let number as NSNumber) where !(user is NSNumber) && !(user is Bool):
            if isBoolean(number) {
                throw ConfigurationError(key: key, value: render(user), allowed: "true or false", message: "wrong type")
            }
            if let text = user as? String, let nanoseconds = parseDuration(text) { return nanoseconds }
            if let text = user as? String, let value = Double(text) { return value }
            throw ConfigurationError(key: key, value: render(user),
                                     allowed: "a number or a duration such as 250ms, 5s, 2h", message: "wrong type")
        default:
            return try normalize(user)
        }
    }

    /// Merges the keys of `user` into the section `base`, refusing keys `base` does not have unless it is empty
    /// (a free-form map, such as feed server keys by feed name).
    static func mergeSection(_ user: [String: Any], into base: [String: Any], path: [String], trees: Trees,
                             sparse: Bool) throws(ConfigurationError) -> [String: Any] {
        var result = sparse ? [:] : base
        for (name, value) in user {
            if let existing = base[name] {
                result[name] = try merge(value, into: existing, path: path + [name], trees: trees, sparse: sparse)
            } else if base.isEmpty {
                result[name] = try normalize(value)
            } else {
                throw ConfigurationError(key: (path + [name]).joined(separator: "."), value: render(value),
                                         allowed: "one of: " + base.keys.sorted().joined(separator: ", "),
                                         message: "unknown key")
            }
        }
        return result
    }

    /// A value of the file as it would be written there: scalars as text, sections and lists as JSON.
    static func render(_ value: Any) -> String {
        switch value {
        case let text as String: return text
        case is NSNull: return "null"
        case let number as NSNumber where isBoolean(number): return number.boolValue ? "true" : "false"
        case is [String: Any], is [Any]:
            guard let normalized = try? normalize(value),
                  let data = try? JSONSerialization.data(withJSONObject: normalized, options: [.sortedKeys])
            else { return "\(value)" }
            return String(decoding: data, as: UTF8.self)
        default: return "\(value)"
        }
    }

    static func isBoolean(_ number: NSNumber) -> Bool {
        // JSONSerialization stores booleans as NSNumber of type 'c' (char).
        String(cString: number.objCType) == "c"
    }

    /// Converts YAML scalars (Int, Double, Bool, String, Date...) into JSON-compatible values.
    static func normalize(_ value: Any) throws(ConfigurationError) -> Any {
        switch value {
        case let dictionary as [String: Any]:
            var result: [String: Any] = [:]
            for (key, item) in dictionary { result[key] = try normalize(item) }
            return result
        case let list as [Any]:
            return try list.map { (item) throws(ConfigurationError) -> Any in try normalize(item) }
        case is String, is Int, is Double, is Bool, is NSNull, is NSNumber:
            return value
        default:
            return "\(value)"
        }
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

    /// Applies `FULCRUM__A__B=value` overrides.
    static func applyEnvironment(_ environment: [String: String], to tree: Any,
                                 trees: Trees) throws(ConfigurationError) -> Any {
        var tree = tree
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix("FULCRUM__") {
            let path = name.dropFirst("FULCRUM__".count).components(separatedBy: "__")
            tree = try override(tree, path: path[...], value: value, resolved: [], variable: name, trees: trees)
        }
        return tree
    }

    static func override(_ node: Any, path: ArraySlice<String>, value: String, resolved: [String],
                         variable: String, trees: Trees) throws(ConfigurationError) -> Any {
        guard let head = path.first else {
            let parsed: Any = (try? Yams.load(yaml: value)).flatMap { $0 } ?? value
            return try merge(parsed, into: node, path: resolved, trees: trees)
        }
        guard var dictionary = node as? [String: Any] else {
            throw ConfigurationError(key: variable, value: value, allowed: "a path to a configuration key",
                                     message: "\(resolved.joined(separator: ".")) has no sub-keys")
        }
        let wanted = squash(head)
        guard let key = dictionary.keys.first(where: { squash($0) == wanted }) else {
            throw ConfigurationError(key: variable, value: value,
                                     allowed: "one of: " + dictionary.keys.sorted().joined(separator: ", "),
                                     message: "unknown key \(head)")
        }
        dictionary[key] = try override(dictionary[key] as Any, path: path.dropFirst(), value: value,
                                       resolved: resolved + [key], variable: variable, trees: trees)
        return dictionary
    }

    static func squash(_ key: String) -> String {
        key.lowercased().replacingOccurrences(of: "_", with: "")
    }
}
