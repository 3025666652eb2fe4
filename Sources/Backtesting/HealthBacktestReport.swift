import MarginModel

/// Protocol health in a backtest: the bad debt the health model predicted for a fixed position book, window by
/// window, against the bad debt the realized moves left — and what health-constrained margins would have changed.
///
/// Each window starts at a grid step (every liquidation horizon H, and no more often than `health.interval`):
/// the book is valued at the parameters then published and stressed (bad debt at risk, at `confidence`); the
/// proposal health-constrained margins would make is priced the same way. At the window's end the realized
/// move of every market, P(t + H)/P(t) − 1, is run as one more scenario through the same cascade, on the book in
/// force and on the book deleveraged to the proposal: the bad debt that actually occurred, in the model's terms.
/// An exception is a window whose realized bad debt exceeds the predicted bad debt at risk; their count is
/// tested against 1 − `confidence` with Kupiec's proportion-of-failures test (as for margins).
public struct HealthBacktestReport: Sendable, Codable, Hashable {
    /// One window.
    public struct Window: Sendable, Codable, Hashable {
        /// Grid boundaries of its start and end, ns.
        public var startNs: Int64
        public var endNs: Int64
        /// Predicted at the start over the stress scenarios.
        public var predictedBadDebtAtRisk: Double
        public var predictedExpectedShortfall: Double
        public var predictedLiquidationsAtRisk: Double
        /// Left by the realized moves, with the parameters in force.
        public var realizedBadDebt: Double
        public var realizedLiquidatedNotional: Double
        /// Health-constrained margins: the multiplier proposed for the driving markets (1 = none), the bad debt at
        /// risk of the proposal, and the bad debt the realized moves would have left on the deleveraged book.
        public var proposedMultiplier: Double
        public var proposedBadDebtAtRisk: Double
        public var realizedBadDebtProposed: Double
        /// The largest realized move of a market over the window (signed).
        public var largestMove: Double

        /// Creates a window.
        public init(startNs: Int64, endNs: Int64, predictedBadDebtAtRisk: Double, predictedExpectedShortfall: Double,
                    predictedLiquidationsAtRisk: Double, realizedBadDebt: Double, realizedLiquidatedNotional: Double,
                    proposedMultiplier: Double, proposedBadDebtAtRisk: Double, realizedBadDebtProposed: Double,
                    largestMove: Double) {
            self.startNs = startNs
            self.endNs = endNs
            self.predictedBadDebtAtRisk = predictedBadDebtAtRisk
            self.predictedExpectedShortfall = predictedExpectedShortfall
            self.predictedLiquidationsAtRisk = predictedLiquidationsAtRisk
            self.realizedBadDebt = realizedBadDebt
            self.realizedLiquidatedNotional = realizedLiquidatedNotional
            self.proposedMultiplier = proposedMultiplier
            self.proposedBadDebtAtRisk = proposedBadDebtAtRisk
            self.realizedBadDebtProposed = realizedBadDebtProposed
            self.largestMove = largestMove
        }

        /// Whether the realized bad debt exceeded the prediction.
        public var isException: Bool { realizedBadDebt > predictedBadDebtAtRisk }
    }

    /// Positions and margin units of the book.
    public var positions: Int
    public var units: Int
    /// Confidence of the predicted quantiles, and the window length H (ns).
    public var confidence: Double
    public var horizonNs: Int64
    /// Stress scenarios per window (hypothetical, drawn and worst historical).
    public var scenarios: Int
    /// Every window, in order.
    public var windows: [Window]

    /// Creates a report.
    public init(positions: Int, units: Int, confidence: Double, horizonNs: Int64, scenarios: Int,
                windows: [Window]) {
        self.positions = positions
        self.units = units
        self.confidence = confidence
        self.horizonNs = horizonNs
        self.scenarios = scenarios
        self.windows = windows
    }

    /// Windows whose realized bad debt exceeded the predicted bad debt at risk.
    public var exceptions: Int { windows.count { $0.isException } }
    /// The rate the exceptions should have: 1 − confidence.
    public var targetRate: Double { 1 - confidence }
    /// Kupiec's proportion-of-failures p-value of the exceptions against ``targetRate`` (1 without windows).
    public var kupiecPValue: Double {
        guard !windows.isEmpty else { return 1 }
        let statistic = CoverageStatistics.kupiecStatistic(observations: windows.count, exceptions: exceptions,
                                                           targetRate: targetRate)
        return CoverageStatistics.chiSquaredSurvivalOneDegree(statistic)
    }
    /// Bad debt the realized moves left over all windows, with the parameters in force and with the proposals.
    public var realizedBadDebt: Double { windows.reduce(0) { $0 + $1.realizedBadDebt } }
    public var realizedBadDebtProposed: Double { windows.reduce(0) { $0 + $1.realizedBadDebtProposed } }
    /// Windows in which health-constrained margins would have raised a market.
    public var constrainedWindows: Int { windows.count { $0.proposedMultiplier > 1 } }

    private enum CodingKeys: String, CodingKey {
        case positions, units, confidence, horizonNs, scenarios, windows
        case exceptions, targetRate, kupiecPValue, realizedBadDebt, realizedBadDebtProposed, constrainedWindows
    }

    /// Decodes the stored fields (the summary is recomputed from the windows).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        positions = try container.decode(Int.self, forKey: .positions)
        units = try container.decode(Int.self, forKey: .units)
        confidence = try container.decode(Double.self, forKey: .confidence)
        horizonNs = try container.decode(Int64.self, forKey: .horizonNs)
        scenarios = try container.decode(Int.self, forKey: .scenarios)
        windows = try container.decode([Window].self, forKey: .windows)
    }

    /// Encodes the fields and the summary (exceptions, Kupiec, realized bad debt with and without the proposals).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(positions, forKey: .positions)
        try container.encode(units, forKey: .units)
        try container.encode(confidence, forKey: .confidence)
        try container.encode(horizonNs, forKey: .horizonNs)
        try container.encode(scenarios, forKey: .scenarios)
        try container.encode(windows, forKey: .windows)
        try container.encode(exceptions, forKey: .exceptions)
        try container.encode(targetRate, forKey: .targetRate)
        try container.encode(kupiecPValue, forKey: .kupiecPValue)
        try container.encode(realizedBadDebt, forKey: .realizedBadDebt)
        try container.encode(realizedBadDebtProposed, forKey: .realizedBadDebtProposed)
        try container.encode(constrainedWindows, forKey: .constrainedWindows)
    }
}
