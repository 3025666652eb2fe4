/// The Student-t distribution with ν degrees of freedom: density, tails, quantile and expected-shortfall factor.
///
/// Tail probabilities use the incomplete beta identity P(T > t) = ½·I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0, with the
/// complement t²/(ν + t²) formed directly so that neither tail loses precision. The quantile solves the tail equation
/// by safeguarded Newton iteration, so its accuracy follows that of the tail function (about 1e−13 relative).
public struct StudentTDistribution: Sendable, Hashable {
    /// Degrees of freedom ν > 0.
    public let degreesOfFreedom: Double
    private let logDensityConstant: Double

    /// Creates the distribution; ν must be positive and finite (checked by the callers' configuration).
    public init(degreesOfFreedom: Double) {
        self.degreesOfFreedom = degreesOfFreedom
        let nu = degreesOfFreedom
        // ln[Γ((ν+1)/2) / (Γ(ν/2)·√(νπ))]
        logDensityConstant = Elementary.logGamma(0.5 * (nu + 1)) - Elementary.logGamma(0.5 * nu)
            - 0.5 * Elementary.log(nu * Double.pi)
    }

    /// f(t) = Γ((ν+1)/2)/(Γ(ν/2)√(νπ)) · (1 + t²/ν)^(−(ν+1)/2), evaluated in logarithms with log1p.
    public func density(_ t: Double) -> Double {
        let nu = degreesOfFreedom
        return Elementary.exp(logDensityConstant - 0.5 * (nu + 1) * Elementary.log1p(t * t / nu))
    }

    /// P(T > t), with full relative precision in the upper tail.
    public func survivalProbability(_ t: Double) -> Double {
        if t.isNaN { return .nan }
        let tails = symmetricTails(abs(t))
        return t >= 0 ? tails.upper : tails.lower
    }

    /// P(T ≤ t), with full relative precision in the lower tail.
    public func cumulativeProbability(_ t: Double) -> Double {
        if t.isNaN { return .nan }
        let tails = symmetricTails(abs(t))
        return t >= 0 ? tails.lower : tails.upper
    }

    /// F⁻¹(p). Returns ∓∞ at p ≤ 0 / p ≥ 1 and NaN for NaN.
    ///
    /// By symmetry only the upper tail α = min(p, 1 − p) is solved: Q(t) = α for t > 0, where Q(t) = P(T > t) is
    /// decreasing and convex. The iteration starts from a bracket [lo, hi] found by doubling from the normal quantile,
    /// and takes Newton steps t ← t + (Q(t) − α)/f(t), falling back to bisection whenever a step leaves the bracket.
    /// It stops when a step changes t by less than 4 ulps.
    public func quantile(_ p: Double) -> Double {
        if p.isNaN { return .nan }
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        if p == 0.5 { return 0 }
        let alpha = p < 0.5 ? p : 1 - p
        let root = upperTailQuantile(alpha)
        return p < 0.5 ? -root : root
    }

    /// Expected shortfall of T at upper-tail probability α: E[T | T ≥ q] = f(q)·(ν + q²) / ((ν − 1)·α), q = F⁻¹(1 − α).
    ///
    /// Finite only for ν > 1; returns NaN otherwise or outside 0 < α < 1.
    public func expectedShortfall(tailProbability alpha: Double) -> Double {
        let nu = degreesOfFreedom
        guard nu > 1, alpha > 0, alpha < 1 else { return .nan }
        let q = upperTailQuantile(alpha)
        return density(q) * (nu + q * q) / ((nu - 1) * alpha)
    }

    /// √((ν − 2)/ν): the factor that rescales T to unit variance (defined for ν > 2).
    public var unitVarianceScale: Double {
        ((degreesOfFreedom - 2) / degreesOfFreedom).squareRoot()
    }

    /// (P(T ≤ t), P(T > t)) for t ≥ 0.
    private func symmetricTails(_ t: Double) -> (lower: Double, upper: Double) {
        let nu = degreesOfFreedom
        if t == .infinity { return (1, 0) }
        let t2 = t * t
        let x = nu / (nu + t2)
        let y = t2 / (nu + t2)
        let beta = IncompleteBeta.regularized(a: 0.5 * nu, b: 0.5, x: x, y: y)
        // I_x(ν/2, ½) is the two-sided tail mass P(|T| > t).
        let upper = 0.5 * beta.lower
        return (0.5 + 0.5 * beta.upper, upper)
    }

    /// Solves P(T > t) = α for t > 0, 0 < α < ½.
    private func upperTailQuantile(_ alpha: Double) -> Double {
        var lo = 0.0
        var hi = max(1.0, -NormalDistribution.quantile(alpha))
        var iterations = 0
        while symmetricTails(hi).upper > alpha, iterations < 2_000 {
            lo = hi
            hi *= 2
            iterations += 1
        }
        var t = hi
        for _ in 0..<200 {
            let excess = symmetricTails(t).upper - alpha
            if excess > 0 { lo = t } else { hi = t }
            var next = t + excess / density(t)
            if !(next > lo && next < hi) { next = 0.5 * (lo + hi) }
            let change = abs(next - t)
            t = next
            if change <= 4 * t.ulp || hi - lo <= 4 * t.ulp { break }
        }
        return t
    }
}
