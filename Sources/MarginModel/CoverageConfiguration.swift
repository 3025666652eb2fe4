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

    /// Checks every value; `context` prefixes the keys in the error.
    public func validate(context: String = "coverage") throws {
        guard (1...100_000).contains(window) else {
            throw MarginModelError.invalidConfiguration(key: "\(context).window", value: "\(window)",
                                                        allowed: "1 … 100000")
        }
        try widening.validate(context: "\(context).widening")
        var names = Set<String>()
        for (index, portfolio) in portfolios.enumerated() {
            let key = "\(context).portfolios[\(index)]"
            guard !portfolio.name.isEmpty, names.insert(portfolio.name).inserted else {
                throw MarginModelError.invalidConfiguration(key: "\(key).name", value: portfolio.name,
                                                            allowed: "a non-empty name used once")
            }
            guard !portfolio.positions.isEmpty else {
                throw MarginModelError.invalidConfiguration(key: "\(key).positions", value: "{}",
                                                            allowed: "at least one symbol: notional")
            }
            for (symbol, notional) in portfolio.sortedPositions where !(notional.isFinite && notional != 0) {
                throw MarginModelError.invalidConfiguration(key: "\(key).positions.\(symbol)", value: "\(notional)",
                                                            allowed: "a finite, non-zero signed notional")
            }
        }
    }
}
