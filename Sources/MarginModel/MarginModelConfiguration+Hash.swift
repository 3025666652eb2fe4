extension MarginModelConfiguration {
    /// A stable 64-bit digest of the configuration: FNV-1a over a canonical encoding.
    ///
    /// The encoding lists every field as `key` then value, in a fixed order, with per-asset overrides sorted by
    /// symbol, so dictionary order does not matter and every field change changes the digest. A schema version
    /// prefix keeps digests of different layouts apart.
    public var configurationHash: UInt64 {
        var h = FNV1a64()
        h.combine("fulcrum.margin-model.configuration.v1")
        h.combine("coverage.tailProbability"); h.combine(coverage.tailProbability)
        h.combine("coverage.riskMeasure"); h.combine(coverage.riskMeasure.rawValue)
        h.combine("coverage.liquidationHorizonNs"); h.combine(coverage.liquidationHorizonNs)
        h.combine("coverage.minimumResidualCount"); h.combine(coverage.minimumResidualCount)
        h.combine("coverage.fallbackDegreesOfFreedom"); h.combine(coverage.fallbackDegreesOfFreedom)
        h.combine("coverage.fallbackReferenceSampleSize"); h.combine(coverage.fallbackReferenceSampleSize)
        h.combine("coverage.warmupAnnualVolatility"); h.combine(coverage.warmupAnnualVolatility)
        h.combine("coverage.warmupPriorWeight"); h.combine(coverage.warmupPriorWeight)
        // Only when the horizon is aggregated: √(H/Δ) scaling is what every configuration meant before the
        // setting existed, so such configurations keep their digest (and the maximum is irrelevant to them).
        if coverage.horizonAggregation != .squareRoot {
            h.combine("coverage.horizonAggregation"); h.combine(coverage.horizonAggregation.rawValue)
            h.combine("coverage.maximumAggregatedSteps"); h.combine(coverage.maximumAggregatedSteps)
        }
        h.combine("liquidation.fixedCostFraction"); h.combine(liquidation.fixedCostFraction)
        h.combine("liquidation.impactCoefficient"); h.combine(liquidation.impactCoefficient)
        h.combine("liquidation.tradingDayNs"); h.combine(liquidation.tradingDayNs)
        h.combine("liquidation.unknownLiquidityCostFraction"); h.combine(liquidation.unknownLiquidityCostFraction)
        h.combine("leverage.maintenanceRatio"); h.combine(leverage.maintenanceRatio)
        h.combine("leverage.leverageSteps"); h.combine(leverage.leverageSteps.count)
        for step in leverage.leverageSteps { h.combine(step) }
        h.combine("leverage.minimumInitialMarginFraction"); h.combine(leverage.minimumInitialMarginFraction)
        h.combine("leverage.minimumMaintenanceMarginFraction"); h.combine(leverage.minimumMaintenanceMarginFraction)
        h.combine("leverage.maximumInitialMarginFraction"); h.combine(leverage.maximumInitialMarginFraction)
        h.combine("tiers.lowerBoundsADVFraction"); h.combine(tiers.lowerBoundsADVFraction.count)
        for bound in tiers.lowerBoundsADVFraction { h.combine(bound) }
        h.combine("tiers.maximumNotionalADVFraction"); h.combine(tiers.maximumNotionalADVFraction)
        h.combine("governance.maximumRelativeStep"); h.combine(governance.maximumRelativeStep)
        h.combine("governance.cooldownNs"); h.combine(governance.cooldownNs)
        h.combine("governance.hysteresisBasisPoints"); h.combine(governance.hysteresisBasisPoints)
        h.combine("governance.refreshIntervalNs"); h.combine(governance.refreshIntervalNs)
        h.combine("antiProcyclicality.mode"); h.combine(antiProcyclicality.mode.rawValue)
        h.combine("antiProcyclicality.bufferFraction"); h.combine(antiProcyclicality.bufferFraction)
        h.combine("circuitBreaker.shockThresholdSigmas"); h.combine(circuitBreaker.shockThresholdSigmas)
        h.combine("circuitBreaker.staleAfterNs"); h.combine(circuitBreaker.staleAfterNs)
        h.combine("circuitBreaker.holdNs"); h.combine(circuitBreaker.holdNs)
        h.combine("circuitBreaker.stressMultiplier"); h.combine(circuitBreaker.stressMultiplier)
        h.combine("portfolio.riskMeasure"); h.combine(portfolio.riskMeasure.rawValue)
        h.combine("portfolio.tailProbability"); h.combine(portfolio.tailProbability)
        h.combine("portfolio.degreesOfFreedom"); h.combine(portfolio.degreesOfFreedom)
        h.combine("portfolio.maximumCreditFraction"); h.combine(portfolio.maximumCreditFraction)
        h.combine("assetOverrides"); h.combine(assetOverrides.count)
        for symbol in assetOverrides.keys.sorted() {
            let o = assetOverrides[symbol]!
            h.combine(symbol)
            h.combine("tailProbability"); h.combine(o.tailProbability)
            h.combine("liquidationHorizonNs"); h.combine(o.liquidationHorizonNs)
            h.combine("minimumInitialMarginFraction"); h.combine(o.minimumInitialMarginFraction)
            h.combine("minimumMaintenanceMarginFraction"); h.combine(o.minimumMaintenanceMarginFraction)
            h.combine("maximumInitialMarginFraction"); h.combine(o.maximumInitialMarginFraction)
            h.combine("maximumLeverage"); h.combine(o.maximumLeverage.map(Int64.init))
            h.combine("averageDailyVolumeNotional"); h.combine(o.averageDailyVolumeNotional)
            h.combine("tierLowerBounds"); h.combine(o.tierLowerBounds != nil)
            h.combine(o.tierLowerBounds?.count ?? 0)
            for bound in o.tierLowerBounds ?? [] { h.combine(bound) }
            h.combine("maximumNotional"); h.combine(o.maximumNotional)
            h.combine("openInterestLowerCap"); h.combine(o.openInterestLowerCap)
            h.combine("openInterestUpperCap"); h.combine(o.openInterestUpperCap)
            // Only when present, so that configurations without governance overrides keep their digest (and a
            // checkpoint written before these settings existed resumes without a configuration-change warning);
            // the key string keeps the encoding unambiguous.
            if let g = o.governance {
                h.combine("governance")
                h.combine("maximumRelativeStep"); h.combine(g.maximumRelativeStep)
                h.combine("cooldownNs"); h.combine(g.cooldownNs)
                h.combine("hysteresisBasisPoints"); h.combine(g.hysteresisBasisPoints)
                h.combine("refreshIntervalNs"); h.combine(g.refreshIntervalNs)
            }
        }
        return h.value
    }
}
