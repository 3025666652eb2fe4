import FulcrumSettings

/// Settings of the portfolio (cross-margin) computation; usable on its own by a client library.
public struct PortfolioMarginConfiguration: Sendable, Hashable, Codable {
    /// The tail statistic of the portfolio loss. Default `.expectedShortfall`.
    public var riskMeasure: RiskMeasure
    /// ε of the portfolio risk measure (0 < ε < 0.5). Default 0.01, as for single assets.
    public var tailProbability: Double
    /// ν of the unit-variance Student-t used for the portfolio's standardized loss (ν > 2), or `nil` for the
    /// normal. Default 4, matching the single-asset fallback.
    public var degreesOfFreedom: Double?
    /// The offset credit is at most this fraction of the sum of standalone margins (0 ≤ f ≤ 1). Default 0.5.
    public var maximumCreditFraction: Double

    /// Creates portfolio settings with the documented defaults.
    public init(
        riskMeasure: RiskMeasure = .expectedShortfall,
        tailProbability: Double = 0.01,
        degreesOfFreedom: Double? = 4,
        maximumCreditFraction: Double = 0.5
    ) {
        self.riskMeasure = riskMeasure
        self.tailProbability = tailProbability
        self.degreesOfFreedom = degreesOfFreedom
        self.maximumCreditFraction = maximumCreditFraction
    }

    /// Throws a `ConfigurationError` naming the first bad key under `keyPrefix`, the path of the section.
    public func validate(keyPrefix: String = "portfolio") throws(ConfigurationError) {
        let check = ConfigurationCheck(prefix: keyPrefix)
        try check.require(tailProbability > 0 && tailProbability < 0.5, "tailProbability", tailProbability,
                          "a probability in (0, 0.5)")
        if let nu = degreesOfFreedom {
            try check.require(nu > 2 && nu <= 1_000, "degreesOfFreedom", nu,
                              "a value in (2, 1000], or null for the normal distribution")
        }
        try check.require(maximumCreditFraction >= 0 && maximumCreditFraction <= 1, "maximumCreditFraction",
                          maximumCreditFraction, "a fraction in [0, 1]")
    }
}
