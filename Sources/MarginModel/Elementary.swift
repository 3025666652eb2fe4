// The Swift standard library has no transcendental functions; the platform C math library (libm) is the
// smallest dependency that provides them. Only this file imports it; the rest of the module goes through the
// wrappers below, so no other file sees a C symbol.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(ucrt)
import ucrt
#endif

/// Elementary functions used by the margin model, forwarded to the platform C math library.
enum Elementary {
    /// eˣ.
    @inline(__always) static func exp(_ x: Double) -> Double { libmExp(x) }

    /// eˣ − 1, accurate for small |x| where `exp(x) - 1` cancels.
    @inline(__always) static func expm1(_ x: Double) -> Double { libmExpm1(x) }

    /// Natural logarithm.
    @inline(__always) static func log(_ x: Double) -> Double { libmLog(x) }

    /// ln(1 + x), accurate for small |x|.
    @inline(__always) static func log1p(_ x: Double) -> Double { libmLog1p(x) }

    /// Complementary error function erfc(x) = 1 − erf(x), accurate in the upper tail.
    @inline(__always) static func erfc(_ x: Double) -> Double { libmErfc(x) }

    /// ln Γ(x) for x > 0.
    @inline(__always) static func logGamma(_ x: Double) -> Double { libmLogGamma(x) }
}

// File-scope forwarders: inside `Elementary` the names `exp`, `log`… would resolve to the wrappers themselves.
@inline(__always) private func libmExp(_ x: Double) -> Double { exp(x) }
@inline(__always) private func libmExpm1(_ x: Double) -> Double { expm1(x) }
@inline(__always) private func libmLog(_ x: Double) -> Double { log(x) }
@inline(__always) private func libmLog1p(_ x: Double) -> Double { log1p(x) }
@inline(__always) private func libmErfc(_ x: Double) -> Double { erfc(x) }
@inline(__always) private func libmLogGamma(_ x: Double) -> Double { lgamma(x) }
