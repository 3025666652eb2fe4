import Foundation
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import MarginModel
import MarketData
import RiskEstimation
import Testing
@testable import FulcrumEngine

@Suite("Feed silence: per-feed staleness and the stale republication")
struct FeedStalenessTests {
    static let second: Int64 = 1_000_000_000
    static let start: Int64 = 1_700_000_000_000_000_000

    @Test("Fires once when every feed has been silent for the threshold; an accepted tick re-arms it")
    func firesOncePerSilence() {
        var staleness = FeedStaleness(feedCount: 2, staleAfter: 30 * Self.second, started: Self.start)
        #expect(staleness.evaluate(now: Self.start + 29 * Self.second) == .none)
        #expect(staleness.evaluate(now: Self.start + 30 * Self.second) == .publishStale(silence: 30 * Self.second))
        #expect(staleness.silentSince == Self.start + 30 * Self.second)
        #expect(staleness.evaluate(now: Self.start + 90 * Self.second) == .none)

        staleness.recordAccepted(feed: 1, at: Self.start + 100 * Self.second)
        #expect(staleness.silentSince == nil)
        #expect(staleness.lastAccepted == [nil, Self.start + 100 * Self.second])
        #expect(staleness.evaluate(now: Self.start + 129 * Self.second) == .none)
        #expect(staleness.evaluate(now: Self.start + 131 * Self.second) == .publishStale(silence: 31 * Self.second))
    }

    @Test("One live feed keeps the rule quiet; 0 turns it off")
    func oneLiveFeedSuffices() {
        var staleness = FeedStaleness(feedCount: 2, staleAfter: 10 * Self.second, started: Self.start)
        for k in 1...10 {
            staleness.recordAccepted(feed: 0, at: Self.start + Int64(k) * 5 * Self.second)
            #expect(staleness.evaluate(now: Self.start + Int64(k) * 5 * Self.second + 4 * Self.second) == .none)
        }
        var off = FeedStaleness(feedCount: 1, staleAfter: 0, started: Self.start)
        #expect(off.evaluate(now: Self.start + 86_400 * Self.second) == .none)
    }

    @Test("The snapshot reports each feed's staleness from its last accepted tick, or from the start")
    func snapshotStaleness() {
        var staleness = FeedStaleness(feedCount: 2, staleAfter: 30 * Self.second, started: Self.start)
        staleness.recordAccepted(feed: 0, at: Self.start + 5 * Self.second)
        let status = EngineStatus()
        status.publishFeeds(staleness)
        #expect(status.snapshot.feedStaleness(now: Self.start + 12 * Self.second) == [7 * Self.second, 12 * Self.second])
        #expect(status.snapshot.feedsSilentSince == nil)
    }

    /// An engine that has run `steps` grid steps of AAA and BBB at constant prices.
    static func engine(steps: Int) throws -> (RiskEngine, UInt64) {
        var engine = try RiskEngine(configuration: FulcrumConfiguration.smallEngine().engine, epoch: 3)
        var sequence: UInt64 = 0
        for k in 0...steps {
            for (index, symbol) in ["AAA", "BBB"].enumerated() {
                sequence += 1
                let time = start + Int64(k) * second + Int64(index + 1) * 100_000_000
                let frames = try tickFrames(symbol, price: [100.0, 20.0][index], at: time, sequence: sequence)
                ingest(&engine, topic: frames.topic, payload: frames.payload, receiptTime: time + 1_000_000)
            }
        }
        return (engine, sequence)
    }

    static func decode(_ updates: [RiskEngine.Update]) -> [String: WireRiskParameters] {
        var result: [String: WireRiskParameters] = [:]
        for update in updates where update.topic.starts(with: Array("risk.".utf8)) {
            if let message = try? WireRiskParameters(serializedBytes: update.payload) { result[message.symbol] = message }
        }
        return result
    }

    @Test("Every asset is republished stale with its values unchanged; the next grid step republishes it as is")
    func staleRepublication() throws {
        var (engine, sequence) = try Self.engine(steps: 20)
        var control = engine
        var plain: [RiskEngine.Update] = []
        engine.republishAll { plain.append($0) }
        var stale: [RiskEngine.Update] = []
        let count = FeedStaleness.republishStale(&engine) { stale.append($0) }

        #expect(count == 2)
        #expect(stale.allSatisfy { $0.topic.starts(with: Array("risk.".utf8)) })
        let before = Self.decode(plain), after = Self.decode(stale)
        #expect(Set(after.keys) == ["AAA", "BBB"])
        for (symbol, message) in after {
            let original = try #require(before[symbol])
            #expect(original.status != .stale)
            #expect(message.status == .stale)
            #expect(message.reasons.contains(.staleFeed))
            #expect(message.imf == original.imf && message.mmf == original.mmf)
            #expect(message.asOfNs == original.asOfNs && message.gridStep == original.gridStep)
        }

        // The next tick closes one more grid step: the stale-marked engine republishes both assets, unmarked.
        sequence += 1
        let time = Self.start + 21 * Self.second + 100_000_000
        let frames = try tickFrames("AAA", price: 100, at: time, sequence: sequence)
        var next: [RiskEngine.Update] = []
        var controlNext: [RiskEngine.Update] = []
        frames.topic.withUnsafeBytes { first in
            frames.payload.withUnsafeBytes { second in
                engine.ingest(feed: 0, frameCount: 2, first, second, receiptTime: time) { next.append($0) }
                control.ingest(feed: 0, frameCount: 2, first, second, receiptTime: time) { controlNext.append($0) }
            }
        }
        let republished = Self.decode(next)
        #expect(Set(republished.keys) == ["AAA", "BBB"])
        #expect(republished.values.allSatisfy { $0.status != .stale && !$0.reasons.contains(.staleFeed) })
        #expect(Self.decode(controlNext).count < republished.count,
                "without the stale mark, unchanged parameters are not republished")
        #expect(!engine.republishOnNextStep)
    }

    @Test("Nothing is republished before the first grid step")
    func nothingBeforeFirstStep() throws {
        var engine = try RiskEngine(configuration: FulcrumConfiguration.smallEngine().engine, epoch: 3)
        var updates = 0
        #expect(FeedStaleness.republishStale(&engine) { _ in updates += 1 } == 0)
        #expect(updates == 0)
        #expect(!engine.republishOnNextStep)
    }
}
