import FulcrumTestSupport
import Testing
@testable import MarginModel

/// The venue formats render the live open-interest caps of each update: ADV multiples (1× and 5× by default)
/// bounded by the asset's configured caps, the configured caps alone without an ADV.
@Suite("Live open-interest caps in the venue formats")
struct VenueFormatCapsTests {
    /// The parameters of one update of BTC with average daily volume `adv`.
    static func parameters(_ configuration: MarginModelConfiguration, adv: Double?) throws -> AssetParameters {
        var optimizer = try MarginOptimizer(configuration: configuration, symbols: ["BTC"])
        let inputs = AssetRiskInputs(eventTimeNs: 1_700_000_000_000_000_000, sigmaStep: 0.000_05,
                                     gridIntervalNs: 1_000_000_000, effectiveSampleSize: 1_000,
                                     averageDailyVolumeNotional: adv)
        return optimizer.update(asset: 0, inputs: inputs)
    }

    @Test("a rising ADV raises the rendered dYdX and Hyperliquid caps, up to the configured bounds")
    func risingVolume() throws {
        var configuration = MarginModelConfiguration()
        configuration.assetOverrides["BTC"] = AssetOverrides(openInterestLowerCap: 20_000_000,
                                                             openInterestUpperCap: 50_000_000)
        // (ADV, expected L, expected U): L = min(ADV, 20 M), U = min(5·ADV, 50 M).
        let cases: [(Double, UInt64, UInt64)] = [
            (2_000_000, 2_000_000, 10_000_000),
            (6_000_000, 6_000_000, 30_000_000),
            (12_000_000, 12_000_000, 50_000_000),
            (40_000_000, 20_000_000, 50_000_000),
        ]
        var previousUpper: UInt64 = 0
        for (adv, lower, upper) in cases {
            let parameters = try Self.parameters(configuration, adv: adv)
            let tier = parameters.dydxLiquidityTier(id: 1, name: "BTC")
            #expect(tier.openInterestLowerCap == lower && tier.openInterestUpperCap == upper, "ADV \(adv)")
            #expect(tier.openInterestUpperCap >= previousUpper && tier.openInterestUpperCap <= 50_000_000)
            previousUpper = tier.openInterestUpperCap
            let table = parameters.hyperliquidMarginTable(description: "BTC", leverageSteps: [1, 2, 5, 10, 20, 50])
            #expect(table.openInterestCap == Double(upper))
            // The caps are the ones the open-interest scaling uses.
            let live = try #require(MarginOptimizer(configuration: configuration, symbols: ["BTC"])
                .openInterestCaps(asset: 0, averageDailyVolume: adv))
            #expect(live.lower == Double(lower) && live.upper == Double(upper))
            #expect(parameters.binanceLeverageBrackets().count == parameters.publishedTiers.count)
        }
        // Without an ADV: the configured caps alone.
        let unknown = try Self.parameters(configuration, adv: nil).dydxLiquidityTier(id: 1, name: "BTC")
        #expect(unknown.openInterestLowerCap == 20_000_000 && unknown.openInterestUpperCap == 50_000_000)
    }

    @Test("with no configured caps the live caps follow ADV alone; with neither there are none")
    func unbounded() throws {
        let configuration = MarginModelConfiguration()
        let tier = try Self.parameters(configuration, adv: 3_000_000).dydxLiquidityTier(id: 0, name: "BTC")
        #expect(tier.openInterestLowerCap == 3_000_000 && tier.openInterestUpperCap == 15_000_000)
        let none = try Self.parameters(configuration, adv: nil)
        #expect(none.dydxLiquidityTier(id: 0, name: "BTC").openInterestUpperCap == 0)
        #expect(none.hyperliquidMarginTable(description: "BTC", leverageSteps: [1, 10]).openInterestCap == nil)
        #expect(none.inputs.openInterestLowerCap == nil && none.inputs.openInterestUpperCap == nil)
    }
}
