/// The per-asset and per-pair values of a `fulcrum.v1.PortfolioUpdate`, read while it is encoded so that they
/// need no intermediate arrays.
public protocol PortfolioMatrix {
    /// Horizon volatility of `asset`.
    func sigmaHorizon(_ asset: Int) -> Double
    /// Shrunk correlation of the pair (`row` ≤ `column`).
    func correlation(_ row: Int, _ column: Int) -> Double
    /// Whether the pair (`row` ≤ `column`) has enough history for offsets.
    func isPairReady(_ row: Int, _ column: Int) -> Bool
}
