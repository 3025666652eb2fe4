import ConfigurationLoading
import FulcrumSettings

extension FulcrumConfiguration {
    /// Every problem of a configuration file and environment, as `fulcrum config check` reports them, and the
    /// configuration when there is none.
    public struct CheckResult {
        /// The effective configuration, `nil` when there are problems.
        public var configuration: FulcrumConfiguration?
        /// The problems, in the order they were found: ``ConfigurationError``s, and at most one error of another
        /// kind (a key file that cannot be read), after which the check stops.
        public var problems: [any Error]
    }

    /// Loads and validates the file at `path` under `environment` (as ``load(path:environment:omitting:)`` and
    /// ``validate()``), reporting every error rather than the first.
    ///
    /// After each error the check loads again without the key it names, taken out of the file (or the
    /// `FULCRUM__…` variable that set it dropped) so that the key falls back to its default, until the
    /// configuration is valid. It stops when an error cannot be set aside that way: one with no key (unreadable
    /// file, YAML syntax), one whose key the file and environment do not name, or one whose key was already
    /// taken out (its default fails too, as `ingest.feeds` with no feed); nothing is reported twice.
    /// `adjust` turns the loaded configuration into the one validated (`forBacktest`).
    public static func check(path: String?, environment: [String: String],
                             adjust: (FulcrumConfiguration) -> FulcrumConfiguration = { $0 }) -> CheckResult {
        var problems: [any Error] = []
        var omitted: Set<String> = []
        var environment = environment
        // Each round takes out one key the file or environment names; a bound in case the rounds do not converge.
        for _ in 0..<256 {
            do {
                let configuration = adjust(try load(path: path, environment: environment, omitting: omitted))
                try configuration.validate()
                return CheckResult(configuration: problems.isEmpty ? configuration : nil, problems: problems)
            } catch var error as ConfigurationError {
                error = Self.unitHint(error)
                let variables = environment.keys.filter { Self.variable($0, names: error.key) }
                if error.key.isEmpty || omitted.contains(error.key) && variables.isEmpty {
                    if !omitted.contains(error.key) { problems.append(error) }
                    break
                }
                problems.append(error)
                if variables.isEmpty {
                    omitted.insert(error.key)
                } else {
                    variables.forEach { environment[$0] = nil }
                }
            } catch {
                problems.append(error)
                break
            }
        }
        return CheckResult(configuration: nil, problems: problems)
    }

    /// Whether the environment variable `name` is `key` itself (an unknown variable) or sets it
    /// (`FULCRUM__HTTP__FEED_FRESHNESS` sets `http.feedFreshness`).
    static func variable(_ name: String, names key: String) -> Bool {
        guard name.hasPrefix("FULCRUM__") else { return false }
        if name == key { return true }
        func squash(_ text: some StringProtocol) -> String { text.lowercased().replacingOccurrences(of: "_", with: "") }
        let path = name.dropFirst("FULCRUM__".count).components(separatedBy: "__").map(squash)
        let steps = key.split(separator: ".").map(squash)
        return path == steps
    }

    /// `error` with the unit of a duration key said, when the key was given a bare number: a value out of range
    /// there is often a number of seconds read as nanoseconds (`halfLife: 60`).
    static func unitHint(_ error: ConfigurationError) -> ConfigurationError {
        guard let value = Int64(error.value), value != 0,
              ConfigurationLoader.isDuration(error.key, in: FulcrumConfiguration.self, defaults: FulcrumConfiguration())
        else { return error }
        var error = error
        error.message += " (\(value) without a unit is \(value) nanoseconds; write the unit, e.g. \(value)s or "
            + "\(value)ms)"
        return error
    }
}
