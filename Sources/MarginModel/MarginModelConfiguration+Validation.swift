import FulcrumSettings

extension MarginModelConfiguration {
    /// Checks every value; throws a `ConfigurationError` naming the first bad key, its value and the allowed range.
    /// `keyPrefix` is the path of the section in a larger configuration file (e.g. `model` gives
    /// `model.coverage.tailProbability`); empty, keys are relative to the model's root.
    public func validate(keyPrefix: String = "") throws(ConfigurationError) {
        let check = ConfigurationCheck(prefix: keyPrefix)
        let c = coverage
        try check.require(c.tailProbability > 0 && c.tailProbability < 0.5, "coverage.tailProbability",
                          c.tailProbability, "a probability in (0, 0.5)")
        try check.require(c.liquidationHorizonNs > 0, "coverage.liquidationHorizonNs", c.liquidationHorizonNs,
                          "a positive duration in ns")
        try check.require(c.minimumResidualCount >= 1, "coverage.minimumResidualCount", c.minimumResidualCount,
                          "at least 1")
        try check.require(c.fallbackDegreesOfFreedom > 2 && c.fallbackDegreesOfFreedom <= 1_000,
                          "coverage.fallbackDegreesOfFreedom", c.fallbackDegreesOfFreedom,
                          "a value in (2, 1000] (unit variance needs ν > 2)")
        try check.require(c.fallbackReferenceSampleSize >= 10 && c.fallbackReferenceSampleSize <= 1_000_000,
                          "coverage.fallbackReferenceSampleSize", c.fallbackReferenceSampleSize,
                          "an integer in [10, 1000000]")
        try check.require(c.warmupAnnualVolatility > 0 && c.warmupAnnualVolatility <= 100,
                          "coverage.warmupAnnualVolatility", c.warmupAnnualVolatility, "a value in (0, 100]")
        try check.require(c.warmupPriorWeight >= 0 && c.warmupPriorWeight <= 1e6, "coverage.warmupPriorWeight",
                          c.warmupPriorWeight, "a value in [0, 1000000]")
        try check.require(c.maximumAggregatedSteps >= 1 && c.maximumAggregatedSteps <= 100,
                          "coverage.maximumAggregatedSteps", c.maximumAggregatedSteps, "an integer in [1, 100]")

        let l = liquidation
        try check.require(l.fixedCostFraction >= 0 && l.fixedCostFraction < 1, "liquidation.fixedCostFraction",
                          l.fixedCostFraction, "a fraction in [0, 1)")
        try check.require(l.impactCoefficient >= 0 && l.impactCoefficient <= 100, "liquidation.impactCoefficient",
                          l.impactCoefficient, "a value in [0, 100]")
        try check.require(l.tradingDayNs > 0, "liquidation.tradingDayNs", l.tradingDayNs, "a positive duration")
        try check.require(l.unknownLiquidityCostFraction >= 0 && l.unknownLiquidityCostFraction < 1,
                          "liquidation.unknownLiquidityCostFraction", l.unknownLiquidityCostFraction,
                          "a fraction in [0, 1)")

        let v = leverage
        try check.require(v.maintenanceRatio > 0 && v.maintenanceRatio <= 1, "leverage.maintenanceRatio",
                          v.maintenanceRatio, "a ratio in (0, 1]")
        try check.require(!v.leverageSteps.isEmpty && v.leverageSteps.first! >= 1
                            && zip(v.leverageSteps, v.leverageSteps.dropFirst()).allSatisfy { $0 < $1 },
                          "leverage.leverageSteps", v.leverageSteps,
                          "a non-empty, strictly ascending list of integers ≥ 1")
        try check.require(v.minimumMaintenanceMarginFraction > 0 && v.minimumMaintenanceMarginFraction <= 1,
                          "leverage.minimumMaintenanceMarginFraction", v.minimumMaintenanceMarginFraction,
                          "a fraction in (0, 1]")
        try check.require(v.minimumInitialMarginFraction > 0 && v.minimumInitialMarginFraction <= 1,
                          "leverage.minimumInitialMarginFraction", v.minimumInitialMarginFraction,
                          "a fraction in (0, 1]")
        try check.require(v.maximumInitialMarginFraction >= v.minimumInitialMarginFraction
                            && v.maximumInitialMarginFraction >= v.minimumMaintenanceMarginFraction
                            && v.maximumInitialMarginFraction <= 1,
                          "leverage.maximumInitialMarginFraction", v.maximumInitialMarginFraction,
                          "a fraction in [max(IMF floor, MMF floor), 1]")

        try Self.validateTierBounds(tiers.lowerBoundsADVFraction, "tiers.lowerBoundsADVFraction", check)
        try check.require(tiers.maximumNotionalADVFraction > (tiers.lowerBoundsADVFraction.last ?? 0)
                            && tiers.maximumNotionalADVFraction.isFinite,
                          "tiers.maximumNotionalADVFraction", tiers.maximumNotionalADVFraction,
                          "a finite value above the last tier lower bound")

        try governance.validate(check.section("governance"))

        try check.require(antiProcyclicality.bufferFraction >= 0.25 && antiProcyclicality.bufferFraction <= 10,
                          "antiProcyclicality.bufferFraction", antiProcyclicality.bufferFraction,
                          "a fraction in [0.25, 10] (EMIR requires at least 25 %)")

        let b = circuitBreaker
        try check.require(b.shockThresholdSigmas > 0 && b.shockThresholdSigmas.isFinite,
                          "circuitBreaker.shockThresholdSigmas", b.shockThresholdSigmas, "a positive number")
        try check.require(b.staleAfterNs > 0, "circuitBreaker.staleAfterNs", b.staleAfterNs, "a positive duration")
        try check.require(b.holdNs >= 0, "circuitBreaker.holdNs", b.holdNs, "a duration ≥ 0 ns")
        try check.require(b.stressMultiplier >= 1 && b.stressMultiplier <= 100, "circuitBreaker.stressMultiplier",
                          b.stressMultiplier, "a value in [1, 100]")

        try portfolio.validate(keyPrefix: check.key("portfolio"))

        for symbol in assetOverrides.keys.sorted() {
            try assetOverrides[symbol]!.validate(check.section("assetOverrides.\(symbol)"), global: self)
        }
    }

    static func validateTierBounds(_ bounds: [Double], _ name: String,
                                   _ check: ConfigurationCheck) throws(ConfigurationError) {
        try check.require(
            !bounds.isEmpty && bounds.count <= maximumTierCount && bounds.first == 0
                && bounds.allSatisfy { $0.isFinite }
                && zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 },
            name, bounds, "1 to \(maximumTierCount) finite, strictly ascending values starting at 0")
    }
}

extension MarginModelConfiguration.Governance {
    /// Checks every value; `check` writes keys under the section's path (`governance`, or
    /// `assetOverrides.X.governance` for an asset's resolved settings, whose global values were checked first).
    func validate(_ check: ConfigurationCheck) throws(ConfigurationError) {
        try check.require(maximumRelativeStep > 0 && maximumRelativeStep < 1, "maximumRelativeStep",
                          maximumRelativeStep, "a fraction in (0, 1)")
        try check.require(cooldownNs >= 0, "cooldownNs", cooldownNs, "a duration ≥ 0 ns")
        try check.require(hysteresisBasisPoints >= 0 && hysteresisBasisPoints < 10_000,
                          "hysteresisBasisPoints", hysteresisBasisPoints, "a value in [0, 10000)")
        try check.require(refreshIntervalNs > 0, "refreshIntervalNs", refreshIntervalNs,
                          "a positive duration in ns")
    }
}

extension AssetOverrides {
    /// Checks the values set; `check` writes keys under the entry's path (`assetOverrides.X`).
    func validate(_ check: ConfigurationCheck, global: MarginModelConfiguration) throws(ConfigurationError) {
        if let value = tailProbability {
            try check.require(value > 0 && value < 0.5, "tailProbability", value, "a probability in (0, 0.5)")
        }
        if let value = liquidationHorizonNs {
            try check.require(value > 0, "liquidationHorizonNs", value, "a positive duration in ns")
        }
        let imfFloor = minimumInitialMarginFraction ?? global.leverage.minimumInitialMarginFraction
        let mmfFloor = minimumMaintenanceMarginFraction ?? global.leverage.minimumMaintenanceMarginFraction
        let imfCap = maximumInitialMarginFraction ?? global.leverage.maximumInitialMarginFraction
        if let value = minimumInitialMarginFraction {
            try check.require(value > 0 && value <= 1, "minimumInitialMarginFraction", value,
                              "a fraction in (0, 1]")
        }
        if let value = minimumMaintenanceMarginFraction {
            try check.require(value > 0 && value <= 1, "minimumMaintenanceMarginFraction", value,
                              "a fraction in (0, 1]")
        }
        try check.require(imfCap >= imfFloor && imfCap >= mmfFloor && imfCap <= 1,
                          "maximumInitialMarginFraction", imfCap,
                          "a fraction in [max(IMF floor, MMF floor), 1]")
        if let value = maximumLeverage {
            try check.require(value >= 1, "maximumLeverage", value, "an integer ≥ 1")
        }
        if let value = averageDailyVolumeNotional {
            try check.require(value > 0 && value.isFinite, "averageDailyVolumeNotional", value,
                              "a positive notional")
        }
        if let bounds = tierLowerBounds {
            try MarginModelConfiguration.validateTierBounds(bounds, "tierLowerBounds", check)
        }
        if let value = maximumNotional {
            try check.require(value > (tierLowerBounds?.last ?? 0) && value.isFinite, "maximumNotional",
                              value, "a finite notional above the last tier lower bound")
        }
        if let lower = openInterestLowerCap, let upper = openInterestUpperCap {
            try check.require(lower >= 0 && upper > lower, "openInterestUpperCap", upper,
                              "a notional above openInterestLowerCap (\(lower))")
        } else if openInterestLowerCap != nil || openInterestUpperCap != nil {
            try check.require(false, "openInterestUpperCap",
                              openInterestUpperCap.map { "\($0)" } ?? "(missing)",
                              "both open-interest caps set, or neither")
        }
        if let overrides = governance {
            // Only the fields set here can fail: the global values they complete were checked before.
            try overrides.resolved(over: global.governance).validate(check.section("governance"))
        }
    }
}
