/// The lower tail of a unit-variance Student-t on an ideal sample: the fallback when residual history is short.
///
/// Nodes are zⱼ = s·t_ν⁻¹((j − ½)/N) for j = 1…m, m = ⌈ε·N⌉, s = √((ν − 2)/ν): the m smallest points of the
/// N-point quantile grid of the distribution, i.e. what FHS would see on a perfect sample of size N. Expected
/// shortfall is then the same average FHS takes, and stays finite for the short side, whose exact value under a
/// Student-t is infinite (E[e^{σT}] diverges). By symmetry the upper tail is the negated nodes. The VaR node is the
/// exact quantile s·t_ν⁻¹(ε). Computed once per (ε, ν, N) at optimizer creation, never on the update path.
struct ParametricTail: Sendable {
    /// Ascending, most extreme first.
    let nodes: [Double]
    /// s·t_ν⁻¹(ε) (negative).
    let valueAtRiskNode: Double
    /// Power sums of all nodes, for the expected shortfall without per-node exponentials.
    private let sums: PowerSums
    private let largestMagnitude: Double

    init(tailProbability epsilon: Double, degreesOfFreedom nu: Double, referenceSampleSize size: Int) {
        let distribution = StudentTDistribution(degreesOfFreedom: nu)
        let scale = distribution.unitVarianceScale
        let nodeCount = max(1, Int((epsilon * Double(size)).rounded(.up)))
        nodes = (1...nodeCount).map { j in
            scale * distribution.quantile((Double(j) - 0.5) / Double(size))
        }
        valueAtRiskNode = scale * distribution.quantile(epsilon)
        var sums = PowerSums()
        for node in nodes { sums.accumulate(node, sign: 1) }
        self.sums = sums
        largestMagnitude = nodes.map(abs).max() ?? 0
    }

    /// Long-side risk measure of the fallback (see `TailLoss`).
    func longLoss(horizonSigma: Double, measure: RiskMeasure) -> Double {
        switch measure {
        case .valueAtRisk: return -Elementary.expm1(horizonSigma * valueAtRiskNode)
        case .expectedShortfall: return -exponentialSum(scale: horizonSigma) / Double(nodes.count)
        }
    }

    /// Short-side risk measure of the fallback; by symmetry the upper tail is the negated nodes.
    func shortLoss(horizonSigma: Double, measure: RiskMeasure) -> Double {
        switch measure {
        case .valueAtRisk: return Elementary.expm1(-horizonSigma * valueAtRiskNode)
        case .expectedShortfall: return exponentialSum(scale: -horizonSigma) / Double(nodes.count)
        }
    }

    /// Σⱼ (e^{c·zⱼ} − 1) over all nodes, from the power sums when the argument allows, else term by term.
    func exponentialSum(scale c: Double) -> Double {
        if abs(c) * largestMagnitude <= PowerSums.maximumArgument {
            return sums.exponentialSum(c, largestMagnitude: largestMagnitude)
        }
        return nodes.withUnsafeBufferPointer { TailLoss.directExponentialSum($0, count: $0.count, scale: c) }
    }
}
