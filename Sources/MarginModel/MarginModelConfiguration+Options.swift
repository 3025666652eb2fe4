extension MarginModelConfiguration {
    /// The coverage target: MMF covers the loss over the liquidation horizon H with tail probability ε.
    public struct Coverage: Sendable, Hashable, Codable {
        /// ε, the probability that the loss over H exceeds MMF minus the liquidation cost (0 < ε < 0.5).
        /// Default 0.01: with expected shortfall this covers, under normality, roughly the 99.6 % quantile of an
        /// hour's move, in line with large-cap venue margins of 2–3 % at typical crypto volatility.
        public var tailProbability: Double
        /// The tail statistic. Default `.valueAtRisk`: the ε-quantile of the loss is the margin for which
        /// P(loss > MMF − cost) = ε, the coverage target itself, so a backtest of exceptions can confirm it
        /// (Kupiec 1995, Christoffersen 1998). Expected shortfall at the same ε covers far more (under a
        /// Student-t₄ about the 0.4 % quantile: on S&P 500 and NASDAQ 1999–2018 it gave 0.3–0.4 % exceptions
        /// per side for a 1 % target); choose it, with its larger margins, where FRTB- or CCP-style ES is required.
        public var riskMeasure: RiskMeasure
        /// H in nanoseconds of event time. Default one hour: the time to detect an undercollateralized account,
        /// run the liquidation and, in stress, hand the position to a backstop.
        public var liquidationHorizonNs: Int64
        /// Residual count from which filtered historical simulation replaces the parametric fallback.
        /// Default 1,000: at ε = 1 % the expected shortfall then averages at least 10 tail observations.
        public var minimumResidualCount: Int
        /// ν of the unit-variance Student-t fallback (ν > 2). Default 4: the tail index typically estimated for
        /// intraday crypto returns, fatter than normal.
        public var fallbackDegreesOfFreedom: Double
        /// The fallback evaluates the Student-t tail as FHS would on an ideal sample of this size (its quantile
        /// grid). Default 10,000, the residual history FHS reaches in steady state. Needed because a Student-t
        /// has no exponential moments: the exact expected short-side loss e^R − 1 beyond VaR is infinite.
        public var fallbackReferenceSampleSize: Int
        /// Annualized volatility (365-day year) assumed before the estimate has warmed up. While the estimator
        /// reports `warming`, the σ used is the precision-weighted blend
        /// σ² = (ESS·σ̂² + n₀·σ₀²)/(ESS + n₀) of the estimate σ̂ and this prior σ₀ (never below σ̂), so the first
        /// published margins are conservative rather than built on a handful of returns (MMF changes are
        /// governed, so a low first value would take many cooldowns to correct). Default 1.0 (100 %), above typical large-cap crypto.
        public var warmupAnnualVolatility: Double
        /// n₀, the weight of the warm-up prior in pseudo-observations. Default 30, the estimator's warm-up ESS.
        public var warmupPriorWeight: Double
        /// How a horizon of several grid steps is built from the residual history (``HorizonAggregation``).
        /// Default `.filteredPaths`: the k-step moves of consecutive residuals replayed through the EWMA. Chosen by
        /// backtest (scripts/backtest/README.md): on the simulated GJR-GARCH skewed-t crypto series at H = 4Δ it
        /// keeps both sides inside Kupiec's band where √(H/Δ) scaling gave 1.29 % long exceptions (ν = 3.5) and
        /// plain residual sums up to 1.25 % (ν = 4) for a 1 % target. No effect when H is one step.
        public var horizonAggregation: HorizonAggregation
        /// The most grid steps k in one aggregated block; longer horizons scale the k-step quantile by
        /// √(H/(k·Δ)). Default 10: a full window of 10,000 residuals then holds 1,000 disjoint blocks, so at
        /// ε = 1 % the quantile rests on at least 10 disjoint tail blocks (the rule behind
        /// `minimumResidualCount`). Allowed: 1…100 (1 is √(H/Δ) scaling of the one-step tail).
        public var maximumAggregatedSteps: Int

        /// Creates coverage settings with the documented defaults.
        public init(
            tailProbability: Double = 0.01,
            riskMeasure: RiskMeasure = .valueAtRisk,
            liquidationHorizonNs: Int64 = 3_600_000_000_000,
            minimumResidualCount: Int = 1_000,
            fallbackDegreesOfFreedom: Double = 4,
            fallbackReferenceSampleSize: Int = 10_000,
            warmupAnnualVolatility: Double = 1.0,
            warmupPriorWeight: Double = 30,
            horizonAggregation: HorizonAggregation = .filteredPaths,
            maximumAggregatedSteps: Int = 10
        ) {
            self.horizonAggregation = horizonAggregation
            self.maximumAggregatedSteps = maximumAggregatedSteps
            self.warmupAnnualVolatility = warmupAnnualVolatility
            self.warmupPriorWeight = warmupPriorWeight
            self.tailProbability = tailProbability
            self.riskMeasure = riskMeasure
            self.liquidationHorizonNs = liquidationHorizonNs
            self.minimumResidualCount = minimumResidualCount
            self.fallbackDegreesOfFreedom = fallbackDegreesOfFreedom
            self.fallbackReferenceSampleSize = fallbackReferenceSampleSize
        }
    }

    /// Liquidation cost as a fraction of notional: fixed + Y·σ_daily·√(notional / ADV) (square-root impact law).
    public struct Liquidation: Sendable, Hashable, Codable {
        /// Fees plus half spread paid on any liquidation, as a fraction of notional. Default 0.0005 (5 bp: a
        /// taker fee of a few bp and the half spread of a liquid perpetual).
        public var fixedCostFraction: Double
        /// Y in the square-root law. Default 1.0, the conservative end of the empirical range 0.5–1.
        public var impactCoefficient: Double
        /// The length of a trading day in ns, for σ_daily = σ_step·√(day/Δ) and ADV. Default 24 h (crypto
        /// trades around the clock).
        public var tradingDayNs: Int64
        /// Cost fraction assumed when no ADV is known (configured or observed); size tiers are then not built.
        /// Default 0.01, about the impact of liquidating 1 % of a day's volume at 10 % daily volatility.
        public var unknownLiquidityCostFraction: Double

        /// Creates liquidation-cost settings with the documented defaults.
        public init(
            fixedCostFraction: Double = 0.000_5,
            impactCoefficient: Double = 1.0,
            tradingDayNs: Int64 = 86_400_000_000_000,
            unknownLiquidityCostFraction: Double = 0.01
        ) {
            self.fixedCostFraction = fixedCostFraction
            self.impactCoefficient = impactCoefficient
            self.tradingDayNs = tradingDayNs
            self.unknownLiquidityCostFraction = unknownLiquidityCostFraction
        }
    }

    /// Initial margin, leverage ladder, floors and caps.
    public struct Leverage: Sendable, Hashable, Codable {
        /// MMF / IMF (0 < ratio ≤ 1); IMF = MMF / ratio. Default 0.6, dYdX's large-cap maintenance fraction.
        public var maintenanceRatio: Double
        /// Allowed maximum leverages, ascending; max leverage = the largest step ≤ 1/IMF.
        /// Default [1, 2, 3, 5, 10, 20, 25, 50, 100], the steps venues commonly list.
        public var leverageSteps: [Int]
        /// Floor on IMF. Default 0.01 (never more than 100×).
        public var minimumInitialMarginFraction: Double
        /// Floor on MMF; margins never reach zero. Default 0.005.
        public var minimumMaintenanceMarginFraction: Double
        /// Cap on IMF (and so on MMF, which never exceeds IMF). Default 1.0 (1×: fully collateralized).
        public var maximumInitialMarginFraction: Double

        /// Creates leverage settings with the documented defaults.
        public init(
            maintenanceRatio: Double = 0.6,
            leverageSteps: [Int] = [1, 2, 3, 5, 10, 20, 25, 50, 100],
            minimumInitialMarginFraction: Double = 0.01,
            minimumMaintenanceMarginFraction: Double = 0.005,
            maximumInitialMarginFraction: Double = 1.0
        ) {
            self.maintenanceRatio = maintenanceRatio
            self.leverageSteps = leverageSteps
            self.minimumInitialMarginFraction = minimumInitialMarginFraction
            self.minimumMaintenanceMarginFraction = minimumMaintenanceMarginFraction
            self.maximumInitialMarginFraction = maximumInitialMarginFraction
        }
    }

    /// Size tiers: notional brackets whose margin grows with the liquidation cost of their largest position.
    public struct Tiers: Sendable, Hashable, Codable {
        /// Tier lower bounds as fractions of ADV, ascending, starting at 0; at most `maximumTierCount` entries.
        /// Bounds are rounded down to a 1-2-5 series so that ADV drift does not move them.
        /// Default [0, 0.001, 0.005, 0.02, 0.1] of ADV.
        public var lowerBoundsADVFraction: [Double]
        /// The largest position allowed, as a fraction of ADV (the upper bound of the last tier). Default 0.25.
        public var maximumNotionalADVFraction: Double

        /// Creates tier settings with the documented defaults.
        public init(
            lowerBoundsADVFraction: [Double] = [0, 0.001, 0.005, 0.02, 0.1],
            maximumNotionalADVFraction: Double = 0.25
        ) {
            self.lowerBoundsADVFraction = lowerBoundsADVFraction
            self.maximumNotionalADVFraction = maximumNotionalADVFraction
        }
    }

    /// How published values follow targets (risk-steward style bounded changes).
    ///
    /// An asset may replace any of these settings (``AssetOverrides/governance``); each asset's are resolved once
    /// when the optimizer is created.
    public struct Governance: Sendable, Hashable, Codable {
        /// The largest relative move of a rate-limited value per update (IMF decreases, any MMF change).
        /// Default 0.10, as in Aave's risk-steward test configuration.
        public var maximumRelativeStep: Double
        /// Minimum event time between two rate-limited changes, ns. Default 15 minutes: a 2× move down takes
        /// 7 steps (under two hours), slow enough for traders to react.
        public var cooldownNs: Int64
        /// Changes smaller than this (in basis points of notional, on any tier's IMF or MMF) are held back until
        /// the periodic refresh. Default 2 bp.
        public var hysteresisBasisPoints: Double
        /// Event time after which an update is published even without a change, and held-back sub-threshold
        /// changes are applied. Default one hour.
        public var refreshIntervalNs: Int64

        /// Creates governance settings with the documented defaults.
        public init(
            maximumRelativeStep: Double = 0.10,
            cooldownNs: Int64 = 900_000_000_000,
            hysteresisBasisPoints: Double = 2,
            refreshIntervalNs: Int64 = 3_600_000_000_000
        ) {
            self.maximumRelativeStep = maximumRelativeStep
            self.cooldownNs = cooldownNs
            self.hysteresisBasisPoints = hysteresisBasisPoints
            self.refreshIntervalNs = refreshIntervalNs
        }
    }

    /// Anti-procyclicality (EMIR Art. 28): keeps calm-period margins from collapsing.
    public struct AntiProcyclicality: Sendable, Hashable, Codable {
        /// The tool. Default `.off`: a floor or buffer makes the margins cover more than ε by design (on the
        /// calibration series the stressed-volatility floor adds 5–25 % to the mean MMF and cuts the two-sided
        /// exception rate from 1.6–2.1 % to 0.6–1.4 % for a 2 % target), which is a policy choice, not a risk
        /// estimate; `fulcrum backtest` reports what it costs and buys.
        /// `.stressedVolatilityFloor` is the tool that does not shift margins in a step when stress starts (EMIR
        /// Art. 28); it falls back to the buffer where no stressed volatility is supplied.
        public var mode: AntiProcyclicalityMode
        /// Buffer added in normal conditions under `.buffer` (≥ 0.25 per EMIR). Default 0.25.
        public var bufferFraction: Double

        /// Creates anti-procyclicality settings with the documented defaults.
        public init(mode: AntiProcyclicalityMode = .off, bufferFraction: Double = 0.25) {
            self.mode = mode
            self.bufferFraction = bufferFraction
        }
    }

    /// Circuit breaker: a shock or a stale feed raises margins to the stressed level at once.
    public struct CircuitBreaker: Sendable, Hashable, Codable {
        /// A grid return whose standardized size |r/σ| exceeds this trips the breaker. Default 6 (a 6σ move;
        /// under a unit-variance t₄ one grid step in 10⁵ goes beyond it).
        public var shockThresholdSigmas: Double
        /// A feed older than this (ns) trips the breaker and marks the asset stale. Default 30 s.
        public var staleAfterNs: Int64
        /// How long the stressed level holds after the last trigger, ns. Default 15 minutes (one cooldown).
        public var holdNs: Int64
        /// The stressed volatility is max(σ, σ_stressed) times this. Default 1.5.
        public var stressMultiplier: Double

        /// Creates circuit-breaker settings with the documented defaults.
        public init(
            shockThresholdSigmas: Double = 6,
            staleAfterNs: Int64 = 30_000_000_000,
            holdNs: Int64 = 900_000_000_000,
            stressMultiplier: Double = 1.5
        ) {
            self.shockThresholdSigmas = shockThresholdSigmas
            self.staleAfterNs = staleAfterNs
            self.holdNs = holdNs
            self.stressMultiplier = stressMultiplier
        }
    }
}
