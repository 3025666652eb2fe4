import FulcrumSettings

/// How live market data beyond prices shapes margins: the order-book impact curve and the tiers drawn from it,
/// open-interest crowding, and the liquidation-cascade breaker (`model.liquidity`).
///
/// Every rule acts only where its data exists: with no book, no open interest and no liquidation feed the margins
/// are exactly those of the √-impact/ADV model (``MarginModelConfiguration/Liquidation``).
///
/// **Impact curve.** At each grid step, for every notional Nᵢ of ``impactNotionals`` and each live book of the
/// asset updated within ``bookStaleAfterNs``, the cost of liquidating Nᵢ is the slippage of walking the book from
/// its mid m: a long is sold into the bids, cost = (m − VWAP)/m; a short is bought from the asks,
/// cost = (VWAP − m)/m, where VWAP spends Nᵢ quote units level by level. Beyond the book's visible depth D
/// (the notional of all kept levels) the cost follows the square-root law from there, c(N) = c(D)·√(N/D). The
/// venues' costs are aggregated by their median at each Nᵢ (one spoofed or thin venue among three cannot move
/// it), then smoothed over time by an EWMA in event time with half-life ``smoothingHalfLifeNs``:
/// c̄ ← c̄ + α·(c − c̄), α = 1 − 2^(−Δt/half-life).
///
/// **Manipulation cost.** A manipulator who shows extra depth that lowers the cost at the tier boundary N from c
/// to c′ for a time T moves the smoothed cost by (1 − 2^(−T/h))·(c − c′), h the half-life. The published MMF
/// moves only when that exceeds the hysteresis δ (`governance.hysteresisBasisPoints`, 2 bp) or, for decreases,
/// after the cooldown, by at most `governance.maximumRelativeStep`: to move it by one step of 2 bp when the true
/// cost is c = 30 bp, the fake depth must lower the cost to about c′ and be held for
/// T = −h·log₂(1 − δ/(c − c′)); with h = 15 min and the fake depth removing all of c (c′ ≈ 0): T ≈ 1.5 min of a
/// book showing enough resting notional to absorb N at the touch (N quote units that must stay executable the whole
/// time), and a sustained decrease takes the cooldown (15 min) per 10 % step.
///
/// **Tiers from the curve.** With a curve, tier n's floor is the notional at which the smoothed cost (the larger of
/// the long and short sides) first reaches ``tierCostThresholds``[n] (linear between sampled notionals, rounded
/// down to 1-2-5), the position limit where it reaches ``maximumCostFraction``; tier n's MMF adds the cost at its
/// upper bound. The √-impact/ADV model remains the fallback when no fresh book exists.
///
/// **Crowding.** With open interest OI (notional, summed over venues) and an ADV: the dYdX open-interest scaling
/// IMF_eff = min(IMF + max(s·(1 − IMF), 0), 1), s = (OI − L)/(U − L), with caps L = ``openInterestLowerCapADV``·ADV
/// and U = ``openInterestUpperCapADV``·ADV, each no higher than the asset's configured
/// `openInterestLowerCap`/`openInterestUpperCap` (the configured caps bound the live ones; without an ADV they
/// apply alone). The CCP-style concentration add-on: with days-to-liquidate DTL = OI / (``participationRate``·ADV),
/// every tier's MMF gains κ·σ_daily·(√max(DTL, 1) − 1), κ = ``concentrationMultiplier`` — the extra move over a
/// liquidation that takes DTL days instead of one.
///
/// **Liquidation cascade.** Liquidated notional over the last ``cascadeWindowNs`` (all venues) above
/// ``cascadeDepthMultiple`` × the visible book depth (median over venues, both sides) — or, without a book, above
/// ``cascadeADVFraction`` × ADV — trips the circuit breaker with reason `circuitBreakerLiquidations`; it holds for
/// `circuitBreaker.holdNs`.
public struct LiquidityConfiguration: Sendable, Hashable, Codable {
    /// Notionals (quote units) at which the impact curve is sampled: ascending, > 0, 2 … 32 of them. Default: the
    /// 1-2-5 series from 1,000 to 1,000,000,000 (19 points).
    public var impactNotionals: [Double]
    /// Half-life of the time smoothing of the impact curve, ns of event time. Default 15 minutes (one cooldown).
    /// Allowed: 0 (no smoothing) … 7 days.
    public var smoothingHalfLifeNs: Int64
    /// A book whose last update is older than this at a grid step does not count. Default 60 s. Allowed: 1 ms … 1 day.
    public var bookStaleAfterNs: Int64
    /// Cost fractions at which the tiers of a book-derived schedule start; ascending, starting at 0, at most
    /// `MarginModelConfiguration.maximumTierCount`. Default [0, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02].
    public var tierCostThresholds: [Double]
    /// The position limit of a book-derived schedule: the notional whose cost reaches this fraction. Default 0.05.
    public var maximumCostFraction: Double
    /// Lower open-interest cap as a multiple of ADV (0: no live scaling). Default 1.
    public var openInterestLowerCapADV: Double
    /// Upper open-interest cap as a multiple of ADV (above the lower). Default 5.
    public var openInterestUpperCapADV: Double
    /// Share of ADV a liquidation may take per day, for days-to-liquidate. Default 0.1. Allowed: (0, 1].
    public var participationRate: Double
    /// κ of the concentration add-on (0: off). Default 1.
    public var concentrationMultiplier: Double
    /// Window of the liquidation-cascade detector, ns. Default 60 s. Allowed: 1 ms … 1 day.
    public var cascadeWindowNs: Int64
    /// Liquidated notional in the window, as a multiple of the visible depth, that trips the breaker (0: off).
    /// Default 1.
    public var cascadeDepthMultiple: Double
    /// Without a book: liquidated notional in the window as a fraction of ADV that trips the breaker (0: off).
    /// Default 0.02.
    public var cascadeADVFraction: Double

    /// Creates the settings; see each property for its default.
    public init(
        impactNotionals: [Double] = LiquidityConfiguration.defaultImpactNotionals,
        smoothingHalfLifeNs: Int64 = 900_000_000_000,
        bookStaleAfterNs: Int64 = 60_000_000_000,
        tierCostThresholds: [Double] = [0, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.02],
        maximumCostFraction: Double = 0.05,
        openInterestLowerCapADV: Double = 1,
        openInterestUpperCapADV: Double = 5,
        participationRate: Double = 0.1,
        concentrationMultiplier: Double = 1,
        cascadeWindowNs: Int64 = 60_000_000_000,
        cascadeDepthMultiple: Double = 1,
        cascadeADVFraction: Double = 0.02
    ) {
        self.impactNotionals = impactNotionals
        self.smoothingHalfLifeNs = smoothingHalfLifeNs
        self.bookStaleAfterNs = bookStaleAfterNs
        self.tierCostThresholds = tierCostThresholds
        self.maximumCostFraction = maximumCostFraction
        self.openInterestLowerCapADV = openInterestLowerCapADV
        self.openInterestUpperCapADV = openInterestUpperCapADV
        self.participationRate = participationRate
        self.concentrationMultiplier = concentrationMultiplier
        self.cascadeWindowNs = cascadeWindowNs
        self.cascadeDepthMultiple = cascadeDepthMultiple
        self.cascadeADVFraction = cascadeADVFraction
    }

    /// 1-2-5 from 10³ to 10⁹.
    public static let defaultImpactNotionals: [Double] = (3...8).flatMap { exponent -> [Double] in
        let scale = pow10(exponent)
        return [1 * scale, 2 * scale, 5 * scale]
    } + [1e9]

    private static func pow10(_ n: Int) -> Double {
        var value = 1.0
        for _ in 0..<n { value *= 10 }
        return value
    }

    /// Checks every setting; `keyPrefix` is the path of the section (e.g. `model.liquidity`).
    ///
    /// - Throws: ``ConfigurationError`` naming the bad key, its value and what is allowed.
    public func validate(keyPrefix: String = "liquidity") throws(ConfigurationError) {
        func fail(_ name: String, _ value: String, _ allowed: String) -> ConfigurationError {
            ConfigurationError(key: ConfigurationError.key(name, under: keyPrefix), value: value, allowed: allowed)
        }
        let ascending = zip(impactNotionals, impactNotionals.dropFirst()).allSatisfy { $0 < $1 }
        guard (2...32).contains(impactNotionals.count), ascending,
              impactNotionals.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw fail("impactNotionals", "\(impactNotionals)", "2 … 32 ascending finite notionals > 0")
        }
        guard (0...604_800_000_000_000).contains(smoothingHalfLifeNs) else {
            throw fail("smoothingHalfLifeNs", "\(smoothingHalfLifeNs)", "0 … 7 days in ns")
        }
        guard (1_000_000...86_400_000_000_000).contains(bookStaleAfterNs) else {
            throw fail("bookStaleAfterNs", "\(bookStaleAfterNs)", "1 ms … 1 day in ns")
        }
        let thresholdsAscending = zip(tierCostThresholds, tierCostThresholds.dropFirst()).allSatisfy { $0 < $1 }
        guard (1...MarginTierTable.capacity).contains(tierCostThresholds.count), tierCostThresholds.first == 0,
              thresholdsAscending, tierCostThresholds.allSatisfy({ $0.isFinite && $0 < 1 }) else {
            throw fail("tierCostThresholds", "\(tierCostThresholds)",
                       "1 … \(MarginTierTable.capacity) ascending fractions below 1 starting at 0")
        }
        guard maximumCostFraction.isFinite, maximumCostFraction > (tierCostThresholds.last ?? 0),
              maximumCostFraction <= 1 else {
            throw fail("maximumCostFraction", "\(maximumCostFraction)", "above the last tier threshold, at most 1")
        }
        guard openInterestLowerCapADV.isFinite, openInterestLowerCapADV >= 0 else {
            throw fail("openInterestLowerCapADV", "\(openInterestLowerCapADV)", "a finite multiple ≥ 0")
        }
        guard openInterestUpperCapADV.isFinite,
              openInterestLowerCapADV == 0 || openInterestUpperCapADV > openInterestLowerCapADV else {
            throw fail("openInterestUpperCapADV", "\(openInterestUpperCapADV)",
                       "a finite multiple above openInterestLowerCapADV")
        }
        guard participationRate.isFinite, participationRate > 0, participationRate <= 1 else {
            throw fail("participationRate", "\(participationRate)", "(0, 1]")
        }
        guard concentrationMultiplier.isFinite, concentrationMultiplier >= 0 else {
            throw fail("concentrationMultiplier", "\(concentrationMultiplier)", "a finite number ≥ 0")
        }
        guard (1_000_000...86_400_000_000_000).contains(cascadeWindowNs) else {
            throw fail("cascadeWindowNs", "\(cascadeWindowNs)", "1 ms … 1 day in ns")
        }
        guard cascadeDepthMultiple.isFinite, cascadeDepthMultiple >= 0 else {
            throw fail("cascadeDepthMultiple", "\(cascadeDepthMultiple)", "a finite number ≥ 0")
        }
        guard cascadeADVFraction.isFinite, cascadeADVFraction >= 0 else {
            throw fail("cascadeADVFraction", "\(cascadeADVFraction)", "a finite number ≥ 0")
        }
    }
}
