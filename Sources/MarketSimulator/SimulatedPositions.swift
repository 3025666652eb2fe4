#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import ProtocolHealth

/// A seeded book of simulated trader positions on the simulated market's assets, so that `fulcrum run` shows
/// protocol health with no position feed.
///
/// Accounts hold one to three positions (70 % one), a tenth of them isolated; notionals are log-uniform from
/// 1,000 to 1,000,000; leverage is 1–10× for nine accounts in ten and 10–25× for the rest; entries lie within
/// ±2 % of the asset's initial price; sides are even. Collateral is notional / leverage. The same seed gives the
/// same book.
public enum SimulatedPositions {
    /// The book of `accounts` accounts over `assets` (market m = asset m).
    public static func book(assets: [SimulatedAsset], accounts: Int, seed: UInt64) throws -> PositionBook {
        var random = SplitMix64(seed: seed)
        func uniform() -> Double { random.nextUnit() }
        var book = PositionBook(marketCount: assets.count, positionCapacity: 3 * accounts + 1,
                                unitCapacity: 3 * accounts + 1)
        guard !assets.isEmpty else { return book }
        for account in 1...UInt64(max(accounts, 1)) where accounts > 0 {
            let isolated = uniform() < 0.1
            let count = uniform() < 0.7 ? 1 : 2 + Int(uniform() * 2)
            var collateral = 0.0
            var used = Set<Int>()
            for _ in 0..<count {
                let market = min(Int(uniform() * Double(assets.count)), assets.count - 1)
                guard used.insert(market).inserted else { continue }
                let price = assets[market].initialPrice
                let leverage = uniform() < 0.9 ? 1 + 9 * uniform() : 10 + 15 * uniform()
                let notional = 1_000 * pow(10, 3 * uniform())
                let side = uniform() < 0.5 ? 1.0 : -1.0
                let entry = price * (1 + 0.04 * (uniform() - 0.5))
                try book.setPosition(account: account, market: market, size: side * notional / price,
                                     entryPrice: entry, mode: isolated ? .isolated : .cross,
                                     isolatedCollateral: notional / leverage)
                collateral += notional / leverage
            }
            if !isolated { try book.setCollateral(account: account, amount: collateral) }
        }
        return book
    }
}
