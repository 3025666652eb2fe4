import ConfigurationLoading
import Foundation
import FulcrumService

/// Configuration files written from typed values, for processes and commands that read one (`fulcrum run
/// --config`, `fulcrum backtest --config`, `fulcrum config check`).
extension FulcrumConfiguration {
    /// The text of a configuration file that sets every key to this configuration's value: JSON, which YAML
    /// includes, so ``ConfigurationLoader`` reads it as any other file.
    ///
    /// JSON rather than Yams' `YAMLEncoder` (6.2): that one writes most `Double`s (all between 1e-4 and 1e17)
    /// with 15 significant digits, so that 0.1 + 0.2 loads as 0.3 and 1/3 as 0.333333333333333; `JSONEncoder`
    /// writes the shortest text that reads back as the same `Double`, and is what the loader builds its tree of
    /// defaults with. A value JSON cannot hold (an infinite or NaN `Double`) throws `EncodingError`, as the
    /// loader would.
    public func configurationFileText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// Writes ``configurationFileText()`` to `path`, then loads the file as `fulcrum` does (over
    /// `FulcrumConfiguration()`, without environment overrides): throws the loader's `ConfigurationError` when it
    /// does not load, and ``ConfigurationFileMismatch``, naming each key that differs, when it would load as
    /// another configuration.
    ///
    /// A file cannot express every value. `model.portfolio.degreesOfFreedom` set to `nil` (the normal
    /// distribution) has no key to write and the loader refuses `null`, so the default ν = 4 would load; a
    /// `simulator.market.seed` beyond `Int64.max` is read as a `Double`, so that another seed loads, or none.
    public func writeConfigurationFile(to path: String) throws {
        try configurationFileText().write(toFile: path, atomically: true, encoding: .utf8)
        let loaded = try ConfigurationLoader.load(FulcrumConfiguration.self, defaults: FulcrumConfiguration(),
                                                  path: path)
        if let mismatch = try ConfigurationFileMismatch(path: path, written: self, loaded: loaded) { throw mismatch }
    }
}
