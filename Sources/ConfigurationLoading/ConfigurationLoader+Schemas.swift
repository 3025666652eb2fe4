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
        /// The keys (as ``ConfigurationPath/pattern``) that hold durations in nanoseconds, but for those whose name
        /// ends in `Ns` (``isDuration(_:)``).
        var durations: Set<String>

        /// The schemas of `rules` over `defaults`, whose ``NanosecondDuration`` keys are recorded as durations.
        init(_ rules: ConfigurationRules, defaults: some Encodable) throws(ConfigurationError) {
            choices = rules.choices
            durations = Set(rules.durations)
            func record(_ value: some Encodable, under prefix: String) throws(ConfigurationError) -> Node {
                let recorder = DurationKeyRecorder()
                let node = try encode(value, recorder: recorder)
                for key in recorder.keys { durations.insert(prefix.isEmpty ? key : "\(prefix).\(key)") }
                return node
            }
            _ = try record(defaults, under: "")
            for (key, value) in rules.listItems { listItems[key] = try record(value, under: key) }
            for (key, value) in rules.mapEntries { mapEntries[key] = try record(value, under: key) }
            for (key, samples) in rules.alternatives {
                var union = Node.section([], mark: nil)
                for sample in samples { union = Self.union(union, try record(sample, under: key)) }
                alternatives[key] = union
            }
        }

        /// Whether the key at `path` holds a duration in nanoseconds.
        func isDuration(_ path: ConfigurationPath) -> Bool {
            let pattern = path.pattern
            if durations.contains(pattern) { return true }
            // A map entry's keys are recorded under the map (`model.assetOverrides.cooldownNs`), the file's path
            // has the entry's name in between; the `Ns` suffix is the rule for those written as integers.
            guard let last = pattern.split(separator: ".").last else { return false }
            return last.hasSuffix("Ns") && last.count > 2
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
