
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

    /// Whether Kupiec's test rejects correct coverage at 5 %.
    public var kupiecRejects: Bool { kupiec.rejects(atSignificance: Self.significance) }

    /// `too many`, `too few` or `consistent`: the direction of a Kupiec rejection.
    public var verdict: String {
        guard kupiecRejects else { return "consistent" }
        return exceptionRate > targetRate ? "too many exceptions" : "too few exceptions"
    }
}
