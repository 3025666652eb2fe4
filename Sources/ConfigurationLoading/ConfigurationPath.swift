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

    /// The path a decoder reports (its list indexes are keys named `Index N`).
    init(codingPath: [any CodingKey]) {
        steps = codingPath.map { key in
            if let index = key.intValue, key.stringValue == "Index \(index)" { return .index(index) }
            return .key(key.stringValue)
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
