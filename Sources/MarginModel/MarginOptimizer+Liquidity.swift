extension MarginOptimizer {
    /// Builds the target tiers from the impact curve into `tiers` (see ``LiquidityConfiguration``); returns the
    /// unfloored long and short MMF of the smallest tier, as `targetTiers` does for the √-impact/ADV model.
    ///
    /// Floors: 0, then the notional at which the curve's cost first reaches each further threshold of
    /// `liquidity.tierCostThresholds`, rounded down to 1-2-5 and kept only when above the previous floor (absolute
    /// overrides of the asset's tier bounds take precedence); the position limit is the notional reaching
    /// `maximumCostFraction` (or the asset's `maximumNotional`). Tier n is priced at its upper bound U:
    /// MMFₙ = max(long loss + fixed + c_long(U), short loss + fixed + c_short(U)) × buffer, then floors,
    /// caps, IMF = MMF / ratio and monotonicity exactly as for the ADV model.
    func bookTargetTiers(
        asset: Int, curve: ImpactCurve, longLoss: Double, shortLoss: Double, bufferFactor: Double,
        into tiers: inout MarginTierTable, reasons: inout MarginReasons
    ) -> (long: Double, short: Double) {
        let config = configuration
        let liquidity = config.liquidity
        tiers.removeAll()
        if let bounds = settings[asset].tierLowerBounds {
            for bound in bounds { tiers.append(Self.emptyTier(lower: bound)) }
        } else {
            for threshold in liquidity.tierCostThresholds {
                let raw = threshold == 0 ? 0 : curve.notional(reachingCost: threshold)
                guard raw.isFinite else { break }
                let bound = threshold == 0 ? 0 : NotionalRounding.roundDown(raw)
                if tiers.isEmpty || bound > tiers[tiers.count - 1].lowerBoundNotional {
                    tiers.append(Self.emptyTier(lower: bound))
                }
            }
        }
        let lastLower = tiers[tiers.count - 1].lowerBoundNotional
        let limit = curve.notional(reachingCost: liquidity.maximumCostFraction)
        var maximumNotional = settings[asset].maximumNotional
            ?? (limit.isFinite ? NotionalRounding.roundDown(limit) : Double.greatestFiniteMagnitude)
        if !(maximumNotional > lastLower) { maximumNotional = max(2 * lastLower, 1) }
        reasons.insert(.bookImpact)

        let fixed = config.liquidation.fixedCostFraction
        var longMaintenance = 0.0
        var shortMaintenance = 0.0
        var previousIMF = 0.0
        var previousMMF = 0.0
        for index in 0..<tiers.count {
            let upper = index + 1 < tiers.count ? tiers[index + 1].lowerBoundNotional : maximumNotional
            let long = longLoss + fixed + curve.longCost(at: upper)
            let short = shortLoss + fixed + curve.shortCost(at: upper)
            if index == 0 {
                longMaintenance = long
                shortMaintenance = short
            }
            let shaped = shapeTier(asset: asset, maintenance: max(long, short) * bufferFactor,
                                   previousIMF: previousIMF, previousMMF: previousMMF, reasons: &reasons)
            previousMMF = shaped.mmf
            previousIMF = shaped.imf
            tiers[index].upperBoundNotional = upper
            tiers[index].initialMarginFraction = shaped.imf
            tiers[index].maintenanceMarginFraction = shaped.mmf
            tiers[index].maxLeverage = LeverageLadder.maxLeverage(initialMarginFraction: shaped.imf,
                                                                  steps: config.leverage.leverageSteps)
        }
        tiers.recomputeMaintenanceDeductions()
        let cap = settings[asset].maximumInitialMarginFraction
        if !longMaintenance.isFinite { longMaintenance = cap }
        if !shortMaintenance.isFinite { shortMaintenance = cap }
        return (longMaintenance, shortMaintenance)
    }

    /// Floors, caps and the IMF of one tier's MMF, as the ADV model shapes them (`targetTiers`).
    func shapeTier(asset: Int, maintenance: Double, previousIMF: Double, previousMMF: Double,
                   reasons: inout MarginReasons) -> (imf: Double, mmf: Double) {
        let mmfFloor = settings[asset].minimumMaintenanceMarginFraction
        let cap = settings[asset].maximumInitialMarginFraction
        let leverageFloor = settings[asset].maximumLeverage.map { 1 / Double($0) } ?? 0
        let baseIMFFloor = settings[asset].minimumInitialMarginFraction
        let imfFloor = max(baseIMFFloor, leverageFloor)
        var mmf = maintenance
        if !(mmf >= mmfFloor) {
            mmf = mmfFloor
            reasons.insert(.floorApplied)
        }
        if mmf > cap {
            mmf = cap
            reasons.insert(.capApplied)
        }
        var imf = mmf / configuration.leverage.maintenanceRatio
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
        return (imf, mmf)
    }

    /// Open-interest scaling of IMF and the concentration add-on to MMF, on whichever schedule was built.
    func applyCrowding(asset: Int, inputs: AssetRiskInputs, sigmaStep: Double, gridIntervalNs: Int64,
                       averageDailyVolume adv: Double?, tiers: inout MarginTierTable, reasons: inout MarginReasons) {
        guard inputs.liquidity.openInterestNotional != nil else { return }
        let dailySigma = sigmaStep * (Double(configuration.liquidation.tradingDayNs) / Double(gridIntervalNs))
            .squareRoot()
        let addOn = concentrationAddOn(liquidity: inputs.liquidity, averageDailyVolume: adv, dailySigma: dailySigma)
        addConcentration(addOn, asset: asset, tiers: &tiers, reasons: &reasons)
        scaleForOpenInterest(asset: asset, liquidity: inputs.liquidity, averageDailyVolume: adv, tiers: &tiers,
                             reasons: &reasons)
    }

    /// The concentration add-on to every tier's MMF: κ·σ_daily·(√max(DTL, 1) − 1), DTL = OI/(participation·ADV);
    /// 0 without open interest or ADV.
    func concentrationAddOn(liquidity inputs: LiquidityInputs, averageDailyVolume adv: Double?,
                            dailySigma: Double) -> Double {
        let liquidity = configuration.liquidity
        guard liquidity.concentrationMultiplier > 0, let oi = inputs.openInterestNotional, oi.isFinite, oi > 0,
              let adv, adv > 0, dailySigma.isFinite else { return 0 }
        let days = oi / (liquidity.participationRate * adv)
        return liquidity.concentrationMultiplier * dailySigma * (max(days, 1).squareRoot() - 1)
    }

    /// The live open-interest caps (L, U) of an asset: ADV multiples bounded by the configured caps, or the
    /// configured caps alone without an ADV; `nil` when neither gives caps.
    public func openInterestCaps(asset: Int, averageDailyVolume adv: Double?) -> (lower: Double, upper: Double)? {
        let liquidity = configuration.liquidity
        let configuredLower = settings[asset].overrides.openInterestLowerCap
        let configuredUpper = settings[asset].overrides.openInterestUpperCap
        if let adv, adv > 0, liquidity.openInterestLowerCapADV > 0 {
            var lower = liquidity.openInterestLowerCapADV * adv
            var upper = liquidity.openInterestUpperCapADV * adv
            if let configuredLower, configuredLower > 0 { lower = min(lower, configuredLower) }
            if let configuredUpper, configuredUpper > 0 { upper = min(upper, configuredUpper) }
            return upper > lower ? (lower, upper) : nil
        }
        if let configuredLower, let configuredUpper, configuredUpper > configuredLower {
            return (configuredLower, configuredUpper)
        }
        return nil
    }

    /// Applies dYdX's open-interest scaling to every target tier's IMF:
    /// IMF_eff = min(IMF + max(s·(1 − IMF), 0), cap), s = (OI − L)/(U − L); marks ``MarginReasons/openInterestScaled``
    /// when it raises any tier. Max leverage follows the new IMF.
    func scaleForOpenInterest(asset: Int, liquidity inputs: LiquidityInputs, averageDailyVolume adv: Double?,
                              tiers: inout MarginTierTable, reasons: inout MarginReasons) {
        guard let oi = inputs.openInterestNotional, oi.isFinite, oi > 0,
              let caps = openInterestCaps(asset: asset, averageDailyVolume: adv) else { return }
        let cap = settings[asset].maximumInitialMarginFraction
        var raised = false
        for index in 0..<tiers.count {
            let base = tiers[index].initialMarginFraction
            let scaled = min(DydxLiquidityTier.effectiveInitialMarginFraction(
                base: base, lowerCap: caps.lower, upperCap: caps.upper, openInterestNotional: oi), max(cap, base))
            if scaled > base {
                raised = true
                tiers[index].initialMarginFraction = scaled
                tiers[index].maxLeverage = LeverageLadder.maxLeverage(
                    initialMarginFraction: scaled, steps: configuration.leverage.leverageSteps)
            }
        }
        if raised { reasons.insert(.openInterestScaled) }
    }

    /// Whether the liquidated notional of the window is a cascade: above `cascadeDepthMultiple` × the visible
    /// depth, or, without a book, above `cascadeADVFraction` × ADV.
    func isLiquidationCascade(liquidity inputs: LiquidityInputs, averageDailyVolume adv: Double?) -> Bool {
        let liquidity = configuration.liquidity
        let flow = inputs.liquidatedNotional
        guard flow.isFinite, flow > 0 else { return false }
        if let depth = inputs.visibleDepthNotional, depth > 0 {
            return liquidity.cascadeDepthMultiple > 0 && flow > liquidity.cascadeDepthMultiple * depth
        }
        if let adv, adv > 0 {
            return liquidity.cascadeADVFraction > 0 && flow > liquidity.cascadeADVFraction * adv
        }
        return false
    }

    /// Adds the concentration add-on to every target tier's MMF (capped), raising IMF to MMF / ratio where needed;
    /// marks ``MarginReasons/concentrationAddOn``.
    func addConcentration(_ addOn: Double, asset: Int, tiers: inout MarginTierTable, reasons: inout MarginReasons) {
        guard addOn > 0, addOn.isFinite else { return }
        let cap = settings[asset].maximumInitialMarginFraction
        for index in 0..<tiers.count {
            let mmf = min(tiers[index].maintenanceMarginFraction + addOn, cap)
            let imf = min(max(tiers[index].initialMarginFraction, mmf / configuration.leverage.maintenanceRatio), cap)
            tiers[index].maintenanceMarginFraction = mmf
            tiers[index].initialMarginFraction = max(imf, mmf)
            tiers[index].maxLeverage = LeverageLadder.maxLeverage(initialMarginFraction: tiers[index].initialMarginFraction,
                                                                  steps: configuration.leverage.leverageSteps)
        }
        tiers.recomputeMaintenanceDeductions()
        reasons.insert(.concentrationAddOn)
    }

    static func emptyTier(lower: Double) -> MarginTier {
        MarginTier(lowerBoundNotional: lower, upperBoundNotional: lower, initialMarginFraction: 0,
                   maintenanceMarginFraction: 0, maxLeverage: 1)
    }
}
