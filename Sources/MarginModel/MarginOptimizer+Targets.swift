extension MarginOptimizer {
    /// Builds the target tiers from the tail losses into `tiers`; returns the unfloored long and short MMF of the
    /// smallest tier.
    ///
    /// Tier n covers notionals [lowerₙ, lowerₙ₊₁) and is priced at its largest position:
    /// costₙ = fixed + Y·σ_daily·√(lowerₙ₊₁/ADV) with σ_daily = σ_step·√(day/Δ) (square-root impact), so
    /// MMFₙ = max(long tail loss, short tail loss) + costₙ, times the anti-procyclical buffer when it applies,
    /// then floored and capped. IMFₙ = MMFₙ / maintenance ratio within [floor, cap] and never below MMFₙ; both are
    /// made non-decreasing across tiers, and max leverage snaps 1/IMFₙ down to the ladder.
    func targetTiers(
        asset: Int, sigmaStep: Double, gridIntervalNs: Int64, longLoss: Double,
        shortLoss: Double, averageDailyVolume adv: Double?, bufferFactor: Double, into tiers: inout MarginTierTable,
        reasons: inout MarginReasons
    ) -> (long: Double, short: Double) {
        let config = configuration
        tiers.removeAll()
        // Lower bounds: absolute overrides, else ADV fractions rounded to 1-2-5, else a single tier.
        if let bounds = settings[asset].tierLowerBounds {
            for bound in bounds { tiers.append(Self.tier(lower: bound)) }
        } else if let adv {
            for fraction in config.tiers.lowerBoundsADVFraction {
                let bound = NotionalRounding.roundDown(fraction * adv)
                if tiers.isEmpty || bound > tiers[tiers.count - 1].lowerBoundNotional {
                    tiers.append(Self.tier(lower: bound))
                }
            }
        } else {
            tiers.append(Self.tier(lower: 0))
        }
        let lastLower = tiers[tiers.count - 1].lowerBoundNotional
        var maximumNotional = settings[asset].maximumNotional
            ?? adv.map { NotionalRounding.roundDown(config.tiers.maximumNotionalADVFraction * $0) }
            ?? Double.greatestFiniteMagnitude
        if !(maximumNotional > lastLower) { maximumNotional = max(2 * lastLower, 1) }
        if adv == nil { reasons.insert(.liquidityUnknown) }

        let dailySigma = sigmaStep * (Double(config.liquidation.tradingDayNs) / Double(gridIntervalNs)).squareRoot()
        let fixed = config.liquidation.fixedCostFraction
        let impact = config.liquidation.impactCoefficient
        let ratio = config.leverage.maintenanceRatio
        let mmfFloor = settings[asset].minimumMaintenanceMarginFraction
        let cap = settings[asset].maximumInitialMarginFraction
        let leverageFloor = settings[asset].maximumLeverage.map { 1 / Double($0) } ?? 0
        let baseIMFFloor = settings[asset].minimumInitialMarginFraction
        let imfFloor = max(baseIMFFloor, leverageFloor)
        var longMaintenance = 0.0
        var shortMaintenance = 0.0
        var previousIMF = 0.0
        var previousMMF = 0.0
        for index in 0..<tiers.count {
            let upper = index + 1 < tiers.count ? tiers[index + 1].lowerBoundNotional : maximumNotional
            let cost: Double
            if let adv {
                cost = fixed + impact * dailySigma * (upper / adv).squareRoot()
            } else {
                cost = fixed + config.liquidation.unknownLiquidityCostFraction
            }
            let long = longLoss + cost
            let short = shortLoss + cost
            if index == 0 {
                longMaintenance = long
                shortMaintenance = short
            }
            var mmf = max(long, short) * bufferFactor
            if !(mmf >= mmfFloor) {
                mmf = mmfFloor
                reasons.insert(.floorApplied)
            }
            if mmf > cap {
                mmf = cap
                reasons.insert(.capApplied)
            }
            var imf = mmf / ratio
            if !(imf >= imfFloor) {
                imf = imfFloor
                reasons.insert(leverageFloor > baseIMFFloor ? .leverageCapped : .floorApplied)
            }
            if imf > cap {
                imf = cap
                reasons.insert(.capApplied)
            }
            mmf = max(mmf, previousMMF)
            imf = max(imf, mmf, previousIMF)
            previousMMF = mmf
            previousIMF = imf
            tiers[index].upperBoundNotional = upper
            tiers[index].initialMarginFraction = imf
            tiers[index].maintenanceMarginFraction = mmf
            tiers[index].maxLeverage = LeverageLadder.maxLeverage(initialMarginFraction: imf,
                                                                  steps: config.leverage.leverageSteps)
        }
        tiers.recomputeMaintenanceDeductions()
        if !longMaintenance.isFinite { longMaintenance = cap }
        if !shortMaintenance.isFinite { shortMaintenance = cap }
        return (longMaintenance, shortMaintenance)
    }

    private static func tier(lower: Double) -> MarginTier {
        MarginTier(lowerBoundNotional: lower, upperBoundNotional: lower, initialMarginFraction: 0,
                   maintenanceMarginFraction: 0, maxLeverage: 1)
    }
}
