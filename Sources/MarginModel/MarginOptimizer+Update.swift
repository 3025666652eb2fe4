extension MarginOptimizer {
    /// Recomputes the target for `asset` from `inputs`, governs the published values and returns both.
    ///
    /// Never returns NaN: invalid inputs fall back to the last valid σ and grid interval, trip the circuit
    /// breaker and carry `.invalidInput`; every value is then floored. `asset` must be in 0..<assetCount.
    public mutating func update(asset: Int, inputs: AssetRiskInputs) -> AssetParameters {
        var result = AssetParameters.placeholder
        update(asset: asset, inputs: inputs, into: &result)
        return result
    }

    /// `update(asset:inputs:)` writing into caller-owned storage: every field of `result` is overwritten.
    ///
    /// Reusing one `AssetParameters` per asset across updates avoids copying two tier tables per call.
    public mutating func update(asset: Int, inputs given: AssetRiskInputs, into result: inout AssetParameters) {
        precondition(asset >= 0 && asset < symbols.count, "asset index \(asset) out of range")
        let inputs = given.widened
        let now = inputs.eventTimeNs
        var reasons: MarginReasons = given.volatilityMultiplier != 1 ? .coverageWidening : []
        let adv = settings[asset].averageDailyVolumeNotional
            ?? inputs.averageDailyVolumeNotional.flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
        // Liquidity: the cascade detector (see MarginOptimizer+Liquidity.swift).
        let cascade = isLiquidationCascade(liquidity: inputs.liquidity, averageDailyVolume: adv)
        let condition = Self.assess(inputs, state: &states[asset], circuitBreaker: configuration.circuitBreaker,
                                    reasons: &reasons, cascade: cascade)

        // Volatility used: stressed level under the breaker, anti-procyclical floor or buffer otherwise.
        let apc = configuration.antiProcyclicality
        var sigmaUsed = inputs.isWarming ? warmupSigma(condition.sigma, inputs: inputs, gridNs: condition.gridNs)
            : condition.sigma
        var bufferFactor = 1.0
        if condition.breakerActive {
            sigmaUsed = max(condition.sigma, condition.stressedSigma ?? 0)
                * configuration.circuitBreaker.stressMultiplier
        } else if apc.mode == .stressedVolatilityFloor, let stressed = condition.stressedSigma {
            if stressed > condition.sigma {
                sigmaUsed = stressed
                reasons.insert(.antiProcyclicalFloor)
            }
        } else if apc.mode != .off {
            bufferFactor = 1 + apc.bufferFraction
            reasons.insert(.antiProcyclicalBuffer)
        }
        let horizonSigma = sigmaUsed * (Double(settings[asset].horizonNs) / Double(condition.gridNs)).squareRoot()

        let blocks = horizonBlocks(asset: asset, gridNs: condition.gridNs, residuals: inputs.residuals,
                                   decay: inputs.varianceDecay)
        let losses = tailLosses(asset: asset, residuals: inputs.residuals, horizonSigma: horizonSigma, blocks: blocks)
        if !losses.usedHistory { reasons.insert(.parametricFallback) }

        // Liquidity: tiers from the book impact curve when one exists, crowding on either schedule.
        let sides = inputs.liquidity.impact.map {
            bookTargetTiers(asset: asset, curve: $0, longLoss: losses.long, shortLoss: losses.short,
                            bufferFactor: bufferFactor, into: &result.targetTiers, reasons: &reasons)
        } ?? targetTiers(asset: asset, sigmaStep: sigmaUsed, gridIntervalNs: condition.gridNs,
                         longLoss: losses.long, shortLoss: losses.short, averageDailyVolume: adv,
                         bufferFactor: bufferFactor, into: &result.targetTiers, reasons: &reasons)
        applyCrowding(asset: asset, inputs: inputs, sigmaStep: sigmaUsed, gridIntervalNs: condition.gridNs,
                      averageDailyVolume: adv, tiers: &result.targetTiers, reasons: &reasons)
        applyHealth(inputs.healthMultiplier, asset: asset, tiers: &result.targetTiers, reasons: &reasons)

        let status: MarginStatus = condition.stale ? .stale
            : condition.breakerActive ? .stressed
            : (inputs.isWarming || !losses.usedHistory) ? .warming : .ready
        let publication = Self.publish(target: result.targetTiers, state: &states[asset], now: now,
                                       status: status, breakerActive: condition.breakerActive,
                                       gridIntervalNs: condition.gridNs, governor: settings[asset].governor,
                                       leverageSteps: configuration.leverage.leverageSteps, reasons: &reasons)
        result.publishedTiers = states[asset].published

        let targetTier = result.targetTiers[0]
        let publishedTier = result.publishedTiers[0]
        result.asset = asset
        result.eventTimeNs = now
        result.status = status
        result.reasons = reasons
        result.changed = publication.changed
        result.target = MarginLevels(initialMarginFraction: targetTier.initialMarginFraction,
                                     maintenanceMarginFraction: targetTier.maintenanceMarginFraction,
                                     maxLeverage: targetTier.maxLeverage)
        result.published = MarginLevels(initialMarginFraction: publishedTier.initialMarginFraction,
                                        maintenanceMarginFraction: publishedTier.maintenanceMarginFraction,
                                        maxLeverage: publishedTier.maxLeverage)
        result.longMaintenanceMarginFraction = sides.long
        result.shortMaintenanceMarginFraction = sides.short
        result.longTailLoss = losses.long
        result.shortTailLoss = losses.short
        result.etaSteps = publication.etaSteps
        result.etaNs = publication.etaNs
        result.inputs = MarginInputsEcho(
            sigmaStep: inputs.sigmaStep.isFinite ? inputs.sigmaStep : nil,
            effectiveSigmaStep: sigmaUsed,
            horizonSigma: horizonSigma,
            stressedSigmaStep: condition.stressedSigma,
            effectiveSampleSize: inputs.effectiveSampleSize.isFinite ? inputs.effectiveSampleSize : 0,
            residualCount: inputs.residuals.count,
            tailObservations: losses.observations,
            stalenessNs: inputs.stalenessNs,
            lastStandardizedReturn: inputs.lastStandardizedReturn.isFinite ? inputs.lastStandardizedReturn : nil,
            averageDailyVolumeNotional: adv)
        // The live open-interest caps, for the venue formats (AssetParameters+VenueFormats.swift).
        let caps = openInterestCaps(asset: asset, averageDailyVolume: adv)
        result.inputs.openInterestLowerCap = caps?.lower
        result.inputs.openInterestUpperCap = caps?.upper
        result.configurationHash = configurationHash
    }

    /// Sanitized inputs and circuit-breaker state of one update.
    struct Condition {
        var sigma: Double
        var stressedSigma: Double?
        var gridNs: Int64
        var stale: Bool
        var breakerActive: Bool
    }

    /// Validates inputs (keeping the last valid σ and Δ in `state`) and evaluates the circuit breaker.
    ///
    /// The breaker trips on a standardized return beyond `shockThresholdSigmas`, on a feed older than
    /// `staleAfterNs`, and on a σ or Δ that cannot be used; it then holds for `holdNs` after the last trigger.
    /// The warm-up σ: max(σ̂, √((ESS·σ̂² + n₀·σ₀²)/(ESS + n₀))), the blend of the estimate σ̂ and the configured
    /// prior σ₀ (`warmupAnnualVolatility` scaled to one grid step, 365-day year), never below the estimate.
    func warmupSigma(_ estimate: Double, inputs: AssetRiskInputs, gridNs: Int64) -> Double {
        let coverage = configuration.coverage
        let year = 365.0 * 86_400e9
        let prior = coverage.warmupAnnualVolatility * (Double(gridNs) / year).squareRoot()
        let ess = inputs.effectiveSampleSize.isFinite ? max(inputs.effectiveSampleSize, 0) : 0
        let weight = ess + coverage.warmupPriorWeight
        guard weight > 0 else { return estimate }
        let blend = ((ess * estimate * estimate + coverage.warmupPriorWeight * prior * prior) / weight).squareRoot()
        // The prior only ever makes a warming estimate more conservative, never less.
        return max(estimate, blend)
    }

    static func assess(
        _ inputs: AssetRiskInputs, state: inout AssetMarginState,
        circuitBreaker: MarginModelConfiguration.CircuitBreaker, reasons: inout MarginReasons, cascade: Bool = false
    ) -> Condition {
        let now = inputs.eventTimeNs
        let sigmaValid = inputs.sigmaStep.isFinite && inputs.sigmaStep >= 0
        let gridValid = inputs.gridIntervalNs > 0
        let stressedSigma = inputs.stressedSigmaStep.flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
        let returnValid = inputs.lastStandardizedReturn.isFinite
        if sigmaValid { state.lastValidSigmaStep = inputs.sigmaStep }
        if gridValid { state.lastValidGridIntervalNs = inputs.gridIntervalNs }
        if !sigmaValid || !gridValid || !returnValid || (inputs.stressedSigmaStep != nil && stressedSigma == nil) {
            reasons.insert(.invalidInput)
        }
        let sigma = sigmaValid ? inputs.sigmaStep : max(state.lastValidSigmaStep, stressedSigma ?? 0)
        // With no valid Δ ever seen, one second is assumed; the breaker is active in that case anyway.
        let grid = state.lastValidGridIntervalNs > 0 ? state.lastValidGridIntervalNs : 1_000_000_000

        let stale = inputs.stalenessNs > circuitBreaker.staleAfterNs
        // A return measured against a σ that is still warming up says little about a shock.
        let shock = returnValid && !inputs.isWarming
            && abs(inputs.lastStandardizedReturn) > circuitBreaker.shockThresholdSigmas
        let untrusted = !sigmaValid || !gridValid
        if stale || shock || untrusted || cascade {
            state.breakerUntilNs = now.addingSaturating(circuitBreaker.holdNs)
            state.breakerCause = []
            if stale { state.breakerCause.insert(.circuitBreakerStale) }
            if shock || untrusted { state.breakerCause.insert(.circuitBreakerShock) }
            if cascade { state.breakerCause.insert(.circuitBreakerLiquidations) }
        }
        let breakerActive = stale || shock || untrusted || cascade || state.breakerUntilNs > now
        if breakerActive { reasons.formUnion(state.breakerCause) }
        return Condition(sigma: sigma, stressedSigma: stressedSigma, gridNs: grid, stale: stale,
                         breakerActive: breakerActive)
    }

    /// Long and short tail losses over the horizon, and where they came from.
    struct TailLosses {
        var long: Double
        var short: Double
        var observations: Int
        var usedHistory: Bool
    }

    /// FHS on the residual window when it holds `minimumResidualCount` residuals, else the Student-t fallback;
    /// over a horizon of several steps, FHS on the k-step `blocks` when there are enough of them.
    mutating func tailLosses(
        asset: Int, residuals: ResidualWindow, horizonSigma: Double, blocks: HorizonBlockWindow? = nil
    ) -> TailLosses {
        let measure = configuration.coverage.riskMeasure
        let count = residuals.count
        let epsilon = settings[asset].tailProbability
        let tailSize = max(1, Int((epsilon * Double(count)).rounded(.up)))
        var result = TailLosses(long: 0, short: 0, observations: 0, usedHistory: false)
        if count >= configuration.coverage.minimumResidualCount, let blocks,
           let aggregated = blockTailLosses(asset: asset, blocks: blocks, horizonSigma: horizonSigma) {
            result = aggregated
        } else if count >= configuration.coverage.minimumResidualCount {
            caches[asset].synchronize(with: residuals, tailSize: tailSize)
            if caches[asset].lower.count >= tailSize && caches[asset].upper.count >= tailSize {
                result.long = caches[asset].longLoss(tailSize: tailSize, horizonSigma: horizonSigma,
                                                     measure: measure)
                result.short = caches[asset].shortLoss(tailSize: tailSize, horizonSigma: horizonSigma,
                                                       measure: measure)
                result.observations = tailSize
                result.usedHistory = true
            }
        }
        if !result.usedHistory {
            result.long = fallbacks[asset].longLoss(horizonSigma: horizonSigma, measure: measure)
            result.short = fallbacks[asset].shortLoss(horizonSigma: horizonSigma, measure: measure)
            result.observations = fallbacks[asset].nodes.count
        }
        // Losses are finite for finite inputs; this keeps NaN from any source away from the floors.
        let cap = settings[asset].maximumInitialMarginFraction
        if !result.long.isFinite { result.long = cap }
        if !result.short.isFinite { result.short = cap }
        return result
    }

    /// The outcome of governing the published schedule.
    struct Publication {
        var changed: Bool
        var etaSteps: Int
        var etaNs: Int64
    }

    /// Governs `state.published` towards `target` in place, refreshes leverage and deductions, and decides
    /// whether the update is published.
    static func publish(
        target: MarginTierTable, state: inout AssetMarginState, now: Int64, status: MarginStatus,
        breakerActive: Bool, gridIntervalNs: Int64, governor: MarginGovernor, leverageSteps steps: [Int],
        reasons: inout MarginReasons
    ) -> Publication {
        let first = !state.isInitialized || state.published.isEmpty
        let refreshDue = MarginGovernor.elapsed(since: state.lastPublishNs, until: now)
            >= governor.refreshIntervalNs
        var changed = first || status != state.status || refreshDue
        // The tables' IMF and MMF, read once for the rule and the ETA (leverage and deductions below leave them).
        let goal = GovernedFractions(target)
        var fractions = goal
        if first {
            state.published = target
        } else {
            changed = Self.reshape(&state.published, like: target) || changed
            fractions = GovernedFractions(state.published)
            let governed = governor.apply(&fractions, goal: goal, lastLimitedChangeNs: &state.lastLimitedChangeNs,
                                          lastPublishNs: state.lastPublishNs, now: now,
                                          breakerActive: breakerActive)
            fractions.write(into: &state.published)
            reasons.formUnion(governed.reasons)
            changed = changed || governed.changed
            if refreshDue { reasons.insert(.periodicRefresh) }
            for index in 0..<state.published.count {
                state.published[index].maxLeverage = LeverageLadder.maxLeverage(
                    initialMarginFraction: state.published[index].initialMarginFraction, steps: steps)
            }
            state.published.recomputeMaintenanceDeductions()
        }
        if changed { state.lastPublishNs = now }
        state.status = status
        state.isInitialized = true
        let arrival = governor.estimateArrival(published: fractions, goal: goal,
                                               lastLimitedChangeNs: state.lastLimitedChangeNs,
                                               lastPublishNs: state.lastPublishNs, now: now,
                                               gridIntervalNs: gridIntervalNs)
        return Publication(changed: changed, etaSteps: arrival.steps, etaNs: arrival.ns)
    }

    /// Lays the published schedule on the target's tier bounds; returns whether the structure changed.
    ///
    /// When the tier count changes (for example ADV became known), tier n takes the published values of old tier
    /// min(n, oldCount − 1), which keeps tiers ordered; governance then moves each tier from there.
    static func reshape(_ published: inout MarginTierTable, like target: MarginTierTable) -> Bool {
        if published.count == target.count {
            var moved = false
            for index in 0..<target.count {
                let lower = target[index].lowerBoundNotional
                let upper = target[index].upperBoundNotional
                if published[index].lowerBoundNotional != lower || published[index].upperBoundNotional != upper {
                    published[index].lowerBoundNotional = lower
                    published[index].upperBoundNotional = upper
                    moved = true
                }
            }
            return moved
        }
        let old = published
        published = target
        for index in 0..<target.count {
            let source = old[min(index, old.count - 1)]
            published[index].initialMarginFraction = source.initialMarginFraction
            published[index].maintenanceMarginFraction = source.maintenanceMarginFraction
        }
        return true
    }
}
