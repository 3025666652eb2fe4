/// The tail statistic that sets the maintenance margin.
public enum RiskMeasure: String, Sendable, Hashable, Codable, CaseIterable {
    /// Expected shortfall at 1 − ε: the mean loss over the worst ε of outcomes. Coherent and sensitive to the shape
    /// of the tail beyond the quantile, which is why FRTB and CCP models moved to it.
    case expectedShortfall
    /// Value at risk at 1 − ε: the loss exceeded with probability ε. The exceedance rate of a VaR margin can be
    /// backtested directly against ε.
    case valueAtRisk
}
