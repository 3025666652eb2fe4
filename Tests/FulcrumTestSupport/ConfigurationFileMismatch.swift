import Foundation
import FulcrumService

/// A configuration file that loads as another configuration than the one written
/// (``FulcrumService/FulcrumConfiguration/writeConfigurationFile(to:)``).
public struct ConfigurationFileMismatch: Error, CustomStringConvertible {
    /// The file.
    public var path: String
    /// Each key whose value loads otherwise, as `key: written W, loads L` with both values as JSON, sorted by key.
    public var differences: [String]

    /// The mismatch between `written` and `loaded`, key by key (lists by index); `nil` when they encode equal.
    public init?(path: String, written: FulcrumConfiguration, loaded: FulcrumConfiguration) throws {
        let mine = try Self.leaves(of: written), theirs = try Self.leaves(of: loaded)
        let keys = Set(mine.keys).union(theirs.keys).filter { mine[$0] != theirs[$0] }.sorted()
        guard !keys.isEmpty else { return nil }
        self.path = path
        differences = keys.map { "\($0): written \(mine[$0] ?? "nothing"), loads \(theirs[$0] ?? "nothing")" }
    }

    /// What a test reports.
    public var description: String {
        "\(path) loads as another configuration: " + differences.joined(separator: "; ")
    }

    /// Every scalar of the configuration's JSON encoding by its key (`model.coverage.window`, `ingest.feeds[0].name`),
    /// as JSON text; an empty section or list is a leaf too.
    static func leaves(of configuration: FulcrumConfiguration) throws -> [String: String] {
        let tree = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(configuration))
        var result: [String: String] = [:]
        func visit(_ node: Any, _ key: String) throws {
            if let section = node as? [String: Any], !section.isEmpty {
                for (name, child) in section { try visit(child, key.isEmpty ? name : "\(key).\(name)") }
            } else if let list = node as? [Any], !list.isEmpty {
                for (index, item) in list.enumerated() { try visit(item, "\(key)[\(index)]") }
            } else {
                let data = try JSONSerialization.data(withJSONObject: node, options: [.fragmentsAllowed, .sortedKeys])
                result[key] = String(decoding: data, as: UTF8.self)
            }
        }
        try visit(tree, "")
        return result
    }
}
