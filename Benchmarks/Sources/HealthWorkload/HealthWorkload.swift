import Foundation
import MarginModel
import ProtocolHealth

/// A protocol of `positions` positions over `markets` markets (about 1.4 positions per account, 10 % isolated),
/// leverage mostly 1–10× with a tail to 50×, entries within a few σ of the mark; books of 20 levels a side, and
/// 300 rows of correlated fat-tailed residuals for the FHS scenarios. Shared by the ordo-one micro-benchmarks
/// (`HealthBenchmarks.swift`) and `fulcrum-health-bench`.
public struct HealthWorkload: Sendable {
    public let book: PositionBook
    public let layout: PositionLayout
    public let markets: [MarketConditions]
    public let residuals: [[Double]]

    /// - Parameter depthShare: `nil` for books of 0.2–2.2 M quote a side whatever the open interest (about 0.1 % of
    ///   it at 1,000,000 positions: every scenario crashes through the books and cascades run for hundreds of
    ///   capacity-bound rounds); a fraction (0.01) for books whose listed depth a side is that share of the
    ///   market's open interest, as on liquid venues. Liquidator capacity is 5 × the depth per round either way.
    public init(positions: Int, markets marketCount: Int, depthShare: Double? = nil) throws {
        var random = WorkloadRandom(seed: 0x4EA1)
        func uniform() -> Double { Double(random.next() >> 11) / 9_007_199_254_740_992 }
        var markets: [MarketConditions] = []
        for _ in 0..<marketCount {
            let price = 10 * pow(10, 3 * uniform())
            let sigma = 0.02 + 0.06 * uniform()
            var tiers = MarginTierTable()
            for (lower, rate) in [(0.0, 0.01), (500_000.0, 0.02), (5_000_000.0, 0.05)] {
                tiers.append(MarginTier(lowerBoundNotional: lower, upperBoundNotional: .infinity,
                                        initialMarginFraction: 2 * rate, maintenanceMarginFraction: rate,
                                        maxLeverage: Int(1 / (2 * rate))))
            }
            tiers.recomputeMaintenanceDeductions()
            let depth = 2e5 * (1 + 10 * uniform())
            let levels = (0..<20).map { (offset: 0.0002 + 0.0005 * Double($0), notional: depth / 20) }
            markets.append(MarketConditions(markPrice: price, horizonVolatility: sigma, tiers: tiers,
                                            bids: try DepthCurve(levels: levels, offsetCap: 1),
                                            asks: try DepthCurve(levels: levels),
                                            liquidatorCapacity: 5 * depth))
        }
        var book = PositionBook(marketCount: marketCount, positionCapacity: positions, unitCapacity: positions)
        var account: UInt64 = 0
        var placed = 0
        while placed < positions {
            account += 1
            let isolated = uniform() < 0.1
            let count = min(uniform() < 0.7 ? 1 : 2 + Int(uniform() * 3), positions - placed)
            var collateral = 0.0
            for _ in 0..<count {
                let market = Int(uniform() * Double(marketCount))
                let conditions = markets[market]
                let leverage = uniform() < 0.9 ? 1 + 9 * uniform() : 10 + 40 * uniform()
                let notional = 1_000 * pow(1_000, uniform())
                let size = notional / conditions.markPrice * (uniform() < 0.5 ? 1 : -1)
                let entry = conditions.markPrice * (1 + conditions.horizonVolatility * 2 * (uniform() - 0.5))
                try book.setPosition(account: account, market: market, size: size, entryPrice: entry,
                                     mode: isolated ? .isolated : .cross, isolatedCollateral: notional / leverage)
                collateral += notional / leverage
                placed += 1
            }
            if !isolated { try book.setCollateral(account: account, amount: collateral) }
        }
        if let depthShare {
            var openInterest = [Double](repeating: 0, count: marketCount)
            for slot in 0..<book.positionSlotCount where book.positionUnit[slot] >= 0 {
                let market = Int(book.positionMarket[slot])
                openInterest[market] += abs(book.positionSize[slot]) * markets[market].markPrice
            }
            markets = try markets.enumerated().map { market, conditions in
                let depth = max(depthShare * openInterest[market], 1)
                let levels = (0..<20).map { (offset: 0.0002 + 0.0005 * Double($0), notional: depth / 20) }
                var conditions = conditions
                conditions.bids = try DepthCurve(levels: levels, offsetCap: 1)
                conditions.asks = try DepthCurve(levels: levels)
                conditions.liquidatorCapacity = 5 * depth
                return conditions
            }
        }
        self.book = book
        layout = book.layout()
        self.markets = markets
        residuals = (0..<300).map { _ in
            let common = random.nextGaussian()
            return (0..<marketCount).map { _ in (0.6 * common + 0.8 * random.nextGaussian()) * 1.1 }
        }
    }

    /// `count` FHS scenarios drawn from the residuals with `seed`.
    public func scenarios(count: Int, seed: UInt64) throws -> [[Double]] {
        try StressScenarios.filteredHistorical(residuals: residuals, horizonVolatility: markets.map(\.horizonVolatility),
                                               count: count, seed: seed)
    }
}

/// Deterministic 64-bit generator (SplitMix64) with Box–Muller normals.
struct WorkloadRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// √(−2 ln u₁)·cos(2π u₂) with u₁ ∈ (0, 1].
    mutating func nextGaussian() -> Double {
        let u1 = (Double(next() >> 11) + 1) / 9_007_199_254_740_992
        let u2 = Double(next() >> 11) / 9_007_199_254_740_992
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
