import RealModule

/// Elementary functions and index arithmetic shared by the estimator.
///
/// The elementary functions and the error-free sums come from swift-numerics' `RealModule`; this file gives them
/// the names the estimator's formulas use and says why each is stable.
enum GridMath {
    /// The grid log return ln(p/q) of a price p over the previous price q (both finite and > 0).
    ///
    /// For 1/2 < p/q < 2 it is computed as log1p((p − q)/q): p − q is exact there (Sterbenz), so the result keeps
    /// full relative precision even for 1e-12 moves, where ln(p/q) would lose about 4 of its 16 digits to the
    /// rounding of p/q next to 1. Outside that range ln(p/q) is already accurate to a few ulps.
    @inline(__always)
    static func logReturn(_ price: Double, over previous: Double) -> Double {
        let ratio = price / previous
        if ratio > 0.5 && ratio < 2 {
            return .log(onePlus: (price - previous) / previous)
        }
        return .log(ratio)
    }

    /// x^y for the decay factor and its powers.
    @inline(__always)
    static func power(_ base: Double, _ exponent: Double) -> Double {
        .pow(base, exponent)
    }

    /// e^x.
    @inline(__always)
    static func exponential(_ x: Double) -> Double {
        .exp(x)
    }

    /// e^x − 1 with full relative precision for x next to 0 (where e^x − 1 would cancel).
    @inline(__always)
    static func exponentialMinusOne(_ x: Double) -> Double {
        .expMinusOne(x)
    }

    /// ln 2, correctly rounded.
    static let logTwo: Double = 0x1.62E42FEFA39EFp-1

    /// One step S ← λ·S + x of an exponentially weighted sum with λ next to 1, S kept as the unevaluated pair
    /// high + low (|low| ≤ ½ ulp(high)) and the step written as S + (x − c·S) with c = 1 − λ given accurately.
    ///
    /// Why: the plain λ·S + x rounds λ itself once, always in the same direction, and that bias compounds over
    /// the 1/(1−λ) steps of memory (≈ 4·10⁻¹⁰ relative for a 30-day half-life on a 1 s grid), besides one
    /// rounding of S per step. Here the only roundings are those of the small increment x − c·S (relative ε of
    /// x + c·S, whose decayed sum is about 2ε·S) and of the product c·S during a long decay (ε per 1/c steps);
    /// the addition itself is exact (TwoSum) and its error is carried in `low`. x ≥ 0 and 0 < c < 1 keep S ≥ 0.
    @inline(__always)
    static func decayingAdd(_ value: Double, complement: Double, high: inout Double, low: inout Double) {
        let increment = value - complement * (high + low)
        let (total, error) = Augmented.sum(high, increment)
        let carried = low + error
        // Fast2Sum, exact while |total| ≥ |carried| (carried is a few ulps of S ≥ 0, so this holds unless S decays
        // to nothing in one step, where the pair is 0 or a few ulps anyway).
        (high, low) = Augmented.sum(large: total, small: carried)
    }

    /// ⌊a / b⌋ for b > 0 (Swift's `/` truncates towards zero).
    @inline(__always)
    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b < 0) ? quotient - 1 : quotient
    }

    /// Offset of the pair (i, j), i ≥ j, in row-major packed lower-triangular storage: row i starts at i(i+1)/2.
    /// The layout does not depend on the number of assets, so adding an asset appends one row.
    @inline(__always)
    static func packedIndex(_ i: Int, _ j: Int) -> Int {
        i >= j ? i * (i + 1) / 2 + j : j * (j + 1) / 2 + i
    }

    /// Neumaier-compensated addition of `value` into the pair (sum, compensation); sum + compensation carries the
    /// running total with about twice the working precision, so subtracting a large value that once entered it
    /// leaves the small remainder accurate.
    @inline(__always)
    static func compensatedAdd(_ value: Double, sum: inout Double, compensation: inout Double) {
        // Neumaier's branch on the larger operand computes the same exact rounding error as TwoSum.
        let (total, error) = Augmented.sum(sum, value)
        compensation += error
        sum = total
    }
}
