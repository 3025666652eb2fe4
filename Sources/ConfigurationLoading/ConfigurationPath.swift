/// Where a value sits in a configuration: the keys of sections and the indexes of lists from the root.
struct ConfigurationPath {
    /// One step: a key of a section or an index of a list.
    enum Step {
        case key(String)
        case index(Int)
    }

    var steps: [Step] = []

    /// The root.
    init() {}

    /// The path of `steps`.
    init(steps: [Step]) {
        self.steps = steps
    }

    /// The path a decoder reports (its list indexes are keys named `Index N`).
    init(codingPath: [any CodingKey]) {
        steps = codingPath.map { key in
            if let index = key.intValue, key.stringValue == "Index \(index)" { return .index(index) }
            return .key(key.stringValue)
        }
    }

    /// The path of a dotted key as errors write it (`ingest.feeds[0].endpoint`).
    init(key: String) {
        steps = []
        for part in key.split(separator: ".", omittingEmptySubsequences: false) {
            var name = Substring(part)
            var indexes: [Int] = []
            while name.hasSuffix("]"), let open = name.lastIndex(of: "["),
                  let index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]) {
                indexes.insert(index, at: 0)
                name = name[..<open]
            }
            if !name.isEmpty { steps.append(.key(String(name))) }
            steps += indexes.map { .index($0) }
        }
    }

    /// This path and then the key `name`.
    func appending(_ name: String) -> ConfigurationPath {
        var path = self
        path.steps.append(.key(name))
        return path
    }

    /// This path and then item `index` of a list.
    func appending(index: Int) -> ConfigurationPath {
        var path = self
        path.steps.append(.index(index))
        return path
    }

    /// As errors write it: `ingest.feeds[0].encoding`.
    var key: String {
        steps.reduce(into: "") { text, step in
            switch step {
            case .key(let name): text += (text.isEmpty ? "" : ".") + name
            case .index(let index): text += "[\(index)]"
            }
        }
    }

    /// As ``ConfigurationRules`` are keyed, without list indexes: `ingest.feeds.encoding`.
    var pattern: String {
        steps.compactMap { step in
            if case .key(let name) = step { return name }
            return nil
        }.joined(separator: ".")
    }
}
