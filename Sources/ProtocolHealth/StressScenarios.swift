import RealModule

/// Sets of relative price shocks, one vector per scenario (one entry per market).
///
/// Three sources, as risk desks and CCPs combine them:
/// - **Filtered historical simulation**: a past grid step's standardized residuals z (one per market, drawn as a
///   row so that their correlation and joint tails are the market's own) scaled to today's horizon volatility:
///   s = exp(z·σ_H) − 1. Rows are drawn with a seeded SplitMix64 so that a run is reproducible.
/// - **Worst historical windows**: the rows whose shocks would have cost the current open interest the most.
/// - **Hypothetical** shocks given as they are (e.g. −10 %, −20 %, −30 % on a market or a basket).
public enum StressScenarios {
    /// `count` FHS scenarios from `residuals` (rows of standardized residuals, one column per market; NaN where
    /// a market has none, read as 0) and `horizonVolatility` per market.
    ///
    /// - Throws: ``HealthError`` when a row's width differs from the markets, or no row is given.
    public static func filteredHistorical(residuals: [[Double]], horizonVolatility: [Double], count: Int,
                                          seed: UInt64) throws(HealthError) -> [[Double]] {
        guard !residuals.isEmpty else { throw HealthError(.invalidScenario, "no residual history to draw from") }
        for row in residuals where row.count != horizonVolatility.count {
            throw HealthError(.invalidScenario, "a residual row has \(row.count) entries for "
                              + "\(horizonVolatility.count) markets")
        }
        var random = SplitMix64Stream(seed: seed)
        return (0..<count).map { _ in
            let row = residuals[Int(random.next() % UInt64(residuals.count))]
            return shocks(row, horizonVolatility)
        }
    }

    /// The `count` rows of `residuals` (scaled as above) with the largest loss to `exposure` (signed notional
    /// per market, long > 0): loss = −Σ exposureₘ·sₘ. Most costly first, ties by row.
    public static func worstHistorical(residuals: [[Double]], horizonVolatility: [Double], exposure: [Double],
                                       count: Int) -> [[Double]] {
        let scenarios = residuals.map { shocks($0, horizonVolatility) }
        let losses = scenarios.map { shock in -zip(shock, exposure).reduce(0) { $0 + $1.0 * $1.1 } }
        let order = losses.indices.sorted { losses[$0] != losses[$1] ? losses[$0] > losses[$1] : $0 < $1 }
        return order.prefix(count).map { scenarios[$0] }
    }

    private static func shocks(_ row: [Double], _ volatility: [Double]) -> [Double] {
        zip(row, volatility).map { z, sigma in z.isNaN ? 0 : Double.exp(z * sigma) - 1 }
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): the seeded generator the scenarios draw rows with; the reference script
/// implements the same recurrence.
struct SplitMix64Stream {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
