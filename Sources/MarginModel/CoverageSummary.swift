
/// The coverage figures of one exception series: counts, rate, Kupiec's unconditional coverage test,
/// Christoffersen's independence and conditional coverage tests, and the traffic-light zone.
public struct CoverageSummary: Sendable, Hashable {
    /// Horizons scored (n).
    public var observations: Int
    /// Exceptions (x).
    public var exceptions: Int
    /// x/n (0 without observations).
    public var exceptionRate: Double
    /// The target exception probability p.
    public var targetRate: Double
    /// Kupiec's proportion of failures, LR_uc ~ χ²₁.
    public var kupiec: LikelihoodRatioTest
    /// Christoffersen's independence test, LR_ind ~ χ²₁.
    public var independence: LikelihoodRatioTest
    /// Christoffersen's conditional coverage, LR_cc = LR_uc + LR_ind ~ χ²₂.
    public var conditionalCoverage: LikelihoodRatioTest
    /// Traffic light of x among n at p (the Basel table at p = 1 %, n = 250).
    public var zone: TrafficLightZone

    /// The figures of `statistics`.
    public init(_ statistics: CoverageStatistics) {
        observations = statistics.observations
        exceptions = statistics.exceptions
        exceptionRate = statistics.observations > 0
            ? Double(statistics.exceptions) / Double(statistics.observations) : 0
        targetRate = statistics.targetRate
        kupiec = statistics.kupiec
        independence = statistics.independence
        conditionalCoverage = statistics.conditionalCoverage
        zone = statistics.trafficLight
    }

    /// Significance of the verdicts reported (5 %).
    public static let significance = 0.05

    /// Significance of the independence requirement of ``isCalibrated`` (1 %).
    public static let independenceSignificance = 0.01

    /// Whether Kupiec's test rejects correct coverage at 5 %.
    public var kupiecRejects: Bool { kupiec.rejects(atSignificance: Self.significance) }

    /// Whether Christoffersen's conditional coverage test rejects at 5 % (the verdict's test).
    public var conditionalCoverageRejects: Bool { conditionalCoverage.rejects(atSignificance: Self.significance) }

    /// The verdict, by conditional coverage (LR_cc ~ χ²₂ at 5 %): `consistent` when it does not reject; otherwise
    /// `too many exceptions` or `too few exceptions` when the rate is off target (Kupiec rejects at 5 %), and
    /// `exceptions cluster` when the rate is fine but exceptions follow one another (independence rejects).
    public var verdict: String {
        guard conditionalCoverageRejects else { return "consistent" }
        if kupiecRejects { return exceptionRate > targetRate ? "too many exceptions" : "too few exceptions" }
        return "exceptions cluster"
    }

    /// Calibrated both ways: the exception count inside Kupiec's 95 % band (neither too many nor too few) and
    /// Christoffersen's independence not rejected at 1 %.
    public var isCalibrated: Bool {
        observations > 0 && !kupiecRejects && !independence.rejects(atSignificance: Self.independenceSignificance)
    }

    /// Kupiec's 95 % acceptance band of the exception count: the smallest and largest x in 0…n with
    /// LR_uc(n, x, p) ≤ χ²₁,₀.₉₅ = 3.841459 (LR_uc is convex in x with its minimum at x = n·p, so the band is
    /// one interval, found by stepping outwards from ⌊n·p⌋). Nil without observations.
    public var kupiecBand: ClosedRange<Int>? {
        Self.kupiecBand(observations: observations, targetRate: targetRate)
    }

    /// χ²₁ 95 % quantile (scipy.stats.chi2.ppf(0.95, 1) = 3.841458820694124).
    public static let chiSquaredOneDegree95 = 3.841458820694124

    /// Kupiec's 95 % acceptance band of x for n observations at target p (see ``kupiecBand``).
    public static func kupiecBand(observations n: Int, targetRate p: Double) -> ClosedRange<Int>? {
        guard n > 0, p > 0, p < 1 else { return nil }
        let centre = min(max(Int((Double(n) * p).rounded(.down)), 0), n)
        func inside(_ x: Int) -> Bool {
            CoverageStatistics.kupiecStatistic(observations: n, exceptions: x, targetRate: p) <= chiSquaredOneDegree95
        }
        var lower = centre
        while lower > 0, inside(lower - 1) { lower -= 1 }
        var upper = centre
        while upper < n, inside(upper + 1) { upper += 1 }
        return lower...upper
    }
}
