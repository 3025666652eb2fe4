#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Books, funding, open interest and liquidations around the simulated prices, so that the embedded market shows
/// liquidity-aware margins: the first asset has the deepest book, each further one half the depth of the one before;
/// in the stressed regime books thin to a quarter and liquidations flow.
public enum SimulatedMarketData {
    /// Levels per side of a simulated book.
    public static let levels = 20
    /// Notional per side of the first asset's book in the calm regime.
    public static let baseDepthNotional = 2_000_000.0

    /// Notional per side of asset `index`'s book.
    public static func depthNotional(asset index: Int, stressed: Bool) -> Double {
        baseDepthNotional / Double(1 << min(index, 20)) * (stressed ? 0.25 : 1)
    }

    /// A book around `price`: level k (0-based) at price·(1 ∓ (k + 1) bp · (1 + k/4)), sizes growing with k so that
    /// the side holds ``depthNotional(asset:stressed:)``.
    public static func book(price: Double, asset index: Int, stressed: Bool)
        -> (bidPrices: [Double], bidSizes: [Double], askPrices: [Double], askSizes: [Double]) {
        let depth = depthNotional(asset: index, stressed: stressed)
        let weightSum = Double(levels * (levels + 1) / 2)
        var result: (bidPrices: [Double], bidSizes: [Double], askPrices: [Double], askSizes: [Double]) = ([], [], [], [])
        for k in 0..<levels {
            let offset = 1e-4 * Double(k + 1) * (1 + Double(k) / 4)
            let notional = depth * Double(k + 1) / weightSum
            let bid = price * (1 - offset)
            let ask = price * (1 + offset)
            result.bidPrices.append(bid)
            result.bidSizes.append(notional / bid)
            result.askPrices.append(ask)
            result.askSizes.append(notional / ask)
        }
        return result
    }

    /// The mark price at `seconds` of event time: the price with a basis of ±2 bp cycling over ten minutes.
    public static func markPrice(price: Double, seconds: Double) -> Double {
        price * (1 + 0.000_2 * sin(seconds / 600 * 2 * .pi))
    }

    /// Open interest in base units: five times the calm depth, ±20 % over an hour.
    public static func openInterest(price: Double, asset index: Int, seconds: Double) -> Double {
        5 * depthNotional(asset: index, stressed: false) / price * (1 + 0.2 * sin(seconds / 3_600 * 2 * .pi))
    }

    /// Liquidated quantity per second in the stressed regime: 5 % of the calm depth (so that a minute of stress
    /// liquidates more than the thinned book shows, and the cascade breaker trips); none when calm.
    public static func liquidationQuantity(price: Double, asset index: Int, stressed: Bool) -> Double {
        stressed ? 0.05 * depthNotional(asset: index, stressed: false) / price : 0
    }
}
