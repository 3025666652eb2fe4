import FulcrumEngine
import FulcrumProtocol
import FulcrumTestSupport
import MarginModel
import MarketData
import RiskFeed
import Testing

/// The live open-interest caps travel on the wire (`ModelInputs.open_interest_lower_cap`, `_upper_cap`), so that a
/// consumer's venue renderings equal the engine's.
@Suite("Live open-interest caps on the wire")
struct OpenInterestCapWireTests {
    @Test("A published update carries L = min(ADV, 20 M) and U = min(5·ADV, 50 M); the client renders them")
    func capsReachTheClient() throws {
        var configuration = EngineConfiguration(ingest: IngestConfiguration())
        configuration.model.assetOverrides["BTC"] = AssetOverrides(averageDailyVolumeNotional: 6_000_000,
                                                                   openInterestLowerCap: 20_000_000,
                                                                   openInterestUpperCap: 50_000_000)
        var engine = try RiskEngine(configuration: configuration, epoch: 1)
        let start: Int64 = 1_800_000_000 * 1_000_000_000
        var published: [WireRiskParameters] = []
        for k in 0..<30 {
            let time = start + Int64(k) * 500_000_000
            let frames = try tickFrames("BTC", price: 100 + 0.1 * Double(k % 3), at: time, sequence: UInt64(k + 1))
            frames.topic.withUnsafeBytes { topic in
                frames.payload.withUnsafeBytes { payload in
                    _ = engine.ingest(feed: 0, frameCount: 2, topic, payload, receiptTime: time) { update in
                        if let message = try? WireRiskParameters(serializedBytes: update.payload) {
                            published.append(message)
                        }
                    }
                }
            }
        }
        let last = try #require(published.last, "no update published")
        #expect(last.inputs.openInterestLowerCap == 6_000_000)
        #expect(last.inputs.openInterestUpperCap == 30_000_000)
        let engineSide = try #require(engine.latest.first ?? nil)
        let client = last.dydxLiquidityTier(id: 7)
        let server = engineSide.dydxLiquidityTier(id: 7, name: "BTC")
        #expect(client.openInterestLowerCap == server.openInterestLowerCap && client.openInterestLowerCap == 6_000_000)
        #expect(client.openInterestUpperCap == server.openInterestUpperCap && client.openInterestUpperCap == 30_000_000)
        #expect(last.hyperliquidMarginTable().openInterestCap == 30_000_000)
    }
}
