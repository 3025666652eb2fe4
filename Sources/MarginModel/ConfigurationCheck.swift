/// Helpers that turn a failed range check into a `MarginModelError` naming key, value and allowed range.
enum ConfigurationCheck {
    /// Throws `.invalidConfiguration` unless `condition` holds. NaN fails every range check by construction,
    /// because all conditions are written as comparisons that are false for NaN.
    static func require<Value>(_ condition: Bool, _ key: String, _ value: Value, _ allowed: String) throws {
        guard condition else {
            throw MarginModelError(
                code: .invalidConfiguration,
                message: "\(key) = \(value) is not allowed; expected \(allowed)",
                context: key
            )
        }
    }
}
