import FulcrumSettings

/// Settings of coverage tracking: the running service scores the margins it published one horizon ago against
/// what the price then did, and publishes the result with every update (`RiskParameters.coverage`).
///
/// Under `coverage` in the service configuration; backtests use the same settings.
public struct CoverageConfiguration: Sendable, Hashable, Codable {
    /// Track and publish coverage. Default true (one comparison per asset per grid step).
    public var enabled: Bool = true
    /// Length of the rolling window the published statistics cover, in horizons. Default 250 (the Basel
    /// convention). Allowed: 1 … 100,000.
    public var window: Int = 250
    /// Also score margins published while an asset is warming up (the conservative defaults). Default false.
    public var includeWarming: Bool = false
    /// Widen margins while coverage is out of the green zone. Default off.
    public var widening: CoverageWidening = CoverageWidening()
    /// Portfolios whose portfolio margin is scored too (in backtest reports). Default none.
    public var portfolios: [PortfolioDefinition] = []

    /// The defaults.
    public init() {}

    /// Checks every value; `keyPrefix`, the path of the section, prefixes the keys in the error.
    public func validate(keyPrefix: String = "coverage") throws(ConfigurationError) {
        let check = ConfigurationCheck(prefix: keyPrefix)
        try check.require((1...100_000).contains(window), "window", window, "1 … 100000")
        try widening.validate(keyPrefix: check.key("widening"))
        var names = Set<String>()
        for (index, portfolio) in portfolios.enumerated() {
            let entry = check.section("portfolios[\(index)]")
            try entry.require(!portfolio.name.isEmpty && names.insert(portfolio.name).inserted, "name", portfolio.name,
                              "a non-empty name used once", message: "invalid name")
            try entry.require(!portfolio.positions.isEmpty, "positions", "{}", "at least one symbol: notional",
                              message: "no positions")
            for (symbol, notional) in portfolio.sortedPositions {
                try entry.require(notional.isFinite && notional != 0, "positions.\(symbol)", notional,
                                  "a finite, non-zero signed notional")
            }
        }
    }
}
