/// Risk measures of the long and short loss over the horizon from sorted standardized tail values.
///
/// With horizon log return R = σ_H·z, a long position loses 1 − e^R and a short e^R − 1 (fractions of notional,
/// exact, not linearized). Both are monotone in z, so the worst outcomes of each side are the extreme residuals
/// of the matching tail and the risk measure maps through the loss function directly. `expm1` keeps the small
/// losses of calm markets exact where 1 − exp(x) would cancel.
///
/// Tails are held "most extreme first" and ascending: the lower tail as z, the upper tail as −z. With c = σ_H for
/// the long side and c = −σ_H for the short side, loss(v) = ∓expm1(c·v): long VaR = −expm1(σ_H·z₍ₖ₎),
/// long ES = −(1/k)·Σᵢ≤ₖ expm1(σ_H·zᵢ), short VaR = expm1(σ_H·z₍ₖ₎), short ES = (1/k)·Σᵢ≤ₖ expm1(σ_H·zᵢ).
enum TailLoss {
    /// Σᵢ<ₖ expm1(c·vᵢ), one exponential per term.
    static func directExponentialSum(_ values: UnsafeBufferPointer<Double>, count k: Int, scale c: Double) -> Double {
        var sum = 0.0
        for index in 0..<k { sum += Elementary.expm1(c * values[index]) }
        return sum
    }
}
