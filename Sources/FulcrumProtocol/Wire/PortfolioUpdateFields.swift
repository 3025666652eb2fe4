
/// The field values of one `fulcrum.v1.PortfolioUpdate`, the per-asset and per-pair ones read from `matrix`
/// while encoding, so that encoding allocates nothing once the output buffer has grown.
///
/// ``encode(into:)`` writes the bytes `serializedBytes()` of the equivalent generated message gives: fields in
/// ascending number, scalars only when they differ from their proto3 default (doubles by bit pattern), every
/// symbol (empty ones included) as its own length-delimited element, and, when there are symbols,
/// `sigma_horizon` (n doubles), `correlation` and `pair_ready` (the n·(n+1)/2 pairs of the upper triangle with
/// the diagonal, row-major) packed: 8 bytes per double, 1 per bool. When `matrix.factorCount` = k > 0 the matrix
/// goes out in factor form instead: no fields 6 and 7, and after field 12 `factor_count` (13), the n·k loadings
/// symbol-major (14), `correlation_admitted` (15) and `symbol_ready` (16) (n bools each) packed, and
/// `shrinkage_target` (17) when not +0.0: O(n·k) bytes instead of O(n²).
public struct PortfolioUpdateFields<Matrix: PortfolioMatrix> {
    /// Field 1.
    public var publisherEpoch: UInt64
    /// Field 2: grid boundary, event time.
    public var asOfNs: Int64
    /// Field 3.
    public var gridStep: UInt64
    /// Field 4; `matrix` covers assets `0..<symbols.count`.
    public var symbols: [String]
    /// Fields 5, 6 and 7, or 5 and 13–17 in factor form.
    public var matrix: Matrix
    /// Field 8.
    public var shrinkageIntensity: Double
    /// Field 9.
    public var horizonNs: Int64
    /// Field 10.
    public var maxOffsetFraction: Double
    /// Field 11.
    public var coverageEpsilon: Double
    /// Field 12.
    public var configHash: UInt64

    /// Appends the encoded message to `writer`.

    /// Creates the fields of one message.
    public init(publisherEpoch: UInt64,
                asOfNs: Int64,
                gridStep: UInt64,
                symbols: [String],
                matrix: Matrix,
                shrinkageIntensity: Double,
                horizonNs: Int64,
                maxOffsetFraction: Double,
                coverageEpsilon: Double,
                configHash: UInt64) {
        self.publisherEpoch = publisherEpoch
        self.asOfNs = asOfNs
        self.gridStep = gridStep
        self.symbols = symbols
        self.matrix = matrix
        self.shrinkageIntensity = shrinkageIntensity
        self.horizonNs = horizonNs
        self.maxOffsetFraction = maxOffsetFraction
        self.coverageEpsilon = coverageEpsilon
        self.configHash = configHash
    }

    /// Writes the message's fields.
    public func encode(into writer: inout ProtobufWriter) {
        if publisherEpoch != 0 { writer.write(1, uint64: publisherEpoch) }
        if asOfNs != 0 { writer.write(2, int64: asOfNs) }
        if gridStep != 0 { writer.write(3, uint64: gridStep) }
        for symbol in symbols { writer.write(4, string: symbol) }
        let count = symbols.count
        let pairs = count * (count + 1) / 2
        let factors = matrix.factorCount
        precondition(factors >= 0 && factors <= Int(UInt32.max), "factor count \(factors) outside uint32")
        if count > 0 {
            writer.writePacked(5, byteCount: 8 * count) { elements in
                for asset in 0..<count { elements.append(matrix.sigmaHorizon(asset)) }
            }
            if factors == 0 {
                writer.writePacked(6, byteCount: 8 * pairs) { elements in
                    for row in 0..<count { matrix.appendCorrelations(row: row, count: count, to: &elements) }
                }
                writer.writePacked(7, byteCount: pairs) { elements in
                    for row in 0..<count { matrix.appendPairReadiness(row: row, count: count, to: &elements) }
                }
            }
        }
        if shrinkageIntensity.bitPattern != 0 { writer.write(8, double: shrinkageIntensity) }
        if horizonNs != 0 { writer.write(9, int64: horizonNs) }
        if maxOffsetFraction.bitPattern != 0 { writer.write(10, double: maxOffsetFraction) }
        if coverageEpsilon.bitPattern != 0 { writer.write(11, double: coverageEpsilon) }
        if configHash != 0 { writer.write(12, fixed64: configHash) }
        if factors > 0 { encodeFactorForm(factors: factors, count: count, into: &writer) }
    }

    /// Fields 13–17 of the factor form, in field-number order.
    private func encodeFactorForm(factors: Int, count: Int, into writer: inout ProtobufWriter) {
        writer.write(13, uint32: UInt32(factors))
        if count > 0 {
            writer.writePacked(14, byteCount: 8 * count * factors) { elements in
                for asset in 0..<count { matrix.appendLoadings(asset: asset, to: &elements) }
            }
            writer.writePacked(15, byteCount: count) { elements in
                for asset in 0..<count { elements.append(matrix.isAdmitted(asset)) }
            }
            writer.writePacked(16, byteCount: count) { elements in
                for asset in 0..<count { elements.append(matrix.isReady(asset)) }
            }
        }
        let target = matrix.shrinkageTarget
        if target.bitPattern != 0 { writer.write(17, double: target) }
    }
}
