extension RiskEstimator {
    /// The stressed (long-horizon) variance per grid step, bias-corrected and zero-mean like `ewmaVariance(_:)` but
    /// with the half-life `stressedHalfLife`:
    ///
    ///     σ²_s,k = Σ_j λ_s^(k−j) r_j² / Σ_j λ_s^(k−j),   λ_s = 2^(−Δ/h_s)
    ///
    /// over the asset's returns (pandas `ewm(alpha: 1−λ_s, adjust: true).mean()` of r²); 0 without returns.
    /// The numerator is a running sum updated as S + (r² − (1−λ_s)·S) in double-word precision (see
    /// `GridMath.decayingAdd`), so its error stays at a few ulps even though λ_s is within 10⁻⁶ of 1. The
    /// denominator depends only on the number n of returns and is evaluated in closed form,
    /// (1 − λ_s^n)/(1 − λ_s) = expm1(n·ln λ_s)/expm1(ln λ_s), accurate to a few ulps for any n. No warm-up floor
    /// is applied here (see `stressedVolatility(_:)`).
    public func stressedVariance(_ asset: Int) -> Double {
        let count = returnCount[asset]
        guard count > 0 else { return 0 }
        let weight = GridMath.exponentialMinusOne(Double(count) * stressedLogDecay) / -stressedComplement
        return max(stressedSum[asset] + stressedCompensation[asset], 0) / weight
    }

    /// Effective sample size (Σw)²/Σw² of the stressed EWMA weights over the asset's n returns, in closed form:
    /// Σw = (1 − λ_s^n)/(1 − λ_s) and Σw² = (1 − λ_s^(2n))/(1 − λ_s²), both through expm1; 0 without returns.
    /// It grows like n at first and tends to (1+λ_s)/(1−λ_s) (about 7.5·10⁶ steps at the default 30-day
    /// half-life on a 1 s grid).
    public func stressedESS(_ asset: Int) -> Double {
        let count = returnCount[asset]
        guard count > 0 else { return 0 }
        let steps = Double(count)
        let weight = GridMath.exponentialMinusOne(steps * stressedLogDecay) / -stressedComplement
        let squaredWeight = GridMath.exponentialMinusOne(2 * steps * stressedLogDecay) / -stressedSquaredComplement
        return weight * weight / squaredWeight
    }

    /// The stressed volatility per grid step for the margin model's anti-procyclical floor: √`stressedVariance`
    /// once `stressedESS` ≥ `warmupESS`; before that, max(√`stressedVariance`, `volatility(_:)`), so that a
    /// stressed estimate from too few returns never floors margins below what the regular estimate already asks
    /// for (both then rest on nearly the same returns, and the larger is the prudent one). 0 without returns.
    /// O(1): two expm1 evaluations.
    public func stressedVolatility(_ asset: Int) -> Double {
        let stressed = stressedVariance(asset).squareRoot()
        guard stressedESS(asset) < configuration.warmupESS else { return stressed }
        return max(stressed, volatility(asset))
    }
}
