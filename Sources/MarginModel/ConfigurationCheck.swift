import FulcrumSettings

/// The checks of one configuration section: a failed one throws a `ConfigurationError` naming the key under the
/// section's path, the value and the allowed range.
struct ConfigurationCheck {
    /// Path of the section, without a trailing dot; empty for keys relative to the model's root.
    let prefix: String

    /// `name` under the prefix.
    func key(_ name: String) -> String {
        ConfigurationError.key(name, under: prefix)
    }

    /// The checks of the section `name` within this one.
    func section(_ name: String) -> ConfigurationCheck {
        ConfigurationCheck(prefix: key(name))
    }

    /// Throws unless `condition` holds. NaN fails every range check by construction, because all conditions are
    /// written as comparisons that are false for NaN.
    func require<Value>(_ condition: Bool, _ name: String, _ value: Value, _ allowed: String,
                        message: String = ConfigurationError.outOfRange) throws(ConfigurationError) {
        guard condition else {
            throw ConfigurationError(key: key(name), value: "\(value)", allowed: allowed, message: message)
        }
    }
}
