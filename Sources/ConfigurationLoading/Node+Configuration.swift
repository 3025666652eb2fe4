import Foundation
import FulcrumSettings
import Yams

extension Node {
    /// What a node holds; a plain scalar has the type YAML's core schema gives it (`yes` a boolean, `1.5` a number,
    /// `~` null), a quoted one is a string.
    enum Kind: Equatable {
        case string, integer, number, boolean, null, other, section, list
    }

    var kind: Kind {
        switch self {
        case .mapping: return .section
        case .sequence: return .list
        case .alias: return .other
        case .scalar:
            switch Tag.Name(rawValue: tag.rawValue) {
            case .str: return .string
            case .int: return .integer
            case .float: return .number
            case .bool: return .boolean
            case .null: return .null
            default: return .other
            }
        }
    }

    /// A section of `entries`, written at `mark`. Keys are plain scalars whatever they were written as, so that the
    /// decoder, which looks keys up as plain scalars, finds a quoted `'yes'` or `'1'` too.
    static func section(_ entries: [Entry], mark: Mark?) -> Node {
        let pairs = entries.map { (Node.scalar(Scalar($0.name, .implicit, .any, $0.mark)), $0.value) }
        return .mapping(Mapping(pairs, .implicit, .any, mark))
    }

    /// A list of `items`, written at `mark`.
    static func list(_ items: [Node], mark: Mark?) -> Node {
        .sequence(Sequence(items, .implicit, .any, mark))
    }

    /// One key of a section with its value; `mark` is where the key is written.
    struct Entry {
        var name: String
        var value: Node
        var mark: Mark?
    }

    /// The entries of a section at `path`, YAML merge keys (`<<: *base`) applied; of keys written twice the later
    /// wins. `nil` for a node that is not a section.
    func entries(at path: ConfigurationPath) throws(ConfigurationError) -> [Entry]? {
        guard case .mapping(let mapping) = self else { return nil }
        var result: [Entry] = []
        var own: [Entry] = []
        for (key, value) in mapping {
            if key.tag.rawValue == Tag.Name.merge.rawValue {
                // As YAML orders them: the earlier of several merged sections wins, the section's own keys win over
                // all of them.
                let sources = value.sequence.map(Array.init) ?? [value]
                for source in sources.reversed() {
                    guard let merged = try source.entries(at: path) else {
                        throw ConfigurationError(key: path.key, value: source.rendered,
                                                 allowed: "a section or a list of sections",
                                                 message: "a merge key (<<) takes sections", mark: source.mark)
                    }
                    merged.forEach { result.put($0) }
                }
            } else if case .scalar(let name) = key {
                own.append(Entry(name: name.string, value: value, mark: key.mark))
            } else {
                throw ConfigurationError(key: path.key, value: key.rendered, allowed: "a word",
                                         message: "a key must be a single value", mark: key.mark)
            }
        }
        own.forEach { result.put($0) }
        return result
    }

    /// This node without where it was written: the marks of nodes that were not read from the file (the encoded
    /// defaults, an environment variable's value) would point into some other text.
    var unmarked: Node {
        switch self {
        case .scalar(var scalar):
            scalar.mark = nil
            return .scalar(scalar)
        case .mapping(let mapping):
            return .mapping(Mapping(mapping.map { ($0.key, $0.value.unmarked) }, mapping.tag, mapping.style))
        case .sequence(let sequence):
            return .sequence(Sequence(sequence.map(\.unmarked), sequence.tag, sequence.style))
        case .alias:
            return self
        }
    }

    /// The node at `path` below this one, `nil` when there is none.
    func descendant(at path: ConfigurationPath) -> Node? {
        var node = self
        for step in path.steps {
            switch (step, node) {
            case (.key(let name), .mapping(let mapping)):
                guard let child = mapping[name] else { return nil }
                node = child
            case (.index(let index), .sequence(let sequence)):
                guard sequence.indices.contains(index) else { return nil }
                node = sequence[index]
            default:
                return nil
            }
        }
        return node
    }

    /// This node without the key or list item at `path` (unchanged when there is none there).
    func removing(_ path: ConfigurationPath) -> Node {
        guard let step = path.steps.first else { return self }
        let rest = ConfigurationPath(steps: Array(path.steps.dropFirst()))
        switch (step, self) {
        case (.key(let name), .mapping(let mapping)):
            // Every pair of the key: of a key written twice, the later one counts.
            let pairs: [(Node, Node)] = mapping.compactMap { pair in
                guard pair.key.scalar?.string == name else { return (pair.key, pair.value) }
                return rest.steps.isEmpty ? nil : (pair.key, pair.value.removing(rest))
            }
            return .mapping(Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
        case (.index(let index), .sequence(var sequence)) where sequence.indices.contains(index):
            if rest.steps.isEmpty {
                sequence.remove(at: index)
            } else {
                sequence[index] = sequence[index].removing(rest)
            }
            return .sequence(sequence)
        default:
            return self
        }
    }

    /// The value as errors show it: a scalar as written (`null` for an empty or `~` one), a section or list as
    /// compact JSON with sorted keys.
    var rendered: String {
        switch self {
        case .scalar(let scalar): return kind == .null ? "null" : scalar.string
        default: return json
        }
    }

    private var json: String {
        switch self {
        case .mapping(let mapping):
            let pairs = mapping.map { (name: $0.key.scalar?.string ?? $0.key.json, value: $0.value) }
                .sorted { $0.name < $1.name }
            return "{" + pairs.map { Self.quoted($0.name) + ":" + $0.value.json }.joined(separator: ",") + "}"
        case .sequence(let sequence):
            return "[" + sequence.map(\.json).joined(separator: ",") + "]"
        case .scalar(let scalar):
            switch kind {
            case .integer, .number: return scalar.string
            case .boolean: return Bool.construct(from: scalar).map { $0 ? "true" : "false" } ?? scalar.string
            case .null: return "null"
            default: return Self.quoted(scalar.string)
            }
        case .alias:
            return "null"
        }
    }

    /// `text` as a JSON string, escaped as `fulcrum config check` prints the effective configuration.
    private static func quoted(_ text: String) -> String {
        (try? JSONEncoder().encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\(text)\""
    }
}

extension Array where Element == Node.Entry {
    /// The value of the key `name`, if there is one.
    func value(named name: String) -> Node? {
        first { $0.name == name }?.value
    }

    /// Sets the key of `entry`: in its place if there is one, else at the end.
    mutating func put(_ entry: Node.Entry) {
        if let index = firstIndex(where: { $0.name == entry.name }) {
            self[index] = entry
        } else {
            append(entry)
        }
    }
}

extension ConfigurationError {
    /// An error located at `mark` (where the file has the value), if any.
    init(key: String, value: String, allowed: String, message: String, mark: Mark?) {
        self.init(key: key, value: value, allowed: allowed, message: message, line: mark?.line, column: mark?.column)
    }
}
