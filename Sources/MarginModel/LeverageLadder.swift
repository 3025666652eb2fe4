/// Snapping of 1/IMF to the configured leverage steps.
enum LeverageLadder {
    /// The largest step L with L ≤ 1/IMF (so 1/L ≥ IMF: a position at max leverage posts at least IMF), or 1.
    ///
    /// A relative slack of 1e−12 lets IMF = 1/L computed in floating point (e.g. 0.05 → 19.999999999999996)
    /// still map to L.
    static func maxLeverage(initialMarginFraction imf: Double, steps: [Int]) -> Int {
        guard imf > 0 else { return steps.last ?? 1 }
        let limit = (1 / imf) * (1 + 1e-12)
        var result = 1
        for step in steps where Double(step) <= limit { result = step }
        return result
    }
}
