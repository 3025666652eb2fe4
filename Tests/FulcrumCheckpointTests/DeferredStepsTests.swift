import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import MarketData
import Testing
@testable import FulcrumCheckpoint
@testable import FulcrumEngine
@testable import RiskEstimation

/// The pipelined step's contract: an engine that defers its steps and a copy of it that runs them publish, byte for
/// byte, what one engine running its steps inline does, and take the same checkpoints.
@Suite("Deferred grid steps: the step side reproduces the inline engine")
struct DeferredStepsTests {
    typealias Ticks = [(topic: [UInt8], payload: [UInt8], time: Int64)]

    /// The ingest side and the step side, with the step side up to `lag` ticks behind (as a step thread that has not
    /// yet taken what the ingest thread handed it), so that the ingest side keeps writing while inputs are held;
    /// before each close the step side catches up, as the step thread's ingest side waits for it to
    /// (`beforeClose`). A class, so that the closures reach the step side while the ingest side is being mutated.
    final class Pipelined {
        var ingest: RiskEngine
        var steps: RiskEngine
        var waiting: [[StepInput]] = []
        var updates: [(topic: [UInt8], payload: [UInt8])] = []
        let lag: Int

        init(_ engine: RiskEngine, lag: Int) {
            ingest = engine
            steps = engine
            self.lag = lag
        }

        func feed(_ tick: (topic: [UInt8], payload: [UInt8], time: Int64)) {
            waiting.append([])
            tick.topic.withUnsafeBytes { first in
                tick.payload.withUnsafeBytes { second in
                    _ = ingest.ingestDeferringSteps(feed: 0, frameCount: 2, first, second,
                                                    receiptTime: tick.time + 1_000_000,
                                                    beforeClose: { self.drain() }) {
                        if self.waiting.isEmpty { self.waiting.append([]) }
                        self.waiting[self.waiting.count - 1].append($0)
                    }
                }
            }
            while waiting.count > lag { runOldest() }
        }

        func drain() { while !waiting.isEmpty { runOldest() } }

        func runOldest() {
            for input in waiting.removeFirst() {
                do { try steps.runDeferredStep(input) { updates.append(($0.topic, $0.payload)) } } catch {
                    Issue.record("step \(input.step.index): \(error)")
                }
            }
        }
    }

    static func differences(_ actual: [(topic: [UInt8], payload: [UInt8])],
                            _ expected: [(topic: [UInt8], payload: [UInt8])]) -> [String] {
        var found = zip(actual, expected).enumerated()
            .filter { $1.0.topic != $1.1.topic || $1.0.payload != $1.1.payload }
            .map { "update \($0) \(String(decoding: $1.1.topic, as: UTF8.self))" }
        if actual.count != expected.count { found.append("\(actual.count) updates, expected \(expected.count)") }
        return found
    }

    @Test("Every update is the inline engine's, byte for byte, whatever the step side's lag",
          arguments: [0, 3, 40], [false, true])
    func updatesMatch(lag: Int, discovery: Bool) throws {
        let configuration = CheckpointTests.configuration(discovery: discovery)
        let ticks = try CheckpointTests.ticks(lateListing: discovery)
        var inline = try RiskEngine(configuration: configuration.engine, epoch: 7)
        let expected = CheckpointTests.run(&inline, ticks[...])

        let pipelined = Pipelined(try RiskEngine(configuration: configuration.engine, epoch: 7), lag: lag)
        for tick in ticks { pipelined.feed(tick) }
        pipelined.drain()

        let differing = Self.differences(pipelined.updates, expected)
        #expect(differing.isEmpty, "\(differing.count) differ, first: \(differing.prefix(3))")
        #expect(pipelined.steps.stepsRun == inline.stepsRun && pipelined.ingest.stepsRun == inline.stepsRun)
        #expect(pipelined.steps.symbols == inline.symbols && pipelined.steps.latest == inline.latest)
        #expect(pipelined.steps.coverage.ledger.checkpoint == inline.coverage.ledger.checkpoint)
        #expect(expected.count > 1_000 && pipelined.steps.symbols.count == (discovery ? 3 : 2))
        // Between steps the step side holds no estimator: the ingest side's storage is its own again, so its next
        // close writes in place instead of copying every residual history.
        #expect(pipelined.steps.estimator.assetCount == 0)
    }

    @Test("The ingest side's estimator storage stays where it is across closes: nothing of it is copied")
    func noCopies() throws {
        let configuration = CheckpointTests.configuration()
        let ticks = try CheckpointTests.ticks(steps: 200)
        let pipelined = Pipelined(try RiskEngine(configuration: configuration.engine, epoch: 7), lag: 0)
        func addresses(_ estimator: RiskEstimator) -> [UnsafeRawPointer?] {
            [estimator.residualValues.withUnsafeBytes { $0.baseAddress },
             estimator.crossSum.withUnsafeBytes { $0.baseAddress },
             estimator.ewmaWeight.withUnsafeBytes { $0.baseAddress }]
        }
        var moves = 0
        for tick in ticks.prefix(400) { pipelined.feed(tick) }
        var last = addresses(pipelined.ingest.estimator)
        for tick in ticks.dropFirst(400) {
            pipelined.feed(tick)
            let now = addresses(pipelined.ingest.estimator)
            if now != last { moves += 1 }
            last = now
        }
        #expect(moves == 0, "the estimator's storage moved \(moves) times over \(ticks.count - 400) ticks")
    }

    @Test("A gap closes many intervals in one tick; each step keeps its own estimator state")
    func catchUpAfterGap() throws {
        let configuration = CheckpointTests.configuration()
        var ticks = try CheckpointTests.ticks(steps: 200)
        // 90 s of silence after tick 150: the first tick after it closes ~90 intervals at once.
        let gap: Int64 = 90_000_000_000
        for index in 150..<ticks.count {
            ticks[index] = try Self.shifted(ticks[index], by: gap)
        }
        var inline = try RiskEngine(configuration: configuration.engine, epoch: 7)
        let expected = CheckpointTests.run(&inline, ticks[...])
        let pipelined = Pipelined(try RiskEngine(configuration: configuration.engine, epoch: 7), lag: 5)
        for tick in ticks { pipelined.feed(tick) }
        pipelined.drain()
        let differing = Self.differences(pipelined.updates, expected)
        #expect(differing.isEmpty, "\(differing.count) differ, first: \(differing.prefix(3))")
        #expect(inline.stepsRun > 280, "the gap's intervals closed: \(inline.stepsRun) steps")
    }

    @Test("The checkpoint composed from both sides is the inline engine's, byte for byte", arguments: [57, 1_203])
    func checkpointMatches(split: Int) throws {
        let configuration = CheckpointTests.configuration(discovery: true)
        let ticks = try CheckpointTests.ticks(lateListing: true)
        var inline = try RiskEngine(configuration: configuration.engine, epoch: 7)
        _ = CheckpointTests.run(&inline, ticks[..<split])
        let through = ticks[split - 1].time
        let expected = try #require(inline.snapshot(throughExchangeTime: through))

        let pipelined = Pipelined(try RiskEngine(configuration: configuration.engine, epoch: 7), lag: 2)
        for tick in ticks[..<split] { pipelined.feed(tick) }
        let side = pipelined.ingest.ingestSide(throughExchangeTime: through)
        // Not yet: the step side has not run every step the ingest side closed.
        if pipelined.waiting.contains(where: { !$0.isEmpty }) {
            #expect(pipelined.steps.snapshot(ingestSide: side) == nil)
        }
        pipelined.drain()
        let composed = try #require(pipelined.steps.snapshot(ingestSide: side))
        #expect(try composed.encoded(writtenAt: 0).1 == expected.encoded(writtenAt: 0).1)
    }

    @Test("The stale republication runs on the step side after the steps before it, as inline")
    func staleRepublication() throws {
        let configuration = CheckpointTests.configuration()
        let ticks = try CheckpointTests.ticks(steps: 120)
        var inline = try RiskEngine(configuration: configuration.engine, epoch: 7)
        var expected = CheckpointTests.run(&inline, ticks[..<300])
        FeedStaleness.republishStale(&inline) { expected.append(($0.topic, $0.payload)) }
        expected += CheckpointTests.run(&inline, ticks[300...])

        let pipelined = Pipelined(try RiskEngine(configuration: configuration.engine, epoch: 7), lag: 4)
        for tick in ticks[..<300] { pipelined.feed(tick) }
        pipelined.drain()
        pipelined.steps.adopt(pipelined.ingest.ingestSide(throughExchangeTime: ticks[299].time))
        FeedStaleness.republishStale(&pipelined.steps) { pipelined.updates.append(($0.topic, $0.payload)) }
        for tick in ticks[300...] { pipelined.feed(tick) }
        pipelined.drain()
        let differing = Self.differences(pipelined.updates, expected)
        #expect(differing.isEmpty, "\(differing.count) differ, first: \(differing.prefix(3))")
        // And the final update, at the latest prices too.
        var finalInline: [[UInt8]] = [], finalPipelined: [[UInt8]] = []
        inline.republishAll { finalInline.append($0.payload) }
        pipelined.steps.adopt(pipelined.ingest.ingestSide(throughExchangeTime: 0))
        pipelined.steps.republishAll { finalPipelined.append($0.payload) }
        #expect(finalPipelined == finalInline && finalInline.count == 3)
    }

    static func shifted(_ tick: (topic: [UInt8], payload: [UInt8], time: Int64), by offset: Int64) throws
        -> (topic: [UInt8], payload: [UInt8], time: Int64) {
        var message = try WireTick(serializedBytes: tick.payload)
        message.exchangeTimeNs += offset
        return (tick.topic, try message.serializedBytes(), tick.time + offset)
    }
}
