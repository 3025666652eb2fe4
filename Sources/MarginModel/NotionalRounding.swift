/// Rounding of tier bounds to the 1-2-5 series (…, 1M, 2M, 5M, 10M, …), so that ADV drift rarely moves them.
enum NotionalRounding {
    /// 1, 2, 5 × 10ᵉ for e = −2…18, ascending (built once).
    private static let series: [Double] = {
        var result: [Double] = []
        var decade = 0.01
        for _ in -2...18 {
            for mantissa in [1.0, 2.0, 5.0] { result.append((mantissa * decade * 100).rounded() / 100) }
            decade *= 10
        }
        return result
    }()

    /// The largest 1-2-5 value ≤ x, or 0 when x < 0.01 (or NaN); x beyond the series is returned unchanged.
    static func roundDown(_ x: Double) -> Double {
        guard x >= series[0] else { return 0 }
        guard x < series[series.count - 1] else { return x }
        var low = 0
        var high = series.count - 1
        while low < high {
            let middle = (low + high + 1) >> 1
            if series[middle] <= x * (1 + 1e-12) { low = middle } else { high = middle - 1 }
        }
        return series[low]
    }
}
