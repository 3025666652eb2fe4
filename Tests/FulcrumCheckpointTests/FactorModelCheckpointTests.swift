import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import MarketData
import RiskEstimation
import Testing
@testable import FulcrumCheckpoint
@testable import FulcrumEngine

/// The factor correlation model keeps the engine's two promises: a restored engine and the step thread publish,
/// byte for byte, what one engine running inline without a stop does.
@Suite("Factor correlation model: checkpoints and deferred steps")
struct FactorModelCheckpointTests {
    static func configuration(discovery: Bool = true) -> FulcrumConfiguration {
        var configuration = CheckpointTests.configuration(discovery: discovery)
        configuration.estimation.correlationModel = .factors(
            FactorConfiguration(estimation: configuration.estimation, factors: 2))
        return configuration
    }

    @Test("An engine restored mid-stream publishes what one that never stopped does", arguments: [57, 1_203])
    func continuation(splitAt split: Int) throws {
        let configuration = Self.configuration()
        let ticks = try CheckpointTests.ticks(lateListing: true)
        var reference = try RiskEngine(configuration: configuration.engine, epoch: 7)
        let expected = CheckpointTests.run(&reference, ticks[...])

        var first = try RiskEngine(configuration: configuration.engine, epoch: 7)
        let before = CheckpointTests.run(&first, ticks[..<split])
        let snapshot = try #require(first.snapshot(throughExchangeTime: ticks[split - 1].time))
        var resumed = try RiskEngine(configuration: configuration.engine, epoch: 7,
                                     restoring: try CheckpointTests.roundTrip(snapshot))
        let after = CheckpointTests.run(&resumed, ticks[split...])
        let differing = DeferredStepsTests.differences(before + after, expected)
        #expect(differing.isEmpty, "\(differing.count) of \(expected.count) differ, first: \(differing.prefix(3))")
        // The portfolio went out in factor form throughout.
        let portfolios = expected.filter { $0.topic == RiskEngine.portfolioTopic }
        #expect(!portfolios.isEmpty)
        for portfolio in portfolios {
            let message = try WirePortfolioUpdate(serializedBytes: portfolio.payload)
            #expect(message.factorCount == 2 && message.correlation.isEmpty)
        }
    }

    @Test("The step thread's updates are the inline engine's, byte for byte", arguments: [0, 3])
    func deferredStepsMatch(lag: Int) throws {
        let configuration = Self.configuration()
        let ticks = try CheckpointTests.ticks(lateListing: true)
        var inline = try RiskEngine(configuration: configuration.engine, epoch: 7)
        let expected = CheckpointTests.run(&inline, ticks[...])
        let pipelined = DeferredStepsTests.Pipelined(try RiskEngine(configuration: configuration.engine, epoch: 7),
                                                     lag: lag)
        for tick in ticks { pipelined.feed(tick) }
        pipelined.drain()
        let differing = DeferredStepsTests.differences(pipelined.updates, expected)
        #expect(differing.isEmpty, "\(differing.count) differ, first: \(differing.prefix(3))")
        #expect(expected.count > 1_000)
    }

    @Test("A checkpoint of the full matrix does not resume under the factor model: the setting is named")
    func modeChangeRefused() throws {
        var engine = try RiskEngine(configuration: CheckpointTests.configuration().engine, epoch: 1)
        _ = CheckpointTests.run(&engine, try CheckpointTests.ticks(steps: 10)[...])
        let payload = try CheckpointTests.roundTrip(try #require(engine.snapshot(throughExchangeTime: 0)))
        do {
            _ = try RiskEngine(configuration: Self.configuration(discovery: false).engine, epoch: 2, restoring: payload)
            Issue.record("a full-matrix checkpoint resumed under the factor model")
        } catch let error as EngineError {
            #expect(error.code == .incompatible)
            #expect(error.message.contains("correlationModel"), "\(error.message)")
        }
    }
}
