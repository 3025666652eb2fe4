import MarginModel

/// How much margin a backtest charged beyond what hindsight shows was needed to meet the target.
///
/// Each horizon i needs the multiple rᵢ = (lossᵢ + cᵢ)/Mᵢ of the margin Mᵢ in force at its start (loss of the
/// side, c the liquidation cost inside the margin): the margin k·Mᵢ covers it exactly when rᵢ ≤ k. The
/// hindsight-minimal constant k* is the smallest k whose exception count #{rᵢ > k} is at most m = ⌊ε·n⌋, i.e. the
/// (m + 1)-th largest rᵢ. The hindsight-minimal margin k*·Mᵢ follows the same σ path scaled by one constant chosen
/// ex post, so mean(M)/mean(k*·M) = 1/k*: the **efficiency ratio**, 1 when the margins were exactly as large
/// as the target needed, above 1 when they over-covered (the goal is ≤ 1.15 while calibrated), below 1 when
/// they under-covered.
public struct CapitalEfficiency: Sendable, Hashable {
    /// Horizons (n).
    public var observations: Int
    /// The target exception rate ε.
    public var targetRate: Double
    /// k*, the hindsight-minimal multiple of the margin (NaN without observations).
    public var multiplier: Double

    /// mean(M)/mean(k*·M) = 1/k* (NaN without observations; +∞ when no horizon lost anything).
    public var ratio: Double { multiplier.isNaN ? .nan : 1 / multiplier }

    /// k* of the required multiples `multiples` at target rate ε.
    public init(requiredMultiples multiples: [Double], targetRate: Double) {
        observations = multiples.count
        self.targetRate = targetRate
        guard !multiples.isEmpty else {
            multiplier = .nan
            return
        }
        let descending = multiples.map { $0.isNaN ? Double.infinity : $0 }.sorted(by: >)
        let allowed = Int((targetRate * Double(multiples.count)).rounded(.down))
        multiplier = allowed < descending.count ? max(descending[allowed], 0) : 0
    }

    /// The larger of two requirements: one margin meeting both sides' targets needs the larger k*.
    public static func binding(_ a: CapitalEfficiency, _ b: CapitalEfficiency) -> CapitalEfficiency {
        a.multiplier.isNaN || b.multiplier > a.multiplier ? b : a
    }
}
