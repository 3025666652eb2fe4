import MarginModel
/// Fixed-point renderings of numbers for reports and charts, deterministic and locale-free.
enum ReportNumber {
    /// `value` with `decimals` digits after the point (rounded half away from zero); `–` when not finite.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "–" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e18 else { return value.description }
        let integer = UInt64(scaled)
        let divisor = UInt64(scale)
        var text = String(integer / divisor)
        if decimals > 0 {
            let fraction = String(integer % divisor)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return (value < 0 && integer != 0 ? "-" : "") + text
    }

    /// `value` as a percentage with `decimals` digits, e.g. `2.35%`.
    static func percent(_ value: Double, _ decimals: Int = 2) -> String {
        value.isFinite ? fixed(value * 100, decimals) + "%" : "–"
    }

    /// A value of any magnitude with about `significant` significant digits, without exponent below 1e6.
    static func general(_ value: Double, significant: Int = 4) -> String {
        guard value.isFinite else { return "–" }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e6 || magnitude < 1e-4 { return scientific(value, significant: significant) }
        var digits = significant - 1
        var bound = 10.0
        while magnitude >= bound, digits > 0 {
            digits -= 1
            bound *= 10
        }
        var lower = 1.0
        while magnitude < lower, digits < 12 {
            digits += 1
            lower /= 10
        }
        return fixed(value, digits)
    }

    /// `value` as d.ddd…e±x with `significant` significant digits, e.g. `9.05e-13`.
    static func scientific(_ value: Double, significant: Int) -> String {
        guard value.isFinite, value != 0 else { return value.isFinite ? "0" : "–" }
        var exponent = 0
        var mantissa = abs(value)
        while mantissa >= 10 {
            mantissa /= 10
            exponent += 1
        }
        while mantissa < 1 {
            mantissa *= 10
            exponent -= 1
        }
        var digits = fixed(mantissa, max(significant - 1, 0))
        if digits.hasPrefix("10") {
            // Rounding carried into a new digit: 9.996 → 10.00.
            exponent += 1
            digits = fixed(mantissa / 10, max(significant - 1, 0))
        }
        return (value < 0 ? "-" : "") + digits + "e" + (exponent < 0 ? "-" : "+") + String(abs(exponent))
    }
}
