import FulcrumSettings

/// Health-constrained margins (`health.marginConstraint`, opt-in): when the bad debt at risk of the open
/// positions exceeds ``maximumFundShare`` of the insurance fund, the target margins of the markets that drive it
/// are raised by the smallest of ``multipliers`` whose proposal brings it back under the limit (the largest when
/// none does). Raised targets reach the published margins through the governor like any other: up at once in
/// bounded steps, down slowly. See protocols/README.md, "Health-constrained margins".
public struct HealthMarginConstraint: Sendable, Codable, Hashable {
    /// Whether health may raise margins. Default: false.
    public var enabled = false
    /// The bad debt at risk allowed, as a share of `health.insuranceFund`. Default: 0.5. Allowed: > 0 … 10.
    public var maximumFundShare = 0.5
    /// The multipliers of a driving market's target IMF and MMF that are tried, ascending. Default: 1.25, 1.5,
    /// 2, 3. Allowed: finite, > 1, ≤ 10, ascending, at least one.
    public var multipliers: [Double] = [1.25, 1.5, 2, 3]
    /// A market drives the bad debt when its share of the tail bad debt is at least this. Default: 0.1.
    /// Allowed: > 0 … 1.
    public var driverShare = 0.1

    /// The defaults (off).
    public init() {}

    /// Checks every setting.
    ///
    /// - Throws: ``ConfigurationError`` naming the key.
    public func validate() throws {
        func fail(_ key: String, _ value: Any, _ allowed: String) -> ConfigurationError {
            ConfigurationError(key: "health.marginConstraint.\(key)", value: "\(value)", allowed: allowed)
        }
        guard maximumFundShare.isFinite, maximumFundShare > 0, maximumFundShare <= 10 else {
            throw fail("maximumFundShare", maximumFundShare, "> 0 … 10")
        }
        guard !multipliers.isEmpty, multipliers.allSatisfy({ $0.isFinite && $0 > 1 && $0 <= 10 }),
              zip(multipliers, multipliers.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw fail("multipliers", multipliers, "ascending finite values in (1, 10], at least one")
        }
        guard driverShare.isFinite, driverShare > 0, driverShare <= 1 else {
            throw fail("driverShare", driverShare, "> 0 … 1")
        }
    }
}
