import RealModule

/// Elementary functions used by the margin model: swift-numerics' `RealModule` (the platform math library under
/// Swift names), behind the short names the formulas are written with.
enum Elementary {
    /// eˣ.
    @inline(__always) static func exp(_ x: Double) -> Double { .exp(x) }

    /// eˣ − 1, accurate for small |x| where `exp(x) - 1` cancels.
    @inline(__always) static func expm1(_ x: Double) -> Double { .expMinusOne(x) }

    /// Natural logarithm.
    @inline(__always) static func log(_ x: Double) -> Double { .log(x) }

    /// ln(1 + x), accurate for small |x|.
    @inline(__always) static func log1p(_ x: Double) -> Double { .log(onePlus: x) }

    /// Complementary error function erfc(x) = 1 − erf(x), accurate in the upper tail.
    @inline(__always) static func erfc(_ x: Double) -> Double { .erfc(x) }

    /// ln Γ(x) for x > 0.
    @inline(__always) static func logGamma(_ x: Double) -> Double { .logGamma(x) }
}
