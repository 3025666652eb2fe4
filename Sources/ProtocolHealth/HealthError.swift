import FulcrumSettings

/// An invalid input to the health model: a depth curve, a position, a scenario or a setting.
public struct HealthError: CodedError {
    /// What kind of input was refused.
    public enum Code: String, Sendable {
        /// A depth curve with no level, a negative or unordered offset, or a non-positive notional.
        case invalidDepth = "invalid_depth"
        /// A position or account field that is not finite or out of range.
        case invalidPosition = "invalid_position"
        /// A market index outside the markets configured.
        case unknownMarket = "unknown_market"
        /// A scenario whose shock vector does not match the markets, or whose shock is not finite or ≤ −100 %.
        case invalidScenario = "invalid_scenario"
        /// A setting out of its allowed range.
        case invalidSetting = "invalid_setting"
        /// The account or position table is full.
        case capacityExceeded = "capacity_exceeded"
        /// Shards whose health cannot be merged: other markets or another scenario set.
        case shardMismatch = "shard_mismatch"
    }

    /// The kind of error.
    public var code: Code
    /// What was wrong, for people.
    public var message: String
    /// Key–value details (for example the field).
    public var context: [String: String]

    /// Creates an error.
    public init(_ code: Code, _ message: String, context: [String: String] = [:]) {
        self.code = code
        self.message = message
        self.context = context
    }
}
