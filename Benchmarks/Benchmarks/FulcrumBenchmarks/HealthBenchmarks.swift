import Benchmark
import Foundation
import MarginModel
import ProtocolHealth

/// A protocol of `positions` positions over `markets` markets (about 1.4 positions per account, 10 % isolated),
/// leverage mostly 1–10× with a tail to 50×, entries within a few σ of the mark; books of 20 levels a side, and
/// 300 rows of correlated fat-tailed residuals for the FHS scenarios.
struct HealthWorkload {
    let book: PositionBook
    let layout: PositionLayout
    let markets: [MarketConditions]
    let residuals: [[Double]]

    init(positions: Int, markets marketCount: Int) throws {
        var random = SplitMix64(seed: 0x4EA1)
        func uniform() -> Double { Double(random.next() >> 11) / 9_007_199_254_740_992 }
        var markets: [MarketConditions] = []
        for market in 0..<marketCount {
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
            _ = market
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
        self.book = book
        layout = book.layout()
        self.markets = markets
        residuals = (0..<300).map { _ in
            let common = random.nextGaussian()
            return (0..<marketCount).map { _ in (0.6 * common + 0.8 * random.nextGaussian()) * 1.1 }
        }
    }
}

func registerHealthBenchmarks() {
    let configuration = Benchmark.Configuration(metrics: [.wallClock, .cpuTotal, .peakMemoryResident],
                                                warmupIterations: 1, maxDuration: .seconds(10),
                                                maxIterations: 20)
    guard let workload = try? HealthWorkload(positions: 1_000_000, markets: 100) else {
        fatalError("health workload")
    }
    Benchmark("Health aggregates, 1,000,000 positions, 100 markets", configuration: configuration) { _ in
        blackHole(HealthEvaluator.evaluate(book: workload.book, layout: workload.layout,
                                           markets: workload.markets))
    }
    guard let cascade = try? LiquidationCascade(book: workload.book, markets: workload.markets),
          let scenarios = try? StressScenarios.filteredHistorical(
              residuals: workload.residuals, horizonVolatility: workload.markets.map(\.horizonVolatility),
              count: 1_000, seed: 7) else {
        fatalError("health cascade")
    }
    Benchmark("Stress, 1,000 FHS cascades, 1,000,000 positions", configuration: configuration) { _ in
        blackHole(try? StressReport(cascade: cascade, scenarios: scenarios, insuranceFund: 1e7))
    }
}
