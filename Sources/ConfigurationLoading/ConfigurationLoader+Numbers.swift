import Foundation
import FulcrumSettings

extension ConfigurationLoader {
    static func decodeOrThrow<Root: Decodable>(_ type: Root.Type, from tree: Any) throws -> Root {
        let data = try JSONSerialization.data(withJSONObject: tree, options: [.fragmentsAllowed])
        return try JSONDecoder().decode(type, from: data)
    }

    /// The number of `tree` that its key's type cannot hold (a fraction or an out-of-range value for an integer
    /// key), as an error naming it; `nil` when decoding does not fail for a number.
    ///
    /// Needed because JSONDecoder reports such a number as invalid JSON without a coding path. With every number
    /// set to 0 (which fits every numeric type) the tree must decode past that failure; then each number is put
    /// back alone, and the first that brings the failure back is the one to name. Runs only on that error.
    static func unrepresentableNumber<Root: Decodable>(_ type: Root.Type, in tree: Any) -> ConfigurationError? {
        var paths: [[PathStep]] = []
        collectNumbers(tree, path: [], into: &paths)
        var zeroed = tree
        for path in paths { zeroed = replacing(zeroed, at: path[...], with: 0) }
        guard !failsWithoutPath(type, zeroed) else { return nil }
        for path in paths {
            guard let value = value(of: tree, at: path[...]) else { continue }
            if failsWithoutPath(type, replacing(zeroed, at: path[...], with: value)) {
                let text = render(value)
                let fractional = (value as? NSNumber).map { $0.doubleValue.rounded() != $0.doubleValue } ?? false
                return ConfigurationError(key: key(of: path), value: text,
                                          allowed: fractional ? "a whole number" : "a whole number in range",
                                          message: "the number does not fit the key's type")
            }
        }
        return nil
    }

    /// One step into a tree: a key of a section or an index of a list.
    enum PathStep {
        case key(String)
        case index(Int)
    }

    static func key(of path: [PathStep]) -> String {
        path.reduce(into: "") { text, step in
            switch step {
            case .key(let name): text += (text.isEmpty ? "" : ".") + name
            case .index(let index): text += "[\(index)]"
            }
        }
    }

    static func failsWithoutPath<Root: Decodable>(_ type: Root.Type, _ tree: Any) -> Bool {
        do {
            _ = try decodeOrThrow(type, from: tree)
            return false
        } catch DecodingError.dataCorrupted(let context) {
            return context.codingPath.isEmpty
        } catch {
            return false
        }
    }

    static func collectNumbers(_ node: Any, path: [PathStep], into paths: inout [[PathStep]]) {
        switch node {
        case let section as [String: Any]:
            for (name, child) in section.sorted(by: { $0.key < $1.key }) {
                collectNumbers(child, path: path + [.key(name)], into: &paths)
            }
        case let list as [Any]:
            for (index, item) in list.enumerated() { collectNumbers(item, path: path + [.index(index)], into: &paths) }
        case let number as NSNumber where !isBoolean(number):
            paths.append(path)
        default:
            break
        }
    }

    static func value(of node: Any, at path: ArraySlice<PathStep>) -> Any? {
        guard let step = path.first else { return node }
        switch step {
        case .key(let name):
            return (node as? [String: Any])?[name].flatMap { value(of: $0, at: path.dropFirst()) }
        case .index(let index):
            guard let list = node as? [Any], index < list.count else { return nil }
            return value(of: list[index], at: path.dropFirst())
        }
    }

    static func replacing(_ node: Any, at path: ArraySlice<PathStep>, with replacement: Any) -> Any {
        guard let step = path.first else { return replacement }
        switch step {
        case .key(let name):
            guard var section = node as? [String: Any], let child = section[name] else { return node }
            section[name] = replacing(child, at: path.dropFirst(), with: replacement)
            return section
        case .index(let index):
            guard var list = node as? [Any], index < list.count else { return node }
            list[index] = replacing(list[index], at: path.dropFirst(), with: replacement)
            return list
        }
    }
}
