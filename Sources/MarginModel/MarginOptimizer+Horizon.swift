extension MarginOptimizer {
    /// The k-step blocks of an asset's residual window for its horizon, or nil when the horizon is evaluated
    /// from the one-step tail (`HorizonAggregation.squareRoot`, or k < 2).
    ///
    /// k = min(⌊H/Δ⌋, `maximumAggregatedSteps`); a relative 10⁻⁹ absorbs the rounding of H/Δ so that a horizon of
    /// exactly four steps is four. λ is used only by `.filteredPaths` and only when it is a decay in (0, 1).
    func horizonBlocks(asset: Int, gridNs: Int64, residuals: ResidualWindow, decay: Double?) -> HorizonBlockWindow? {
        let coverage = configuration.coverage
        guard coverage.horizonAggregation != .squareRoot, gridNs > 0 else { return nil }
        let ratio = Double(settings[asset].horizonNs) / Double(gridNs) * (1 + 1e-9)
        let steps = min(ratio, Double(coverage.maximumAggregatedSteps)).rounded(.down)
        guard steps >= 2 else { return nil }
        let lambda = coverage.horizonAggregation == .filteredPaths ? decay.flatMap { $0 > 0 && $0 < 1 ? $0 : nil }
            : nil
        return HorizonBlockWindow(residuals: residuals, steps: Int(steps), decay: lambda)
    }

    /// FHS on the k-step blocks: the long and short losses at σ_H from the ⌈ε·(n − k + 1)⌉ most extreme blocks,
    /// or nil (the one-step tail is used) while the window holds fewer than `minimumResidualCount` blocks.
    mutating func blockTailLosses(asset: Int, blocks: HorizonBlockWindow, horizonSigma: Double) -> TailLosses? {
        let count = blocks.count
        guard count >= configuration.coverage.minimumResidualCount else { return nil }
        let measure = configuration.coverage.riskMeasure
        let tailSize = max(1, Int((settings[asset].tailProbability * Double(count)).rounded(.up)))
        horizonCaches[asset].synchronize(with: blocks, tailSize: tailSize)
        let held = horizonCaches[asset].tailCounts
        guard held.lower >= tailSize && held.upper >= tailSize else { return nil }
        return TailLosses(
            long: horizonCaches[asset].longLoss(tailSize: tailSize, horizonSigma: horizonSigma, measure: measure),
            short: horizonCaches[asset].shortLoss(tailSize: tailSize, horizonSigma: horizonSigma, measure: measure),
            observations: tailSize, usedHistory: true)
    }
}
