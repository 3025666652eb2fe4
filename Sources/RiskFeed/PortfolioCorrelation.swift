import FulcrumProtocol

/// The correlation matrix of a `fulcrum.v1.PortfolioUpdate`, read entry by entry in either of its wire forms
/// (protocols/README.md, "Portfolio margin" and "Factor form"), without expanding it.
///
/// - Full form (`factor_count` = 0): `correlation` and `pair_ready` hold the upper triangle with the diagonal, row
///   by row; entry (r, c), r ≤ c, sits at r·n − r(r−1)/2 + (c − r). O(1) per entry.
/// - Factor form (`factor_count` = k > 0): ρ(i, i) = 1; for i ≠ j, 0 when either symbol is not admitted, else
///   (1 − w)·clamp(s, −1, 1) + w·F with w = `shrinkage_intensity`, F = `shrinkage_target` and
///   s = Σ_{f=0}^{k−1} L[i·k+f]·L[j·k+f] summed from 0 in ascending f, a multiply then an add per term (Swift
///   never fuses them unasked), which gives Fulcrum's own bits; `isPairReady(i, j)` = `symbol_ready[i]` ∧
///   `symbol_ready[j]`. O(k) per entry, so the m² pairs of m positions cost O(m²·k), never O(n²).
///
/// Creating one checks the counts against the n symbols (n(n+1)/2 triangle entries; n·k loadings and n flags of
/// each kind) and fails on a message that does not fit; the message's arrays are shared, not copied.
public struct PortfolioCorrelation: Sendable {
    /// The message read.
    public let portfolio: WirePortfolioUpdate
    /// Number of symbols n.
    public let count: Int
    /// Number of factors k; 0 for the full form.
    public let factorCount: Int

    /// Reads `portfolio`'s matrix, or `nil` when its correlation fields do not have the counts its symbols ask for.
    public init?(_ portfolio: WirePortfolioUpdate) {
        let n = portfolio.symbols.count
        let k = Int(portfolio.factorCount)
        if k > 0 {
            let (loadings, overflow) = n.multipliedReportingOverflow(by: k)
            guard !overflow, portfolio.correlationLoadings.count == loadings,
                  portfolio.correlationAdmitted.count == n, portfolio.symbolReady.count == n else { return nil }
        } else {
            guard portfolio.correlation.count == n * (n + 1) / 2,
                  portfolio.pairReady.count == n * (n + 1) / 2 else { return nil }
        }
        self.portfolio = portfolio
        self.count = n
        self.factorCount = k
    }

    /// Whether the message is in factor form.
    public var isFactorForm: Bool { factorCount > 0 }

    /// Position of the pair in the packed upper triangle (either order).
    @inline(__always)
    func packed(_ a: Int, _ b: Int) -> Int {
        let (row, column) = (min(a, b), max(a, b))
        return row * count - row * (row - 1) / 2 + (column - row)
    }

    /// ρ of symbols `i` and `j` (indices into `symbols`, either order, both `< count`).
    public func correlation(_ i: Int, _ j: Int) -> Double {
        precondition(i >= 0 && i < count && j >= 0 && j < count, "pair (\(i), \(j)) outside \(count) symbols")
        guard isFactorForm else { return portfolio.correlation[packed(i, j)] }
        if i == j { return 1 }
        guard portfolio.correlationAdmitted[i], portfolio.correlationAdmitted[j] else { return 0 }
        let k = factorCount
        let s = portfolio.correlationLoadings.withUnsafeBufferPointer { loadings in
            var sum = 0.0
            for factor in 0..<k {
                let product = loadings[i * k + factor] * loadings[j * k + factor]
                sum = sum + product
            }
            return sum
        }
        let w = portfolio.shrinkageIntensity
        return (1 - w) * min(max(s, -1), 1) + w * portfolio.shrinkageTarget
    }

    /// Whether the pair of symbols `i` and `j` has enough history for offsets.
    public func isPairReady(_ i: Int, _ j: Int) -> Bool {
        precondition(i >= 0 && i < count && j >= 0 && j < count, "pair (\(i), \(j)) outside \(count) symbols")
        guard isFactorForm else { return portfolio.pairReady[packed(i, j)] }
        return portfolio.symbolReady[i] && portfolio.symbolReady[j]
    }
}
