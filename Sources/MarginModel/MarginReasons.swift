/// Reason codes attached to an update: why the published value differs from the target, and which rules shaped
/// the target. Stored as a bit set so that an update carries them without allocation.
public struct MarginReasons: OptionSet, Sendable, Hashable, Codable {
    /// The raw bits.
    public var rawValue: UInt32

    /// Creates a set from raw bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// A rate-limited change was clipped to `governance.maximumRelativeStep`.
    public static let stepLimited = MarginReasons(rawValue: 1 << 0)
    /// A rate-limited change waits for `governance.cooldownNs` to elapse.
    public static let cooldown = MarginReasons(rawValue: 1 << 1)
    /// The change is below `governance.hysteresisBasisPoints` and waits for the periodic refresh.
    public static let hysteresis = MarginReasons(rawValue: 1 << 2)
    /// This update is a periodic refresh.
    public static let periodicRefresh = MarginReasons(rawValue: 1 << 3)
    /// A floor (IMF, MMF or leverage cap) raised the target.
    public static let floorApplied = MarginReasons(rawValue: 1 << 4)
    /// The IMF cap lowered the target.
    public static let capApplied = MarginReasons(rawValue: 1 << 5)
    /// The stressed-volatility floor raised the target.
    public static let antiProcyclicalFloor = MarginReasons(rawValue: 1 << 6)
    /// The anti-procyclical buffer is included in the target.
    public static let antiProcyclicalBuffer = MarginReasons(rawValue: 1 << 7)
    /// The circuit breaker is active because of a shock.
    public static let circuitBreakerShock = MarginReasons(rawValue: 1 << 8)
    /// The circuit breaker is active because the feed is stale.
    public static let circuitBreakerStale = MarginReasons(rawValue: 1 << 9)
    /// The parametric Student-t fallback replaced filtered historical simulation.
    public static let parametricFallback = MarginReasons(rawValue: 1 << 10)
    /// An input was NaN, infinite or negative and was replaced (last valid σ, or treated as a shock).
    public static let invalidInput = MarginReasons(rawValue: 1 << 11)
    /// No ADV is known: a single tier with `liquidation.unknownLiquidityCostFraction` is used.
    public static let liquidityUnknown = MarginReasons(rawValue: 1 << 12)
    /// IMF was raised to keep MMF ≤ IMF.
    public static let invariantAdjusted = MarginReasons(rawValue: 1 << 13)
    /// The circuit breaker raised the published values to the stressed target at once.
    public static let circuitBreakerOverride = MarginReasons(rawValue: 1 << 14)
    /// The per-asset maximum leverage raised IMF.
    public static let leverageCapped = MarginReasons(rawValue: 1 << 15)
    /// σ was widened by the coverage widening rule while the asset's live coverage is out of the green zone.
    public static let coverageWidening = MarginReasons(rawValue: 1 << 16)
    /// The tiers and their liquidation costs come from the live order books' impact curve, not the √-impact/ADV
    /// model (``LiquidityConfiguration``).
    public static let bookImpact = MarginReasons(rawValue: 1 << 17)
    /// Live open interest raised IMF (dYdX open-interest scaling).
    public static let openInterestScaled = MarginReasons(rawValue: 1 << 18)
    /// Open interest of more than a day's liquidation capacity added the concentration add-on to MMF.
    public static let concentrationAddOn = MarginReasons(rawValue: 1 << 19)
    /// The circuit breaker is active because of a liquidation cascade (liquidated notional beyond the book's depth).
    public static let circuitBreakerLiquidations = MarginReasons(rawValue: 1 << 20)
    /// Protocol health raised the target: the open positions' stressed bad debt exceeds its share of the
    /// insurance fund and this market drives it (``AssetRiskInputs/healthMultiplier``).
    public static let protocolHealth = MarginReasons(rawValue: 1 << 21)

    /// Stable names of the set bits, for text renderings and logs.
    public var names: [String] {
        Self.allNamed.filter { contains($0.0) }.map(\.1)
    }

    static let allNamed: [(MarginReasons, String)] = [
        (.stepLimited, "stepLimited"), (.cooldown, "cooldown"), (.hysteresis, "hysteresis"),
        (.periodicRefresh, "periodicRefresh"), (.floorApplied, "floorApplied"), (.capApplied, "capApplied"),
        (.antiProcyclicalFloor, "antiProcyclicalFloor"), (.antiProcyclicalBuffer, "antiProcyclicalBuffer"),
        (.circuitBreakerShock, "circuitBreakerShock"), (.circuitBreakerStale, "circuitBreakerStale"),
        (.parametricFallback, "parametricFallback"), (.invalidInput, "invalidInput"),
        (.liquidityUnknown, "liquidityUnknown"), (.invariantAdjusted, "invariantAdjusted"),
        (.circuitBreakerOverride, "circuitBreakerOverride"), (.leverageCapped, "leverageCapped"),
        (.coverageWidening, "coverageWidening"), (.bookImpact, "bookImpact"),
        (.openInterestScaled, "openInterestScaled"), (.concentrationAddOn, "concentrationAddOn"),
        (.circuitBreakerLiquidations, "circuitBreakerLiquidations"), (.protocolHealth, "protocolHealth"),
    ]
}
