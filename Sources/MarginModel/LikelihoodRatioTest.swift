/// A likelihood-ratio test result: statistic, degrees of freedom and χ² p-value.
public struct LikelihoodRatioTest: Sendable, Hashable, Codable {
    /// The LR statistic (≥ 0).
    public var statistic: Double
    /// Degrees of freedom of its asymptotic χ² distribution.
    public var degreesOfFreedom: Int
    /// P(χ²_dof > statistic).
    public var pValue: Double

    /// Creates a result, computing the p-value for 1 or 2 degrees of freedom.
    public init(statistic: Double, degreesOfFreedom: Int) {
        self.statistic = statistic
        self.degreesOfFreedom = degreesOfFreedom
        pValue = degreesOfFreedom == 1
            ? CoverageStatistics.chiSquaredSurvivalOneDegree(statistic)
            : CoverageStatistics.chiSquaredSurvivalTwoDegrees(statistic)
    }

    /// True when the test rejects correct coverage at `significance` (e.g. 0.05).
    public func rejects(atSignificance significance: Double) -> Bool { pValue < significance }
}
