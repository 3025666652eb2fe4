/// The per-asset and per-pair values of a `fulcrum.v1.PortfolioUpdate`, read while it is encoded so that they
/// need no intermediate arrays.
public protocol PortfolioMatrix {
    /// Horizon volatility of `asset`.
    func sigmaHorizon(_ asset: Int) -> Double
    /// Shrunk correlation of the pair (`row` ≤ `column`).
    func correlation(_ row: Int, _ column: Int) -> Double
    /// Whether the pair (`row` ≤ `column`) has enough history for offsets.
    func isPairReady(_ row: Int, _ column: Int) -> Bool
    /// Appends `correlation(row, column)` for column in `row..<count`, in order. The default reads them one by
    /// one; a matrix that can produce a whole row in one pass overrides it (the values must be the same bits).
    func appendCorrelations(row: Int, count: Int, to elements: inout ProtobufWriter.PackedElements)
    /// Appends `isPairReady(row, column)` for column in `row..<count`, in order (default: one by one).
    func appendPairReadiness(row: Int, count: Int, to elements: inout ProtobufWriter.PackedElements)
}

extension PortfolioMatrix {
    /// One `correlation` call per pair.
    public func appendCorrelations(row: Int, count: Int, to elements: inout ProtobufWriter.PackedElements) {
        for column in row..<count { elements.append(correlation(row, column)) }
    }

    /// One `isPairReady` call per pair.
    public func appendPairReadiness(row: Int, count: Int, to elements: inout ProtobufWriter.PackedElements) {
        for column in row..<count { elements.append(isPairReady(row, column)) }
    }
}
