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

    // Factor form (fields 13–17, protocols/README.md "Factor form"): ρ(i, j) for i ≠ j is 0 unless both assets
    // are admitted, else (1 − w)·clamp(Σ_f L[i·k+f]·L[j·k+f], −1, 1) + w·F. The defaults are the full form.

    /// Number of factors k when the matrix goes out in factor form (fields 13–17); 0 (default) for the triangle.
    var factorCount: Int { get }
    /// Appends the asset's k correlation loadings, in factor order.
    func appendLoadings(asset: Int, to elements: inout ProtobufWriter.PackedElements)
    /// Whether the asset is admitted to the correlation matrix (factor form).
    func isAdmitted(_ asset: Int) -> Bool
    /// Whether the asset's pairs can be ready (factor form).
    func isReady(_ asset: Int) -> Bool
    /// The shrinkage target F off the diagonal (factor form).
    var shrinkageTarget: Double { get }
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

    /// 0: the full form (the triangle of fields 6 and 7).
    public var factorCount: Int { 0 }

    /// None: the full form has no loadings. A matrix with `factorCount` > 0 must append its k loadings (the
    /// writer traps on a short field).
    public func appendLoadings(asset: Int, to elements: inout ProtobufWriter.PackedElements) {}

    /// Every asset (only read in factor form).
    public func isAdmitted(_ asset: Int) -> Bool { true }

    /// The asset's diagonal `isPairReady(asset, asset)` (only read in factor form).
    public func isReady(_ asset: Int) -> Bool { isPairReady(asset, asset) }

    /// 0, the identity target (only read in factor form).
    public var shrinkageTarget: Double { 0 }
}
