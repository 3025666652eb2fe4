/// A fixed portfolio whose margin coverage is tracked: signed notionals per symbol (long > 0, short < 0).
public struct PortfolioDefinition: Sendable, Hashable, Codable {
    /// Name used in reports, e.g. `btc-eth-basis`.
    public var name: String
    /// Signed position notional per symbol.
    public var positions: [String: Double]

    /// Creates a definition.
    public init(name: String, positions: [String: Double]) {
        self.name = name
        self.positions = positions
    }

    /// The positions ordered by symbol, so that everything derived from them is reproducible.
    public var sortedPositions: [(symbol: String, notional: Double)] {
        positions.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
