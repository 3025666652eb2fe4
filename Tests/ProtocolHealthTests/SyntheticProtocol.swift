import Foundation
import MarginModel
import ProtocolHealth

/// A seeded synthetic protocol for the tests that compare two ways of computing the same figures: markets with
/// three-tier continuous schedules, 12-level books and finite liquidator capacity (so cascades defer units and run
/// several rounds), and accounts with one to four positions, cross or isolated, leverage from 1× to 50×.
struct SyntheticProtocol {
    var random: Generator

    init(seed: UInt64) { random = Generator(seed: seed) }

    mutating func markets(_ count: Int) throws -> [MarketConditions] {
        try (0..<count).map { _ in
            let price = 5 * pow(10, 3 * random.uniform())
            var tiers = MarginTierTable()
            let base = 0.005 + 0.02 * random.uniform()
            for (lower, factor) in [(0.0, 1.0), (50_000.0, 2.0), (400_000.0, 4.0)] {
                tiers.append(MarginTier(lowerBoundNotional: lower, upperBoundNotional: .infinity,
                                        initialMarginFraction: 2 * base * factor,
                                        maintenanceMarginFraction: base * factor, maxLeverage: 10))
            }
            tiers.recomputeMaintenanceDeductions()
            let depth = 2e5 * (1 + 4 * random.uniform())
            let levels = (0..<12).map { (offset: 0.0003 + 0.0015 * Double($0), notional: depth / 12) }
            return MarketConditions(markPrice: price, horizonVolatility: 0.02 + 0.06 * random.uniform(), tiers: tiers,
                                    bids: try DepthCurve(levels: levels, offsetCap: 1),
                                    asks: try DepthCurve(levels: levels), liquidatorCapacity: 1.5 * depth)
        }
    }

    /// `accounts` accounts numbered from `firstAccount`; each trades markets drawn from `pool(account)`.
    mutating func book(accounts: Int, markets: [MarketConditions], firstAccount: UInt64 = 1,
                       pool: (UInt64) -> [Int]) throws -> PositionBook {
        var book = PositionBook(marketCount: markets.count)
        for account in firstAccount..<(firstAccount + UInt64(accounts)) {
            try add(account: account, to: &book, markets: markets, pool: pool(account))
        }
        return book
    }

    /// One account's positions and collateral.
    mutating func add(account: UInt64, to book: inout PositionBook, markets: [MarketConditions],
                      pool: [Int]) throws {
        let isolated = random.uniform() < 0.15
        var available = pool
        let count = min(random.uniform() < 0.6 ? 1 : 2 + Int(random.uniform() * 3), available.count)
        var collateral = 0.0
        for _ in 0..<count {
            let market = available.remove(at: Int(random.uniform() * Double(available.count)))
            let conditions = markets[market]
            let leverage = 1 + 49 * random.uniform() * random.uniform()
            let notional = 1_000 * pow(300, random.uniform())
            let size = notional / conditions.markPrice * (random.uniform() < 0.5 ? 1 : -1)
            let entry = conditions.markPrice * (1 + 0.04 * (random.uniform() - 0.5))
            try book.setPosition(account: account, market: market, size: size, entryPrice: entry,
                                 mode: isolated ? .isolated : .cross, isolatedCollateral: notional / leverage)
            collateral += notional / leverage
        }
        if !isolated { try book.setCollateral(account: account, amount: collateral) }
    }

    /// `count` scenarios: a common factor and idiosyncratic moves, fat-tailed (a normal over a random scale), plus
    /// the hypothetical shocks −30 %, −10 %, 0 and +30 % on every market and a split one.
    mutating func scenarios(_ count: Int, markets: Int) -> [[Double]] {
        var scenarios: [[Double]] = [[Double](repeating: -0.3, count: markets), [Double](repeating: -0.1, count: markets),
                                     [Double](repeating: 0, count: markets), [Double](repeating: 0.3, count: markets),
                                     (0..<markets).map { $0 % 2 == 0 ? -0.25 : 0.25 }]
        while scenarios.count < count {
            let scale = 0.02 + 0.12 * random.uniform() * random.uniform()
            let common = random.gaussian()
            scenarios.append((0..<markets).map { _ in expm1(scale * (0.7 * common + 0.7 * random.gaussian())) })
        }
        return scenarios
    }

    /// SplitMix64 with uniforms in [0, 1) and Box–Muller normals.
    struct Generator {
        var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func uniform() -> Double { Double(next() >> 11) / 9_007_199_254_740_992 }

        mutating func gaussian() -> Double {
            let u1 = uniform() + 1 / 9_007_199_254_740_992
            return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * uniform())
        }
    }
}
