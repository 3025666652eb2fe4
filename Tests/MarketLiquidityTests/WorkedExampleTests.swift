import FulcrumTestSupport
import MarginModel
import MarketData
import MarketLiquidity
import Testing

/// The worked example of protocols/README.md ("Liquidity"): one small book, its impact curve, the tiers it gives.
@Suite("Worked example: a book, its impact curve, its tiers")
struct WorkedExampleTests {
    /// Mid 100, half spread 5 bp; bids 99.95×100, 99.90×200, 99.80×500, 99.50×1,000, 99.00×2,000 and the asks
    /// mirrored: 358,560 of notional a side.
    static let frame = #"EX-book-ABC-USD {"exchange":"EX","symbol":"ABC-USD","book":{"bid":{"99.95":100,"99.9":200,"#
        + #""99.8":500,"99.5":1000,"99":2000},"ask":{"100.05":100,"100.1":200,"100.2":500,"100.5":1000,"101":2000}},"#
        + #""timestamp":1700000000,"receipt_timestamp":1700000000}"#

    @Test("the curve starts at the half spread, walks the levels, and continues by √N past the visible depth")
    func workedExample() throws {
        var ingestor = TickIngestor(encoding: .cryptofeed)
        let time: Int64 = 1_700_000_000_000_000_000
        let outcome = Array(Self.frame.utf8).withUnsafeBytes { ingestor.ingest(frameCount: 1, $0, receiptTime: time) }
        #expect(outcome.rejectionReason == nil)
        var tracker = LiquidityTracker(configuration: LiquidityConfiguration())
        let symbol = SymbolID(rawValue: try #require(ingestor.symbols.id(of: "ABC-USD")))
        let inputs = tracker.inputs(symbol: symbol, books: ingestor.books, now: time, price: 100)
        let curve = try #require(inputs.impact)
        // 1,000 and 5,000 fit in the best level: the cost is the half spread.
        #expect(curve.longCost[0].isApproximatelyEqual(to: 0.000_5, relativeTolerance: 1e-12))
        #expect(curve.longCost[2].isApproximatelyEqual(to: 0.000_5, relativeTolerance: 1e-12))
        // 20,000: 9,995 at 99.95 and 10,005 at 99.90 → VWAP = 20,000 / (100 + 10,005/99.9).
        let vwap = 20_000 / (100 + 10_005 / 99.9)
        #expect(curve.longCost[4].isApproximatelyEqual(to: (100 - vwap) / 100, relativeTolerance: 1e-12))
        // Past the visible depth (358,560 of bids) the square-root law: c(10⁶) = c(D)·√(10⁶/D).
        let depth = 99.95 * 100 + 99.9 * 200 + 99.8 * 500 + 99.5 * 1_000 + 99.0 * 2_000
        let allQuantity = 3_800.0
        let full = (100 - depth / allQuantity) / 100
        #expect(curve.longCost[9].isApproximatelyEqual(to: full * (1e6 / depth).squareRoot(), relativeTolerance: 1e-12))
        #expect(inputs.visibleDepthNotional!.isApproximatelyEqual(
            to: depth + (100.05 * 100 + 100.1 * 200 + 100.2 * 500 + 100.5 * 1_000 + 101 * 2_000),
            relativeTolerance: 1e-12))

        var optimizer = try MarginOptimizer(configuration: MarginModelConfiguration(), symbols: ["ABC-USD"])
        var risk = AssetRiskInputs(eventTimeNs: time, sigmaStep: 0.000_05, gridIntervalNs: 1_000_000_000,
                                   effectiveSampleSize: 1_000)
        risk.liquidity = inputs
        let parameters = optimizer.update(asset: 0, inputs: risk)
        #expect(parameters.reasons.contains(.bookImpact))
        var lines = ["notional,long cost,short cost"]
        for i in curve.notionals.indices where curve.notionals[i] <= 2e6 {
            lines.append("\(curve.notionals[i]),\(curve.longCost[i]),\(curve.shortCost[i])")
        }
        lines.append("floor,cap,IMF,MMF,max leverage,deduction")
        for tier in parameters.targetTiers {
            lines.append("\(tier.lowerBoundNotional),\(tier.upperBoundNotional),\(tier.initialMarginFraction),"
                         + "\(tier.maintenanceMarginFraction),\(tier.maxLeverage),\(tier.maintenanceDeduction)")
        }
        print(lines.joined(separator: "\n"))
        // Tiers are ordered and priced at their upper bounds: MMF grows with the tier.
        for index in 1..<parameters.targetTiers.count {
            #expect(parameters.targetTiers[index].maintenanceMarginFraction
                    > parameters.targetTiers[index - 1].maintenanceMarginFraction)
        }
    }
}
