import FulcrumSettings
import Yams

extension ConfigurationLoader {
    /// The rules' samples encoded to nodes once, as the merge compares the file's nodes with them, and the rules'
    /// words for errors.
    struct Schemas {
        var listItems: [String: Node] = [:]
        var mapEntries: [String: Node] = [:]
        /// Per key, the union of the alternatives' nodes.
        var alternatives: [String: Node] = [:]
        var choices: [String: [String]]

        init(_ rules: ConfigurationRules) throws(ConfigurationError) {
            choices = rules.choices
            for (key, value) in rules.listItems { listItems[key] = try encode(value) }
            for (key, value) in rules.mapEntries { mapEntries[key] = try encode(value) }
            for (key, samples) in rules.alternatives {
                var union = Node.section([], mark: nil)
                for sample in samples { union = Self.union(union, try encode(sample)) }
                alternatives[key] = union
            }
        }

        /// Every key of either node; where both have a section, the union of the two.
        static func union(_ first: Node, _ second: Node) -> Node {
            let root = ConfigurationPath()
            guard var result = try? first.entries(at: root), let other = try? second.entries(at: root) else {
                return second
            }
            for var entry in other {
                if let existing = result.value(named: entry.name) { entry.value = union(existing, entry.value) }
                result.put(entry)
            }
            return .section(result, mark: nil)
        }
    }
}
