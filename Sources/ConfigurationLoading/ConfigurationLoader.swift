import Foundation
import FulcrumSettings
import Yams

/// Reads a configuration from YAML and environment variables on top of the built-in defaults.
///
/// Works on Yams nodes throughout: the defaults are encoded to a node, and the file's node (which keeps where each
/// value is written, for errors) is merged over it key by key: a key the defaults do not have is an error that
/// names it and lists the allowed ones; the entries of maps such as `model.assetOverrides` and the alternatives of
/// `estimation.shrinkage` are held to the keys their ``ConfigurationRules`` give; the items of lists such as
/// `ingest.feeds` merge over their item defaults. Then `FULCRUM__SECTION__KEY=value` environment variables override
/// single keys (matched without regard to case or underscores), and `YAMLDecoder` decodes the merged node.
///
/// Scalars mean what YAML's core schema says: `yes`/`no`/`on`/`off`/`true`/`false` are booleans, `1e9` and `0x10`
/// numbers, `~` null; quote a word to make it a string. Numbers and durations: a whole number fits an integer key in
/// any of YAML's forms (`1e9`, `2.0`, `1_000`); a key whose default is a number also takes a duration with a unit,
/// in nanoseconds (`250ms`, `1s`, `5m`, `2h`, `1d`), or a number in quotes.
public enum ConfigurationLoader {
    /// Loads `path` (or only defaults and environment when `nil`), applying the rules of a
    /// ``RuledConfiguration``.
    ///
    /// The keys in `omitting` (dotted as errors name them: `ingest.feeds[0].endpoint`) are taken out of the file
    /// first, as if it did not name them: a check that reports every error loads the file again without the keys
    /// already reported.
    public static func load<Root: Codable>(
        _ type: Root.Type, defaults: Root, path: String?, environment: [String: String] = [:],
        omitting: Set<String> = []
    ) throws(ConfigurationError) -> Root {
        let rules = (Root.self as? any RuledConfiguration.Type)?.configurationRules ?? ConfigurationRules()
        let schemas = try Schemas(rules, defaults: defaults)
        var node = try encode(defaults)
        if let path, var file = try read(path) {
            for key in omitting { file = file.removing(ConfigurationPath(key: key)) }
            node = try merge(file, into: node, at: ConfigurationPath(), schemas: schemas)
        }
        node = try applyEnvironment(environment, to: node, schemas: schemas)
        let configuration = try decode(type, from: node, choices: schemas.choices)
        try checkStrings(of: configuration, readFrom: node, choices: schemas.choices)
        return configuration
    }

    /// Whether `key` (dotted as errors name it) holds a duration in nanoseconds in a `Root` configuration: a key
    /// of ``ConfigurationRules/durations``, a ``NanosecondDuration`` or a key whose name ends in `Ns`.
    public static func isDuration<Root: Codable>(_ key: String, in type: Root.Type, defaults: Root) -> Bool {
        let rules = (Root.self as? any RuledConfiguration.Type)?.configurationRules ?? ConfigurationRules()
        guard let schemas = try? Schemas(rules, defaults: defaults) else { return false }
        return schemas.isDuration(ConfigurationPath(key: key))
    }

    /// The file's node, `nil` for a file without a document.
    static func read(_ path: String) throws(ConfigurationError) -> Node? {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigurationError(key: "", value: path, allowed: "a readable YAML file",
                                     message: "cannot read the file: \(Self.reason(reading: path, error))")
        }
        do {
            return try Yams.compose(yaml: text)
        } catch {
            throw ConfigurationError(key: "", value: path, allowed: "valid YAML", message: "\(error)")
        }
    }

    /// `value` as a node, without marks (they would point into the encoder's text, not the file).
    static func encode<Value: Encodable>(_ value: Value,
                                         recorder: DurationKeyRecorder? = nil) throws(ConfigurationError) -> Node {
        do {
            let userInfo = recorder.map { [DurationKeyRecorder.userInfoKey: $0 as Any] } ?? [:]
            // YAMLEncoder gives text only; composing it gives the nodes with the tags the encoder chose.
            return try Yams.compose(yaml: try YAMLEncoder().encode(value, userInfo: userInfo))?.unmarked
                ?? Node("", Tag(.null))
        } catch {
            throw ConfigurationError(key: "", value: "", allowed: "", message: "cannot encode defaults: \(error)")
        }
    }

    static func decode<Root: Decodable>(_ type: Root.Type, from node: Node,
                                        choices: [String: [String]]) throws(ConfigurationError) -> Root {
        do {
            return try YAMLDecoder().decode(type, from: node)
        } catch let error as DecodingError {
            throw ConfigurationError(decoding: error, in: node, choices: choices)
        } catch {
            throw ConfigurationError(key: "", value: "", allowed: "", message: "\(error)")
        }
    }

    /// The operating system's words for a failed read (`No such file or directory`), not Foundation's error dump.
    static func reason(reading path: String, _ error: any Error) -> String {
        if access(path, R_OK) != 0 { return String(cString: strerror(errno)) }
        if (error as? CocoaError)?.code == .fileReadInapplicableStringEncoding { return "not UTF-8 text" }
        return error.localizedDescription
    }
}
