import FulcrumSettings
import Yams

extension ConfigurationLoader {
    /// Refuses a string key given a plain scalar that YAML reads as another type: a number (`1`, `1e9`), a boolean
    /// (`yes`, `off`) or null (`~`, nothing). Yams' decoder reads any scalar as a string, so a key that takes a word
    /// (`mode: off`) or a name would otherwise take such a value silently; written in quotes it is a string.
    ///
    /// Such a word is refused even where it is one of the key's words (`mode: off`): the file then means the same
    /// to every YAML 1.1 reader (PyYAML reads `off` as `False`), and the error says to quote it.
    ///
    /// `configuration` is encoded again and compared with the node it was decoded from, `merged`: a key whose
    /// decoded string is the text of such a scalar took its value from it.
    static func checkStrings<Root: Encodable>(of configuration: Root, readFrom merged: Node,
                                             choices: [String: [String]]) throws(ConfigurationError) {
        // Encoding what was just decoded does not fail; should it, the decoder has had the last word.
        guard let decoded = try? encode(configuration) else { return }
        try checkStrings(merged, decoded, at: ConfigurationPath(), choices: choices)
    }

    private static func checkStrings(_ merged: Node, _ decoded: Node, at path: ConfigurationPath,
                                     choices: [String: [String]]) throws(ConfigurationError) {
        switch (merged, decoded) {
        case (.mapping, .mapping):
            guard let entries = try merged.entries(at: path), let values = try decoded.entries(at: path) else { return }
            for entry in entries {
                guard let value = values.value(named: entry.name) else { continue }
                try checkStrings(entry.value, value, at: path.appending(entry.name), choices: choices)
            }
        case (.sequence(let items), .sequence(let values)):
            for (index, (item, value)) in zip(items, values).enumerated() {
                try checkStrings(item, value, at: path.appending(index: index), choices: choices)
            }
        case (.scalar(let scalar), .scalar(let string)):
            let kind = merged.kind
            guard decoded.kind == .string, scalar.string == string.string,
                  [.integer, .number, .boolean, .null].contains(kind) else { return }
            throw ConfigurationError(key: path.key, value: merged.rendered,
                                     allowed: ConfigurationError.allowed(at: path, choices, .string),
                                     message: kind == .null ? "missing value" : quoteHint(scalar.string, kind),
                                     mark: scalar.mark)
        default:
            return
        }
    }

    /// The message of a word YAML 1.1 reads as another type (`off` a boolean, `1e3` a number): write it in quotes.
    static func quoteHint(_ text: String, _ kind: Node.Kind) -> String {
        let type = kind == .boolean ? "a boolean" : "a number"
        return "YAML reads \(text) unquoted as \(type); write \"\(text)\" in quotes"
    }
}
