/// Helpers that turn a failed range check into a `MarginModelError` naming key, value and allowed range.
enum ConfigurationCheck {
    /// Throws `.invalidConfiguration` unless `condition` holds. NaN fails every range check by construction,
    /// because all conditions are written as comparisons that are false for NaN.
    static func require<Value>(_ condition: Bool, _ key: String, _ value: Value, _ allowed: String) throws {
        guard condition else {
            let text = "\(value)"
            var error = MarginModelError(
                code: .invalidConfiguration,
                message: "\(key) = \(text) is not allowed; expected \(allowed)",
                context: key
            )
            error.value = text
            error.allowed = allowed
            throw error
        }
    }

    /// `require` with every key written under a prefix: the section's path in a larger configuration file.
    struct Prefixed {
        /// Path of the section, without a trailing dot; empty for keys relative to the model's root.
        let prefix: String

        /// `key` under the prefix.
        func key(_ key: String) -> String {
            prefix.isEmpty ? key : "\(prefix).\(key)"
        }

        func require<Value>(_ condition: Bool, _ key: String, _ value: Value, _ allowed: String) throws {
            try ConfigurationCheck.require(condition, self.key(key), value, allowed)
        }
    }
}
