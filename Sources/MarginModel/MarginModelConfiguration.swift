/// Every setting of the margin model, with documented defaults; validated once with `validate()`.
///
/// The configuration is a plain value: two equal configurations produce the same parameters from the same inputs,
/// and `configurationHash` (a stable FNV-1a digest of a canonical encoding) identifies it in every published update.
public struct MarginModelConfiguration: Sendable, Hashable, Codable {
    /// Coverage target: tail probability, risk measure, liquidation horizon, FHS and fallback settings.
    public var coverage: Coverage
    /// Cost of liquidating a position: fixed costs and square-root market impact.
    public var liquidation: Liquidation
    /// Initial/maintenance relation, leverage ladder, floors and caps.
    public var leverage: Leverage
    /// Size tiers (notional brackets).
    public var tiers: Tiers
    /// Rules that govern how published values follow their targets.
    public var governance: Governance
    /// Anti-procyclicality tool.
    public var antiProcyclicality: AntiProcyclicality
    /// Shock and staleness circuit breaker.
    public var circuitBreaker: CircuitBreaker
    /// Portfolio (cross-margin) offsets.
    public var portfolio: PortfolioMarginConfiguration
    /// Per-asset overrides, keyed by asset symbol. Absent fields fall back to the global values.
    public var assetOverrides: [String: AssetOverrides]
    /// Order-book impact, open-interest crowding and the liquidation-cascade breaker.
    public var liquidity: LiquidityConfiguration = LiquidityConfiguration()

    /// Creates a configuration; every argument defaults to the documented production default.
    public init(
        coverage: Coverage = Coverage(),
        liquidation: Liquidation = Liquidation(),
        leverage: Leverage = Leverage(),
        tiers: Tiers = Tiers(),
        governance: Governance = Governance(),
        antiProcyclicality: AntiProcyclicality = AntiProcyclicality(),
        circuitBreaker: CircuitBreaker = CircuitBreaker(),
        portfolio: PortfolioMarginConfiguration = PortfolioMarginConfiguration(),
        assetOverrides: [String: AssetOverrides] = [:]
    ) {
        self.coverage = coverage
        self.liquidation = liquidation
        self.leverage = leverage
        self.tiers = tiers
        self.governance = governance
        self.antiProcyclicality = antiProcyclicality
        self.circuitBreaker = circuitBreaker
        self.portfolio = portfolio
        self.assetOverrides = assetOverrides
    }

    /// The most size tiers an asset can have; tier tables are stored inline with this capacity.
    public static let maximumTierCount = MarginTierTable.capacity
}
