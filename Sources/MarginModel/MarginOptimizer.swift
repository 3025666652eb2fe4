/// Computes target and published margin parameters for a fixed set of assets, one asset update at a time.
///
/// Per update: the coverage target (FHS or Student-t fallback) sets the tail loss of long and short positions
/// over the liquidation horizon; the liquidation cost of each size tier is added; IMF, leverage, floors, caps and
/// anti-procyclicality shape the target tiers; `MarginGovernor` moves the published tiers towards them; the circuit
/// breaker overrides on shocks and stale feeds. Steady-state updates do not allocate: tier tables are inline and
/// the residual tail selection reuses its storage.
///
/// Horizon: residuals are one grid step; the H-horizon log return is taken as σ_H·q with σ_H = σ_step·√(H/Δ).
/// For H = Δ, q is the one-step residual quantile. For H of several steps q comes from the k-step standardized
/// moves of the residual history (`HorizonAggregation`; default `.filteredPaths`, consecutive residuals replayed
/// through the volatility filter), because √(H/Δ) times a one-step tail misses the volatility feedback inside
/// the horizon: under a leverage effect the multi-step left tail is fatter than √k times the one-step one.
///
/// A value type with no locks: own one per risk loop and call `update` from it.
public struct MarginOptimizer: Sendable {
    /// The configuration in force.
    public let configuration: MarginModelConfiguration
    /// Its `configurationHash`, stamped on every update.
    public let configurationHash: UInt64
    /// Asset symbols, indexed like the `asset` argument of `update`.
    public internal(set) var symbols: [String]

    var settings: [ResolvedAssetSettings]
    /// Student-t fallback tails, one per asset (shared storage for assets with the same ε).
    var fallbacks: [ParametricTail]
    var states: [AssetMarginState]
    var caches: [ResidualTailCache]
    /// Tails of the k-step residual blocks, one per asset (`HorizonAggregation`; empty for one-step horizons).
    var horizonCaches: [HorizonTailCache]
    /// Asset index of each symbol, so that adding an asset checks for duplicates in O(1) rather than O(assets).
    var assetIndex: [String: Int]
    /// The fallback tail of each ε in use, shared by the assets with that ε (built once per ε).
    var fallbackByTailProbability: [Double: ParametricTail]

    /// Creates an optimizer for `symbols` (asset i is `symbols[i]`); validates the configuration first.
    ///
    /// Throws a `ConfigurationError` for a bad configuration, or `MarginModelError.unknownAsset` for duplicate
    /// symbols. Overrides may name symbols not listed yet: they apply when ``addAsset(symbol:)`` adds them.
    public init(configuration: MarginModelConfiguration, symbols: [String]) throws {
        try configuration.validate()
        if Set(symbols).count != symbols.count {
            throw MarginModelError(code: .unknownAsset, message: "asset symbols must be unique",
                                   context: ["field": "symbols"])
        }
        self.configuration = configuration
        configurationHash = configuration.configurationHash
        self.symbols = symbols
        let settings = symbols.map { ResolvedAssetSettings(symbol: $0, configuration: configuration) }
        var fallbackCache: [Double: ParametricTail] = [:]
        let fallbacks = settings.map { setting in
            if let cached = fallbackCache[setting.tailProbability] { return cached }
            let tail = ParametricTail(tailProbability: setting.tailProbability,
                                      degreesOfFreedom: configuration.coverage.fallbackDegreesOfFreedom,
                                      referenceSampleSize: configuration.coverage.fallbackReferenceSampleSize)
            fallbackCache[setting.tailProbability] = tail
            return tail
        }
        self.settings = settings
        self.fallbacks = fallbacks
        fallbackByTailProbability = fallbackCache
        assetIndex = Dictionary(uniqueKeysWithValues: symbols.enumerated().map { ($1, $0) })
        states = Array(repeating: AssetMarginState(), count: symbols.count)
        caches = Array(repeating: ResidualTailCache(), count: symbols.count)
        horizonCaches = Array(repeating: HorizonTailCache(), count: symbols.count)
    }

    /// Number of assets.
    public var assetCount: Int { symbols.count }

    /// The overrides in force for an asset (empty when none are configured).
    public func overrides(ofAsset asset: Int) -> AssetOverrides {
        settings[asset].overrides
    }

    /// The governance settings in force for an asset: the global ones with its governance overrides applied.
    public func governance(ofAsset asset: Int) -> MarginModelConfiguration.Governance {
        settings[asset].overrides.governance?.resolved(over: configuration.governance) ?? configuration.governance
    }

    /// The governance memory of an asset, for checkpointing.
    public func state(ofAsset asset: Int) -> AssetMarginState {
        states[asset]
    }

    /// Restores checkpointed governance memory. Throws `.unknownAsset` for a bad index and `.incompatibleState`
    /// for a state whose published values are not finite or violate MMF ≤ IMF.
    public mutating func restore(_ state: AssetMarginState, asset: Int) throws {
        guard asset >= 0 && asset < symbols.count else {
            throw MarginModelError(code: .unknownAsset, message: "asset index \(asset) is out of range",
                                   context: ["field": "asset"])
        }
        for tier in state.published where !(tier.initialMarginFraction.isFinite
            && tier.maintenanceMarginFraction > 0 && tier.maintenanceMarginFraction <= tier.initialMarginFraction) {
            throw MarginModelError(code: .incompatibleState,
                                   message: "restored tiers must have finite 0 < MMF ≤ IMF",
                                   context: ["field": symbols[asset]])
        }
        states[asset] = state
    }
}
