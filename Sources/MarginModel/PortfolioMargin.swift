/// Portfolio (cross) margin of signed positions from a volatility vector and a correlation matrix.
///
/// Pure function of plain arrays, usable by the service and by client libraries alike. The portfolio loss over
/// the horizon is taken to first order in the log returns, L ≈ −Σᵢ wᵢRᵢ, whose standard deviation is
/// σ_p = √(wᵀΣw) with Σᵢⱼ = ρᵢⱼσᵢσⱼ; for an elliptical (normal or Student-t) model any risk measure of L is
/// m·σ_p with m the measure of the unit-variance standardized distribution (e.g. ES₉₉ of a normal: 2.665).
/// The same m applied position by position gives the undiversified Σᵢ m|wᵢ|σᵢ, and the ratio of the two is the
/// diversification benefit. That benefit is applied to the supplied standalone margins (which carry the exact
/// non-linear tails, liquidation costs, floors), so
///   credit = min((1 − σ_p/Σ|wᵢ|σᵢ)·Σ standalone, maximumCreditFraction·Σ standalone),
///   margin = Σ standalone − credit.
/// A pair (i, j) whose correlation is not ready (or is NaN or outside [−1, 1]) enters with the correlation
/// sign(wᵢwⱼ), the worst case, which gives that pair no credit at all; the quadratic form can only grow by it,
/// so σ_p stays ≥ 0 even if the supplied matrix is not positive semi-definite (negative values are clamped).
public struct PortfolioMargin: Sendable {
    /// The configuration.
    public let configuration: PortfolioMarginConfiguration
    /// m: the risk measure of the unit-variance standardized loss at the configured ε.
    public let riskMultiplier: Double

    /// Creates the calculator; validates the configuration (a `ConfigurationError` names a bad key) and computes m
    /// once (a Student-t quantile).
    public init(configuration: PortfolioMarginConfiguration = PortfolioMarginConfiguration()) throws {
        try configuration.validate()
        self.configuration = configuration
        let epsilon = configuration.tailProbability
        if let nu = configuration.degreesOfFreedom {
            let distribution = StudentTDistribution(degreesOfFreedom: nu)
            let raw = configuration.riskMeasure == .expectedShortfall
                ? distribution.expectedShortfall(tailProbability: epsilon)
                : -distribution.quantile(epsilon)
            riskMultiplier = raw * distribution.unitVarianceScale
        } else {
            riskMultiplier = configuration.riskMeasure == .expectedShortfall
                ? NormalDistribution.expectedShortfall(tailProbability: epsilon)
                : -NormalDistribution.quantile(epsilon)
        }
    }

    /// The portfolio margin of positions with signed notionals `notionals` (long > 0, short < 0).
    ///
    /// - Parameters:
    ///   - notionals: wᵢ, signed position notionals.
    ///   - horizonSigmas: σᵢ, the standard deviation of each asset's log return over the liquidation horizon.
    ///   - correlations: ρ, dimension n = notionals.count.
    ///   - standaloneMargins: each position's own margin (e.g. from its tier schedule); `nil` uses m·|wᵢ|σᵢ.
    ///   - pairReady: whether the correlation of (i, j), i < j, has finished warming up.
    /// - Returns: the margin; when inputs are unusable, the full standalone sum with `invalidInput` set.
    public func compute(
        notionals: [Double], horizonSigmas: [Double], correlations: CorrelationMatrix,
        standaloneMargins: [Double]? = nil, pairReady: (Int, Int) -> Bool = { _, _ in true }
    ) -> PortfolioMarginResult {
        let n = notionals.count
        let m = riskMultiplier
        var invalid = horizonSigmas.count != n || correlations.dimension != n || !correlations.isWellFormed
            || (standaloneMargins.map { $0.count != n } ?? false)
        var undiversified = 0.0
        if !invalid {
            for i in 0..<n {
                let w = notionals[i]
                let sigma = horizonSigmas[i]
                if !(w.isFinite && sigma.isFinite && sigma >= 0) { invalid = true }
                let scaled = abs(w) * sigma
                if scaled.isFinite { undiversified += scaled }
            }
        }
        var standaloneSum = 0.0
        for i in 0..<n {
            let value: Double
            if let standaloneMargins {
                value = standaloneMargins[i]
            } else {
                value = i < horizonSigmas.count ? m * abs(notionals[i]) * horizonSigmas[i] : .nan
            }
            if value.isFinite && value >= 0 { standaloneSum += value } else { invalid = true }
        }
        if invalid || n == 0 || undiversified == 0 {
            return PortfolioMarginResult(
                margin: standaloneSum, standaloneSum: standaloneSum, credit: 0, uncappedCredit: 0,
                creditCapped: false, diversifiedRisk: m * undiversified, undiversifiedRisk: m * undiversified,
                pairsWithoutCredit: 0, invalidInput: invalid)
        }

        var variance = 0.0
        var pairsWithoutCredit = 0
        for i in 0..<n {
            let xi = notionals[i] * horizonSigmas[i]
            if xi == 0 { continue }
            variance += xi * xi
            for j in 0..<i {
                let xj = notionals[j] * horizonSigmas[j]
                if xj == 0 { continue }
                var rho = correlations.correlation(i, j)
                if !(rho >= -1 && rho <= 1) || !pairReady(j, i) {
                    rho = xi * xj > 0 ? 1 : -1
                    pairsWithoutCredit += 1
                }
                variance += 2 * rho * xi * xj
            }
        }
        let diversified = max(variance, 0).squareRoot()
        let ratio = min(diversified / undiversified, 1)
        let uncappedCredit = (1 - ratio) * standaloneSum
        let cap = configuration.maximumCreditFraction * standaloneSum
        let credit = min(uncappedCredit, cap)
        return PortfolioMarginResult(
            margin: standaloneSum - credit, standaloneSum: standaloneSum, credit: credit,
            uncappedCredit: uncappedCredit, creditCapped: uncappedCredit > cap, diversifiedRisk: m * diversified,
            undiversifiedRisk: m * undiversified, pairsWithoutCredit: pairsWithoutCredit, invalidInput: false)
    }
}
