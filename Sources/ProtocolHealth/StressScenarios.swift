import RealModule

/// Sets of relative price shocks, one vector per scenario (one entry per market).
///
/// Three sources, as risk desks and CCPs combine them:
/// - **Filtered historical simulation**: a past grid step's standardized residuals z (one per market, drawn as a
///   row so that their correlation and joint tails are the market's own) scaled to today's horizon volatility:
///   s = exp(z·σ_H) − 1. Rows are drawn with a seeded SplitMix64 so that a run is reproducible.
/// - **Worst historical windows**: the rows whose shocks would have cost the current open interest the most.
/// - **Hypothetical** shocks given as they are (e.g. −10 %, −20 %, −30 % on a market or a basket).
public enum StressScenarios {
    /// `count` FHS scenarios from `residuals` (rows of standardized residuals, one column per market; NaN where
    /// a market has none, read as 0) and `horizonVolatility` per market.
    ///
    /// - Throws: ``HealthError`` when a row's width differs from the markets, or no row is given.
    public static func filteredHistorical(residuals: [[Double]], horizonVolatility: [Double], count: Int,
                                          seed: UInt64) throws(HealthError) -> [[Double]] {
        guard !residuals.isEmpty else { throw HealthError(.invalidScenario, "no residual history to draw from") }
        for row in residuals where row.count != horizonVolatility.count {
            throw HealthError(.invalidScenario, "a residual row has \(row.count) entries for "
                              + "\(horizonVolatility.count) markets")
        }
        var random = SplitMix64Stream(seed: seed)
        return (0..<count).map { _ in
            let row = residuals[Int(random.next() % UInt64(residuals.count))]
            return shocks(row, horizonVolatility)
        }
    }

    /// The `count` rows of `residuals` (scaled as above) with the largest loss to `exposure` (signed notional
    /// per market, long > 0): loss = −Σ exposureₘ·sₘ. Most costly first, ties by row.
    public static func worstHistorical(residuals: [[Double]], horizonVolatility: [Double], exposure: [Double],
                                       count: Int) -> [[Double]] {
        let scenarios = residuals.map { shocks($0, horizonVolatility) }
        let losses = scenarios.map { shock in -zip(shock, exposure).reduce(0) { $0 + $1.0 * $1.1 } }
        let order = losses.indices.sorted { losses[$0] != losses[$1] ? losses[$0] > losses[$1] : $0 < $1 }
        return order.prefix(count).map { scenarios[$0] }
    }

    private static func shocks(_ row: [Double], _ volatility: [Double]) -> [Double] {
        zip(row, volatility).map { z, sigma in z.isNaN ? 0 : Double.exp(z * sigma) - 1 }
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): the seeded generator the scenarios draw rows with; the reference script
/// implements the same recurrence.
struct SplitMix64Stream {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension StressScenarios {
    /// `count` joint Student-t scenarios with correlation matrix `correlation` (row-major, n²) and per-market
    /// horizon σ: z = L·ε·√((ν − 2)/ν)/√(χ²_ν/ν), a multivariate t with ν degrees of freedom scaled to unit variance,
    /// L the Cholesky factor of the correlation (made positive definite by shrinking towards the identity until the
    /// factorization succeeds), then s = exp(zₘσₘ) − 1. The parametric stand-in for filtered historical draws when
    /// no residual history is at hand; ν = 4 puts fat, jointly heavy tails on every market at once.
    ///
    /// - Throws: ``HealthError`` when the matrix is not n×n, or ν ≤ 2.
    public static func studentT(correlation: [Double], horizonVolatility: [Double], degreesOfFreedom: Double = 4,
                                count: Int, seed: UInt64) throws(HealthError) -> [[Double]] {
        let n = horizonVolatility.count
        guard correlation.count == n * n else {
            throw HealthError(.invalidScenario, "a correlation matrix of \(correlation.count) entries for \(n) markets")
        }
        guard degreesOfFreedom > 2 else {
            throw HealthError(.invalidScenario, "degrees of freedom \(degreesOfFreedom) must exceed 2")
        }
        let factor = CholeskyFactor(correlation: correlation, size: n)
        var random = SplitMix64Stream(seed: seed)
        let scale = ((degreesOfFreedom - 2) / degreesOfFreedom).squareRoot()
        return (0..<count).map { _ in
            let normals = (0..<n).map { _ in random.nextGaussian() }
            // χ²_ν / ν from ν standard normals squared (ν rounded to an integer: 4 by default).
            let degrees = max(Int(degreesOfFreedom.rounded()), 3)
            var chiSquare = 0.0
            for _ in 0..<degrees { let g = random.nextGaussian(); chiSquare += g * g }
            let mixing = scale / (chiSquare / Double(degrees)).squareRoot()
            return (0..<n).map { row in
                var z = 0.0
                for column in 0...row { z += factor.lower[row * n + column] * normals[column] }
                let sigma = horizonVolatility[row]
                return sigma.isFinite ? Double.exp(z * mixing * sigma) - 1 : 0
            }
        }
    }
}

/// The lower Cholesky factor of a correlation matrix, shrunk towards the identity as far as needed to be
/// positive definite (estimated correlations of assets warming at different times need not be).
struct CholeskyFactor {
    let lower: [Double]

    init(correlation: [Double], size n: Int) {
        var shrink = 0.0
        while true {
            var matrix = correlation.enumerated().map { index, value -> Double in
                let (row, column) = (index / n, index % n)
                let clean = value.isFinite ? max(-1, min(1, value)) : 0
                return row == column ? 1 : (1 - shrink) * clean
            }
            var ok = true
            for column in 0..<n where ok {
                var diagonal = matrix[column * n + column]
                for k in 0..<column { diagonal -= matrix[column * n + k] * matrix[column * n + k] }
                guard diagonal > 1e-12 else { ok = false; break }
                let root = diagonal.squareRoot()
                matrix[column * n + column] = root
                for row in (column + 1)..<max(n, column + 1) {
                    var value = matrix[row * n + column]
                    for k in 0..<column { value -= matrix[row * n + k] * matrix[column * n + k] }
                    matrix[row * n + column] = value / root
                }
            }
            if ok {
                for row in 0..<n { for column in (row + 1)..<max(n, row + 1) { matrix[row * n + column] = 0 } }
                lower = matrix
                return
            }
            shrink = shrink == 0 ? 0.01 : min(1, shrink * 2)
        }
    }
}

extension SplitMix64Stream {
    /// A standard normal by Box–Muller from two 53-bit uniforms (u₁ ∈ (0, 1]).
    mutating func nextGaussian() -> Double {
        let u1 = (Double(next() >> 11) + 1) / 9_007_199_254_740_992
        let u2 = Double(next() >> 11) / 9_007_199_254_740_992
        return (-2 * Double.log(u1)).squareRoot() * Double.cos(2 * Double.pi * u2)
    }
}
