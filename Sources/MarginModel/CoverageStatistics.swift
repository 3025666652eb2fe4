/// Live coverage statistics of a margin series: exception counts, Kupiec, Christoffersen and the traffic light.
///
/// Record one observation per horizon (`exception` = the loss exceeded the margin). All statistics are computed
/// on demand from counts, so recording is O(1) and allocation-free.
public struct CoverageStatistics: Sendable, Hashable, Codable {
    /// The target exception rate p (ε).
    public var targetRate: Double
    /// Observations recorded.
    public private(set) var observations: Int = 0
    /// Exceptions recorded.
    public private(set) var exceptions: Int = 0
    /// Transitions no exception → no exception.
    public private(set) var n00: Int = 0
    /// Transitions no exception → exception.
    public private(set) var n01: Int = 0
    /// Transitions exception → no exception.
    public private(set) var n10: Int = 0
    /// Transitions exception → exception.
    public private(set) var n11: Int = 0
    private var previous: Bool?

    /// Starts an empty record for target rate p (0 < p < 1).
    public init(targetRate: Double) {
        self.targetRate = targetRate
    }

    /// Records one horizon.
    public mutating func record(exception: Bool) {
        observations += 1
        if exception { exceptions += 1 }
        if let previous {
            switch (previous, exception) {
            case (false, false): n00 += 1
            case (false, true): n01 += 1
            case (true, false): n10 += 1
            case (true, true): n11 += 1
            }
        }
        previous = exception
    }

    /// Kupiec's proportion-of-failures test (χ²₁).
    public var kupiec: LikelihoodRatioTest {
        LikelihoodRatioTest(statistic: Self.kupiecStatistic(observations: observations, exceptions: exceptions,
                                                             targetRate: targetRate), degreesOfFreedom: 1)
    }

    /// Christoffersen's independence test on the transition counts (χ²₁).
    public var independence: LikelihoodRatioTest {
        LikelihoodRatioTest(statistic: Self.independenceStatistic(n00: n00, n01: n01, n10: n10, n11: n11),
                            degreesOfFreedom: 1)
    }

    /// Christoffersen's conditional coverage test LR_cc = LR_uc + LR_ind (χ²₂).
    public var conditionalCoverage: LikelihoodRatioTest {
        LikelihoodRatioTest(statistic: kupiec.statistic + independence.statistic, degreesOfFreedom: 2)
    }

    /// The traffic-light zone of the exception count.
    public var trafficLight: TrafficLightZone {
        Self.trafficLight(observations: observations, exceptions: exceptions, targetRate: targetRate)
    }

    /// Kupiec POF: LR = −2·ln[(1−p)^{n−x}·p^x / ((1−π̂)^{n−x}·π̂^x)], π̂ = x/n.
    ///
    /// Evaluated as 2·[(n−x)·ln((1−π̂)/(1−p)) + x·ln(π̂/p)] with log1p for the (1 − ·) terms and the convention
    /// 0·ln 0 = 0, which makes x = 0 give −2n·ln(1 − p) and x = n give −2n·ln p. Returns 0 for n = 0 and NaN
    /// for p outside (0, 1) or x outside 0…n.
    public static func kupiecStatistic(observations n: Int, exceptions x: Int, targetRate p: Double) -> Double {
        guard p > 0, p < 1, x >= 0, x <= n else { return .nan }
        if n == 0 { return 0 }
        let observed = Double(x) / Double(n)
        var statistic = 0.0
        if x < n {
            statistic += Double(n - x) * (Elementary.log1p(-observed) - Elementary.log1p(-p))
        }
        if x > 0 {
            statistic += Double(x) * (Elementary.log(observed) - Elementary.log(p))
        }
        return max(2 * statistic, 0)
    }

    /// Christoffersen independence: LR = −2·ln[L(π) / L(π₀, π₁)] with π₀ = n₀₁/(n₀₀+n₀₁),
    /// π₁ = n₁₁/(n₁₀+n₁₁), π = (n₀₁+n₁₁)/N, L(q) terms (1−q)^{n·0}·q^{n·1}, and 0·ln 0 = 0.
    public static func independenceStatistic(n00: Int, n01: Int, n10: Int, n11: Int) -> Double {
        func logLikelihood(_ stay: Int, _ move: Int, _ q: Double) -> Double {
            var value = 0.0
            if stay > 0 { value += Double(stay) * Elementary.log1p(-q) }
            if move > 0 { value += Double(move) * Elementary.log(q) }
            return value
        }
        let total = n00 + n01 + n10 + n11
        guard total > 0 else { return 0 }
        let pi0 = n00 + n01 > 0 ? Double(n01) / Double(n00 + n01) : 0
        let pi1 = n10 + n11 > 0 ? Double(n11) / Double(n10 + n11) : 0
        let pi = Double(n01 + n11) / Double(total)
        let restricted = logLikelihood(n00 + n10, n01 + n11, pi)
        let unrestricted = logLikelihood(n00, n01, pi0) + logLikelihood(n10, n11, pi1)
        return max(2 * (unrestricted - restricted), 0)
    }

    /// P(χ²₁ > x) = erfc(√(x/2)).
    public static func chiSquaredSurvivalOneDegree(_ x: Double) -> Double {
        guard x > 0 else { return 1 }
        return Elementary.erfc((0.5 * x).squareRoot())
    }

    /// P(χ²₂ > x) = e^{−x/2}.
    public static func chiSquaredSurvivalTwoDegrees(_ x: Double) -> Double {
        guard x > 0 else { return 1 }
        return Elementary.exp(-0.5 * x)
    }

    /// P(X ≤ x) for X ~ Binomial(n, p), via the incomplete beta identity P(X ≤ x) = I_{1−p}(n − x, x + 1).
    public static func binomialCumulativeProbability(_ x: Int, trials n: Int, probability p: Double) -> Double {
        if x < 0 { return 0 }
        if x >= n { return 1 }
        return IncompleteBeta.regularized(a: Double(n - x), b: Double(x + 1), x: 1 - p, y: p).lower
    }

    /// The Basel zone: green while P(X ≤ x) < 95 %, yellow while < 99.99 %, red otherwise, X ~ Bin(n, p).
    ///
    /// At p = 1 %, n = 250 this gives the Basel table: green 0–4, yellow 5–9, red ≥ 10.
    public static func trafficLight(observations n: Int, exceptions x: Int, targetRate p: Double) -> TrafficLightZone {
        if n <= 0 || x <= 0 { return .green }
        let cumulative = binomialCumulativeProbability(x, trials: n, probability: p)
        if cumulative < 0.95 { return .green }
        if cumulative < 0.9999 { return .yellow }
        return .red
    }
}
