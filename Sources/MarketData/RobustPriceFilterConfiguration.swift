import FulcrumSettings

/// Tuning of the ``RobustPriceFilter``. Durations are event-time nanoseconds (exchange timestamps).
///
/// The trade-off these settings make: a tick that moves the price by more than
/// ``deviationThreshold`` robust standard deviations is held back until another venue or
/// ``confirmationWindow`` of persistence confirms it when other venues quote the symbol, or until the venue's
/// next tick when it quotes the symbol alone (a spike that reverts at that tick is quarantined, any other move
/// accepted and booked at its own time). Larger thresholds and shorter windows let genuine moves through sooner
/// but let bigger or longer single-venue spikes through too; smaller thresholds and longer windows reject more
/// spikes but delay genuine moves (by the time until a second venue prints the new level).
public struct RobustPriceFilterConfiguration: Sendable, Hashable, Codable {
    /// A venue's latest accepted price stops counting towards the reference median when it is older than this,
    /// relative to the newest exchange time seen for the symbol. Default: 10 s. Allowed: > 0.
    public var staleAfter: Int64
    /// `k`: a price deviates when `max(p/ref, ref/p) − 1 > k·σ`. Default: 6. Allowed: finite, > 0.
    public var deviationThreshold: Double
    /// Lower bound of the robust scale `σ` (relative price change). Keeps the band open in quiet markets, where
    /// identical prices would drive the scale to zero. Default: 0.0005 (5 bp, so the band is at least 0.3 %).
    /// Allowed: finite, > 0.
    public var scaleFloor: Double
    /// Upper bound of `σ`: however wild the recent changes, the band never exceeds `k·scaleCeiling`.
    /// Default: 0.05. Allowed: finite, ≥ ``scaleFloor``.
    public var scaleCeiling: Double
    /// `η`, the step of the exponentially weighted median tracker (each accepted tick moves the tracked median
    /// absolute deviation by a factor `1 + η` up or down; its memory is ~1/η ticks). Default: 0.02.
    /// Allowed: 0 < η < 1.
    public var scaleAdaptation: Double
    /// How long a venue must keep reporting a deviating level, with no other venue printing the old level in
    /// between, before the level is accepted; also how recent another venue's quarantined price must be to
    /// confirm it. Default: 2 s. Allowed: > 0.
    public var confirmationWindow: Int64
    /// How many venues (the ticking one included) must agree on a deviating level for it to be accepted at once.
    /// Default: 2. Allowed: ≥ 2.
    public var confirmingVenues: Int

    /// Creates a configuration; see each property for its default.
    public init(
        staleAfter: Int64 = 10_000_000_000,
        deviationThreshold: Double = 6,
        scaleFloor: Double = 0.0005,
        scaleCeiling: Double = 0.05,
        scaleAdaptation: Double = 0.02,
        confirmationWindow: Int64 = 2_000_000_000,
        confirmingVenues: Int = 2
    ) {
        self.staleAfter = staleAfter
        self.deviationThreshold = deviationThreshold
        self.scaleFloor = scaleFloor
        self.scaleCeiling = scaleCeiling
        self.scaleAdaptation = scaleAdaptation
        self.confirmationWindow = confirmationWindow
        self.confirmingVenues = confirmingVenues
    }

    /// Checks every setting; `keyPrefix`, the path of the section, prefixes the key in the error.
    ///
    /// - Throws: ``ConfigurationError`` naming the bad key, its value and what is allowed.
    public func validate(keyPrefix: String = "filter") throws(ConfigurationError) {
        func key(_ name: String) -> String { ConfigurationError.key(name, under: keyPrefix) }
        guard staleAfter > 0 else {
            throw ConfigurationError(key: key("staleAfter"), value: "\(staleAfter)", allowed: "> 0 ns")
        }
        guard deviationThreshold.isFinite, deviationThreshold > 0 else {
            throw ConfigurationError(
                key: key("deviationThreshold"), value: "\(deviationThreshold)", allowed: "finite, > 0")
        }
        guard scaleFloor.isFinite, scaleFloor > 0 else {
            throw ConfigurationError(key: key("scaleFloor"), value: "\(scaleFloor)", allowed: "finite, > 0")
        }
        guard scaleCeiling.isFinite, scaleCeiling >= scaleFloor else {
            throw ConfigurationError(
                key: key("scaleCeiling"), value: "\(scaleCeiling)", allowed: "finite, ≥ scaleFloor")
        }
        guard scaleAdaptation > 0, scaleAdaptation < 1 else {
            throw ConfigurationError(
                key: key("scaleAdaptation"), value: "\(scaleAdaptation)", allowed: "0 < η < 1")
        }
        guard confirmationWindow > 0 else {
            throw ConfigurationError(
                key: key("confirmationWindow"), value: "\(confirmationWindow)", allowed: "> 0 ns")
        }
        guard confirmingVenues >= 2 else {
            throw ConfigurationError(
                key: key("confirmingVenues"), value: "\(confirmingVenues)", allowed: "≥ 2")
        }
    }
}
