
/// Realized coverage of a fixed portfolio's margin over non-overlapping horizons (as ``CoverageTracker`` does
/// for one asset). The portfolio is one position, so its exceptions are one-sided: target ε of the portfolio
/// margin's risk measure.
public struct PortfolioCoverageTracker: Sendable, Hashable {
    /// The portfolio's name.
    public let name: String
    /// Member symbols, sorted.
    public let symbols: [String]
    /// Signed notional of each member.
    public let notionals: [Double]
    /// Σ|wᵢ|.
    public let grossNotional: Double
    /// H, ns.
    public let horizonNs: Int64
    /// Exceptions over the whole run.
    public private(set) var statistics: CoverageStatistics
    /// Exceptions over the last `window` horizons.
    public private(set) var rolling: RollingCoverage
    /// Engine asset index of each member, -1 until the symbol is seen.
    public private(set) var assets: [Int]
    private var open = false
    private var startNs: Int64 = 0
    private var startMargin = 0.0
    private var startPrices: [Double]

    /// A tracker for `definition` at horizon H with target rate ε.
    public init(definition: PortfolioDefinition, horizonNs: Int64, tailProbability: Double, window: Int) {
        let positions = definition.sortedPositions
        name = definition.name
        symbols = positions.map(\.symbol)
        notionals = positions.map(\.notional)
        grossNotional = notionals.reduce(0) { $0 + abs($1) }
        self.horizonNs = max(horizonNs, 1)
        statistics = CoverageStatistics(targetRate: tailProbability)
        rolling = RollingCoverage(capacity: window, targetRate: tailProbability)
        assets = Array(repeating: -1, count: positions.count)
        startPrices = Array(repeating: 0, count: positions.count)
    }

    /// Whether every member has an engine asset.
    public var isResolved: Bool { !assets.contains(-1) }

    /// Binds `symbol` to engine asset `asset` if it is a member.
    public mutating func resolve(symbol: String, asset: Int) {
        if let member = symbols.firstIndex(of: symbol) { assets[member] = asset }
    }

    /// Feeds one grid step with each member's grid-sampled price (in member order) and the portfolio margin as a
    /// fraction of gross notional (nil when it cannot be formed, e.g. a member is warming up).
    public mutating func step(timeNs: Int64, prices: [Double], margin: Double?) -> PortfolioObservation? {
        let pricesValid = prices.count == symbols.count && prices.allSatisfy { $0.isFinite && $0 > 0 }
        var completed: PortfolioObservation?
        if open, timeNs - startNs >= horizonNs, pricesValid {
            var pnl = 0.0
            for member in notionals.indices { pnl += notionals[member] * (prices[member] / startPrices[member] - 1) }
            let observation = PortfolioObservation(startNs: startNs, endNs: timeNs, margin: startMargin,
                                                   loss: -pnl / grossNotional)
            statistics.record(exception: observation.isException)
            rolling.record(exception: observation.isException)
            open = false
            completed = observation
        }
        if !open, pricesValid, let margin, margin.isFinite, margin > 0 {
            open = true
            startNs = timeNs
            startMargin = margin
            for member in prices.indices { startPrices[member] = prices[member] }
        }
        return completed
    }
}

extension PortfolioCoverageTracker: Codable {
    enum CodingKeys: String, CodingKey {
        case name, symbols, notionals, grossNotional, horizonNs, statistics, rolling, assets, open, startNs
        case startMargin, startPrices
    }

    /// Encodes the definition, the member binding, the open horizon and both records, for checkpoints.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(symbols, forKey: .symbols)
        try container.encode(notionals, forKey: .notionals)
        try container.encode(grossNotional, forKey: .grossNotional)
        try container.encode(horizonNs, forKey: .horizonNs)
        try container.encode(statistics, forKey: .statistics)
        try container.encode(rolling, forKey: .rolling)
        try container.encode(assets, forKey: .assets)
        try container.encode(open, forKey: .open)
        try container.encode(startNs, forKey: .startNs)
        try container.encode(startMargin, forKey: .startMargin)
        try container.encode(startPrices, forKey: .startPrices)
    }

    /// Decodes a tracker written by `encode(to:)`. Throws `MarginModelError.incompatibleState` when the member arrays
    /// differ in length.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        symbols = try container.decode([String].self, forKey: .symbols)
        notionals = try container.decode([Double].self, forKey: .notionals)
        grossNotional = try container.decode(Double.self, forKey: .grossNotional)
        horizonNs = try container.decode(Int64.self, forKey: .horizonNs)
        statistics = try container.decode(CoverageStatistics.self, forKey: .statistics)
        rolling = try container.decode(RollingCoverage.self, forKey: .rolling)
        assets = try container.decode([Int].self, forKey: .assets)
        open = try container.decode(Bool.self, forKey: .open)
        startNs = try container.decode(Int64.self, forKey: .startNs)
        startMargin = try container.decode(Double.self, forKey: .startMargin)
        startPrices = try container.decode([Double].self, forKey: .startPrices)
        let count = symbols.count
        guard notionals.count == count, assets.count == count, startPrices.count == count else {
            throw MarginModelError(
                code: .incompatibleState,
                message: "portfolio \(name): \(count) symbols but \(notionals.count) notionals, \(assets.count) "
                    + "assets and \(startPrices.count) start prices",
                context: ["field": "portfolios"])
        }
    }
}
