import Foundation
import FulcrumSettings
import Yams

extension ConfigurationLoader {
    /// Applies `FULCRUM__A__B=value` overrides in the order of their names; each value is read as YAML (text that
    /// is not YAML stays text) and merged over the key it names.
    static func applyEnvironment(_ environment: [String: String], to node: Node,
                                 schemas: Schemas) throws(ConfigurationError) -> Node {
        var node = node
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix("FULCRUM__") {
            let path = name.dropFirst("FULCRUM__".count).components(separatedBy: "__")
            node = try override(node, path: path[...], value: value, resolved: ConfigurationPath(), variable: name,
                                schemas: schemas)
        }
        return node
    }

    /// `node` with the key at `path` (matched without regard to case or underscores) replaced by `value`.
    static func override(_ node: Node, path: ArraySlice<String>, value: String, resolved: ConfigurationPath,
                         variable: String, schemas: Schemas) throws(ConfigurationError) -> Node {
        guard let head = path.first else {
            // The value's marks would point into the variable, not the file.
            let parsed = ((try? Yams.compose(yaml: value)) ?? nil)?.unmarked ?? Node(value, Tag(.str))
            return try merge(parsed, into: node, at: resolved, schemas: schemas)
        }
        guard var entries = try node.entries(at: resolved) else {
            throw ConfigurationError(key: variable, value: value, allowed: "a path to a configuration key",
                                     message: "\(resolved.key) has no sub-keys")
        }
        let wanted = squash(head)
        guard let index = entries.firstIndex(where: { squash($0.name) == wanted }) else {
            throw ConfigurationError(key: variable, value: value,
                                     allowed: "one of: " + entries.map(\.name).sorted().joined(separator: ", "),
                                     message: "unknown key \(head)")
        }
        entries[index].value = try override(entries[index].value, path: path.dropFirst(), value: value,
                                            resolved: resolved.appending(entries[index].name), variable: variable,
                                            schemas: schemas)
        return .section(entries, mark: node.mark)
    }

    static func squash(_ key: String) -> String {
        key.lowercased().replacingOccurrences(of: "_", with: "")
    }
}
