import FulcrumSettings


/// The optional rule that widens an asset's margins while its live coverage is out of the green zone.
///
/// The multiplier scales the volatility the optimizer is given (σ per step and the stressed σ), so the target
/// grows roughly in proportion and the published values follow under the usual governance: IMF at once, MMF by
/// bounded steps. In the spirit of the Basel plus-factor, which raises the capital multiplier by up to a third
/// in the yellow zone and by a third in the red. Updates carry `REASON_COVERAGE_WIDENING` while it applies.
public struct CoverageWidening: Sendable, Hashable, Codable {
    /// Apply the rule. Default false.
    public var enabled: Bool = false
    /// σ multiplier in the yellow zone. Default 1.25. Allowed: 1 … `redMultiplier`.
    public var yellowMultiplier: Double = 1.25
    /// σ multiplier in the red zone. Default 1.5. Allowed: `yellowMultiplier` … 10.
    public var redMultiplier: Double = 1.5

    /// The defaults (off).
    public init() {}

    /// The multiplier for `zone` (1 when the rule is off or the zone is green).
    public func multiplier(for zone: TrafficLightZone) -> Double {
        guard enabled else { return 1 }
        switch zone {
        case .green: return 1
        case .yellow: return yellowMultiplier
        case .red: return redMultiplier
        }
    }

    /// Checks the multipliers; `keyPrefix`, the path of the section, prefixes the keys in the error.
    public func validate(keyPrefix: String = "widening") throws(ConfigurationError) {
        let check = ConfigurationCheck(prefix: keyPrefix)
        try check.require(yellowMultiplier.isFinite && yellowMultiplier >= 1 && yellowMultiplier <= redMultiplier,
                          "yellowMultiplier", yellowMultiplier, "1 … redMultiplier")
        try check.require(redMultiplier.isFinite && redMultiplier <= 10, "redMultiplier", redMultiplier,
                          "yellowMultiplier … 10")
    }
}
