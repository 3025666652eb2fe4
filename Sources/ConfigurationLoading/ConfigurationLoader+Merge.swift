import FulcrumSettings
import Yams

extension ConfigurationLoader {
    /// Merges `user` (the file's node, or an environment variable's) over `base` at `path`.
    ///
    /// Sections merge key by key, refusing keys `base` does not have; the items of a list with a list-item rule
    /// merge over that rule's defaults; anything else replaces `base`, checked against the kind of the default it
    /// replaces (a duration key takes durations, another number key numbers without a unit, a true/false key only booleans, a string key no
    /// section or list). Map entries and alternatives are merged over their rule's sample with `sparse` set: a
    /// section then keeps only the user's keys, as the sample says which keys are allowed, not what they default to.
    static func merge(_ user: Node, into base: Node, at path: ConfigurationPath, schemas: Schemas,
                      sparse: Bool = false) throws(ConfigurationError) -> Node {
        let pattern = path.pattern
        if let entries = try user.entries(at: path) {
            if let entry = schemas.mapEntries[pattern] {
                var merged = sparse ? [] : (try base.entries(at: path) ?? [])
                for item in entries {
                    var item = item
                    item.value = try merge(item.value, into: entry, at: path.appending(item.name), schemas: schemas,
                                           sparse: true)
                    merged.put(item)
                }
                return .section(merged, mark: user.mark)
            }
            if let union = schemas.alternatives[pattern], let schema = try union.entries(at: path) {
                return try mergeSection(entries, into: schema, at: path, mark: user.mark, schemas: schemas,
                                        sparse: true)
            }
            if let defaults = try base.entries(at: path) {
                return try mergeSection(entries, into: defaults, at: path, mark: user.mark, schemas: schemas,
                                        sparse: sparse)
            }
        }
        if case .sequence(let items) = user, let item = schemas.listItems[pattern] {
            var merged: [Node] = []
            for (index, element) in items.enumerated() {
                merged.append(try merge(element, into: item, at: path.appending(index: index), schemas: schemas))
            }
            return .list(merged, mark: user.mark)
        }
        let value = try normalize(user, at: path)
        switch base.kind {
        case .integer, .number:
            return try numberValue(value, expected: base.kind, duration: schemas.isDuration(path), at: path)
        case .boolean where value.kind != .boolean:
            throw ConfigurationError(key: path.key, value: value.rendered,
                                     allowed: ConfigurationError.describe(.boolean), message: "wrong type",
                                     mark: value.mark)
        case .string where value.kind == .section || value.kind == .list:
            throw ConfigurationError(key: path.key, value: value.rendered,
                                     allowed: ConfigurationError.allowed(at: path, schemas.choices, .string),
                                     message: "wrong type", mark: value.mark)
        default:
            return value
        }
    }

    /// Merges the entries of a user's section into the section `base`, refusing keys `base` does not have unless it
    /// has none (a map of the user's keys, such as feed server keys by feed name).
    static func mergeSection(_ user: [Node.Entry], into base: [Node.Entry], at path: ConfigurationPath, mark: Mark?,
                             schemas: Schemas, sparse: Bool) throws(ConfigurationError) -> Node {
        var result = sparse ? [] : base
        for var item in user {
            if let existing = base.value(named: item.name) {
                item.value = try merge(item.value, into: existing, at: path.appending(item.name), schemas: schemas,
                                       sparse: sparse)
            } else if base.isEmpty {
                item.value = try normalize(item.value, at: path.appending(item.name))
            } else {
                throw ConfigurationError(key: path.appending(item.name).key, value: item.value.rendered,
                                         allowed: "one of: " + base.map(\.name).sorted().joined(separator: ", "),
                                         message: "unknown key", mark: item.mark)
            }
            result.put(item)
        }
        return .section(result, mark: mark)
    }

    /// A node of the user's as the decoder is to read it: merge keys applied, numbers in their canonical form.
    static func normalize(_ node: Node, at path: ConfigurationPath) throws(ConfigurationError) -> Node {
        if let entries = try node.entries(at: path) {
            var result: [Node.Entry] = []
            for entry in entries {
                var entry = entry
                entry.value = try normalize(entry.value, at: path.appending(entry.name))
                result.append(entry)
            }
            return .section(result, mark: node.mark)
        }
        if case .sequence(let items) = node {
            var result: [Node] = []
            for (index, item) in items.enumerated() {
                result.append(try normalize(item, at: path.appending(index: index)))
            }
            return .list(result, mark: node.mark)
        }
        return try canonicalNumber(node, at: path)
    }
}
