/// A symmetric correlation matrix passed as plain numbers, in one of two layouts.
public struct CorrelationMatrix: Sendable, Hashable, Codable {
    /// How `values` is laid out.
    public enum Layout: String, Sendable, Hashable, Codable {
        /// n·n values, row-major: ρᵢⱼ = values[i·n + j].
        case rowMajor
        /// n(n+1)/2 values of the lower triangle including the diagonal, row by row:
        /// ρᵢⱼ (j ≤ i) = values[i(i+1)/2 + j].
        case packedLowerTriangle
    }

    /// The matrix dimension n.
    public var dimension: Int
    /// The layout of `values`.
    public var layout: Layout
    /// The entries.
    public var values: [Double]

    /// Creates a matrix view over `values`.
    public init(dimension: Int, layout: Layout, values: [Double]) {
        self.dimension = dimension
        self.layout = layout
        self.values = values
    }

    /// True when `values` has the length the layout requires.
    public var isWellFormed: Bool {
        guard dimension >= 0 else { return false }
        switch layout {
        case .rowMajor: return values.count == dimension * dimension
        case .packedLowerTriangle: return values.count == dimension * (dimension + 1) / 2
        }
    }

    /// ρᵢⱼ (the matrix is symmetric; for row-major input the lower-triangle entry is read).
    @inline(__always)
    public func correlation(_ i: Int, _ j: Int) -> Double {
        let row = max(i, j)
        let column = min(i, j)
        switch layout {
        case .rowMajor: return values[row * dimension + column]
        case .packedLowerTriangle: return values[row * (row + 1) / 2 + column]
        }
    }
}
