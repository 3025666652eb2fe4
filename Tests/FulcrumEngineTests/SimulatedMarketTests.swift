import FulcrumEngine
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import MarketSimulator
import Testing

/// The demo's market (the embedded default's simulator) through the embedded default's engine: a newcomer should
/// see a market that is mostly calm, with stress that shows when it comes.
@Suite("The embedded simulated market")
struct SimulatedMarketTests {
    /// Status shares over `hours` of event time after a 10-minute warm-up, sampled at every grid step per asset,
    /// with the simulator stepped at 2 ticks per second (the price process does not depend on the tick rate).
    static func statusShares(hours: Double) throws -> (shares: [Fulcrum_V1_AssetStatus: Double], switches: Int) {
        let configuration = FulcrumConfiguration.embeddedDefault
        var engine = try RiskEngine(configuration: configuration.engine, epoch: 1)
        var market = MarketSimulator(configuration: configuration.simulator.market)
        let symbols = configuration.simulator.market.assets.map(\.symbol)
        var latest: [String: Fulcrum_V1_AssetStatus] = [:]
        var counts: [Fulcrum_V1_AssetStatus: Int] = [:]
        let start: Int64 = 1_800_000_000 * 1_000_000_000
        let warmUp = 600 * 2, total = Int(hours * 3_600 * 2) + warmUp
        var sequence: UInt64 = 0
        for step in 1...total {
            let time = start + Int64(step) * 500_000_000
            for (index, price) in market.advance(seconds: 0.5).enumerated() {
                sequence += 1
                let frames = try tickFrames(symbols[index], price: price, at: time, sequence: sequence)
                frames.topic.withUnsafeBytes { topic in
                    frames.payload.withUnsafeBytes { payload in
                        _ = engine.ingest(feed: 0, frameCount: 2, topic, payload, receiptTime: time) { update in
                            guard update.topic.starts(with: Array("risk.".utf8)),
                                  let message = try? Fulcrum_V1_RiskParameters(serializedBytes: update.payload)
                            else { return }
                            latest[message.symbol] = message.status
                        }
                    }
                }
            }
            guard step > warmUp, step % 2 == 0 else { continue }
            for symbol in symbols { counts[latest[symbol] ?? .unspecified, default: 0] += 1 }
        }
        let sampled = Double(counts.values.reduce(0, +))
        return (counts.mapValues { Double($0) / sampled }, market.regimeSwitches)
    }

    @Test("Over six hours after warm-up: READY at least 80 % of the time, and stress regimes show as STRESSED")
    func mostlyCalm() throws {
        let (shares, switches) = try Self.statusShares(hours: 6)
        #expect((shares[.ready] ?? 0) >= 0.80, "\(shares)")
        #expect(switches >= 2, "the six hours see a stress regime come and go (\(switches) switches)")
        #expect((shares[.stressed] ?? 0) > 0.005, "stress is visible when it comes: \(shares)")
    }
}
