import Foundation
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import GRDB
import MarginModel
import MarketData
import Testing
@testable import FulcrumCheckpoint
@testable import FulcrumEngine

@Suite("Engine checkpoints: encoding, storage, continuation")
struct CheckpointTests {
    /// Two symbols quoted by two venues, FHS margins from 50 residuals; coverage over 3 s horizons in a window of
    /// 30 (warm-up included, widening on, one portfolio), so exceptions, widened updates and open horizons are
    /// all part of the state when a checkpoint is taken (``FulcrumConfiguration/checkpointedEngine``).
    static func configuration(gridInterval: Int64 = 1_000_000_000, coverageWindow: Int = 30,
                              discovery: Bool = false) -> FulcrumConfiguration {
        .checkpointedEngine(gridInterval: gridInterval, coverageWindow: coverageWindow, discovery: discovery)
    }

    static let start: Int64 = 1_700_000_000_000_000_000

    /// Deterministic ticks: per step, each symbol from two venues (SplitMix64 noise, an occasional spike on one
    /// venue that the robust filter quarantines), 400 steps of 1 s; six times the noise in steps 200–259, so the
    /// margins are exceeded while σ catches up and coverage has exceptions to carry. With `lateListing`, a third
    /// symbol CCC trades from step 320 on (AAA's and BBB's ticks are unchanged).
    static func ticks(steps: Int = 400, lateListing: Bool = false) throws
        -> [(topic: [UInt8], payload: [UInt8], time: Int64)] {
        var random = SplitMix64(seed: 42)
        func uniform() -> Double { random.nextHalfOpenUnit() }
        var prices = [100.0, 20.0, 5.0]
        var sequence: UInt64 = 0
        var result: [(topic: [UInt8], payload: [UInt8], time: Int64)] = []
        for step in 0..<steps {
            for (index, symbol) in ["AAA", "BBB", "CCC"].enumerated() {
                if index == 2 && !(lateListing && step >= 320) { continue }
                let noise = (200..<260).contains(step) ? 0.024 : 0.004
                prices[index] *= exp(noise * (uniform() - 0.5) + (uniform() < 0.02 ? 0.03 * (uniform() - 0.5) : 0))
                for (offset, venue) in ["TEST", "ALT"].enumerated() {
                    let time = start + Int64(step) * 1_000_000_000 + Int64(index * 2 + offset + 1) * 100_000_000
                    let spike = venue == "ALT" && uniform() < 0.03 ? 1.5 : 1.0
                    var tick = WireTick()
                    tick.venue = venue
                    tick.symbol = symbol
                    tick.price = prices[index] * spike * (1 + 0.0002 * (uniform() - 0.5))
                    tick.size = 1 + uniform()
                    tick.exchangeTimeNs = time
                    sequence += 1
                    tick.feedSequence = sequence
                    result.append((Array("tick.\(venue).\(symbol)".utf8), try tick.serializedBytes(), time))
                }
            }
        }
        return result
    }

    /// Feeds ticks, returning every update as `(topic, payload)`.
    static func run(_ engine: inout RiskEngine, _ ticks: ArraySlice<(topic: [UInt8], payload: [UInt8], time: Int64)>)
        -> [(topic: [UInt8], payload: [UInt8])] {
        var updates: [(topic: [UInt8], payload: [UInt8])] = []
        for tick in ticks {
            tick.topic.withUnsafeBytes { first in
                tick.payload.withUnsafeBytes { second in
                    _ = engine.ingest(feed: 0, frameCount: 2, first, second, receiptTime: tick.time + 1_000_000) {
                        updates.append(($0.topic, $0.payload))
                    }
                }
            }
        }
        return updates
    }

    static func roundTrip(_ snapshot: RiskEngine.Snapshot) throws -> RiskEngine.CheckpointPayload {
        let (metadata, bytes) = try snapshot.encoded(writtenAt: 0)
        #expect(metadata.payloadSize == bytes.count)
        return try bytes.withUnsafeBytes { try CheckpointDecoder.decode(RiskEngine.CheckpointPayload.self, from: $0) }
    }

    @Test("An engine restored mid-stream publishes, byte for byte, what one that never stopped does",
          arguments: [57, 1_203, 1_501], [false, true])
    func continuation(splitAt split: Int, discovery: Bool) throws {
        // Discovered symbols, one of them listed late: registered after the restore when the split comes first.
        let configuration = Self.configuration(discovery: discovery)
        let ticks = try Self.ticks(lateListing: discovery)
        var reference = try RiskEngine(configuration: configuration.engine, epoch: 7)
        let expected = Self.run(&reference, ticks[...])

        var first = try RiskEngine(configuration: configuration.engine, epoch: 7)
        let before = Self.run(&first, ticks[..<split])
        let snapshot = try #require(first.snapshot(throughExchangeTime: ticks[split - 1].time))
        #expect(snapshot.boundary < ticks[split - 1].time)
        var resumed = try RiskEngine(configuration: configuration.engine, epoch: 7, restoring: try Self.roundTrip(snapshot))
        #expect(resumed.symbols == first.symbols)
        #expect(resumed.stepsRun == first.stepsRun)
        #expect(resumed.coverage.ledger.checkpoint == first.coverage.ledger.checkpoint)
        #expect(first.symbols.indices.allSatisfy {
            resumed.optimizer.tailState(ofAsset: $0) == first.optimizer.tailState(ofAsset: $0)
        })
        let after = Self.run(&resumed, ticks[split...])

        // The same epoch on both sides, so every payload must match whole: parameters, tail losses, coverage.
        #expect(before.count + after.count == expected.count)
        let continued = before + after
        let differing = zip(continued, expected).enumerated()
            .filter { $1.0.topic != $1.1.topic || $1.0.payload != $1.1.payload }
            .map { "update \($0) \(String(decoding: $1.1.topic, as: UTF8.self))" }
        #expect(differing.isEmpty,
                "\(differing.count) of \(expected.count) updates differ, first: \(differing.prefix(3))")
        #expect(resumed.coverage.ledger.checkpoint == reference.coverage.ledger.checkpoint)
        // The margins came from the residual tail (not the warm-up defaults), and coverage had exceptions to carry.
        let last = try #require(after.last { $0.topic == Array("risk.AAA".utf8) })
        let message = try WireRiskParameters(serializedBytes: last.payload)
        #expect(message.status != .warming && message.inputs.residualCount >= 50, "status \(message.status)")
        #expect(message.coverage.observations == 30, "\(message.coverage)")
        let totals = reference.coverage.ledger.trackers.map { ($0.total.observations, $0.total.exceptions) }
        #expect(totals.contains { $0.1 > 0 }, "no exceptions to carry: \(totals)")
        #expect(reference.coverage.ledger.portfolios[0].statistics.observations > 0)
        #expect(resumed.ingestor.totals.quarantined > 0, "the spikes exercise the robust filter's state")
        #expect(resumed.symbols == reference.symbols && resumed.symbols.count == (discovery ? 3 : 2))
    }

    @Test("A checkpoint from a coverage window of another length restarts coverage and keeps the rest")
    func changedCoverageWindow() throws {
        var engine = try RiskEngine(configuration: (Self.configuration()).engine, epoch: 1)
        _ = Self.run(&engine, try Self.ticks(steps: 200)[...])
        let payload = try Self.roundTrip(try #require(engine.snapshot(throughExchangeTime: 0)))
        let resumed = try RiskEngine(configuration: (Self.configuration(coverageWindow: 60)).engine, epoch: 2,
                                     restoring: payload)
        #expect(payload.coverage.trackers[0].rolling.observations > 0)
        #expect(resumed.coverage.ledger.trackers.allSatisfy {
            $0.rolling.observations == 0 && $0.total.observations == 0
        })
        #expect(resumed.latest == engine.latest)
    }

    @Test("The payload survives encoding bit for bit, NaN prices and optional parameters included")
    func payloadRoundTrip() throws {
        var engine = try RiskEngine(configuration: (Self.configuration()).engine, epoch: 1)
        _ = Self.run(&engine, try Self.ticks(steps: 30)[...])
        let snapshot = try #require(engine.snapshot(throughExchangeTime: 0))
        let payload = try Self.roundTrip(snapshot)
        #expect(payload.symbols == ["AAA", "BBB"])
        #expect(payload.latest == engine.latest)
        #expect(payload.volume == engine.volume)
        #expect(payload.ingestor == engine.ingestor.checkpoint)
        #expect(payload.governance == (0..<2).map { engine.optimizer.state(ofAsset: $0) })
        #expect(payload.tails == (0..<2).map { engine.optimizer.tailState(ofAsset: $0) })
        #expect(payload.coverage == engine.coverage.ledger.checkpoint)
        #expect(payload.prices.map(\.bitPattern) == engine.prices.map(\.bitPattern))
        let again = try CheckpointEncoder.encode(payload)
        let original = try CheckpointEncoder.encode(try Self.roundTrip(snapshot))
        #expect(again == original, "encoding is deterministic")
    }

    @Test("Changed estimation settings make the checkpoint incompatible, naming the setting")
    func incompatibleSettings() throws {
        var engine = try RiskEngine(configuration: (Self.configuration()).engine, epoch: 1)
        _ = Self.run(&engine, try Self.ticks(steps: 10)[...])
        let payload = try Self.roundTrip(try #require(engine.snapshot(throughExchangeTime: 0)))
        let changed = Self.configuration(gridInterval: 2_000_000_000)
        do {
            _ = try RiskEngine(configuration: changed.engine, epoch: 2, restoring: payload)
            Issue.record("a checkpoint under another grid was accepted")
        } catch let error as EngineError {
            #expect(error.code == .incompatible)
            #expect(error.message.contains("gridInterval"), "\(error.message)")
        }
    }

    @Test("Truncated and altered payloads are refused, never decoded into a state")
    func malformedPayloads() throws {
        var engine = try RiskEngine(configuration: (Self.configuration()).engine, epoch: 1)
        _ = Self.run(&engine, try Self.ticks(steps: 10)[...])
        let (_, bytes) = try #require(engine.snapshot(throughExchangeTime: 0)).encoded(writtenAt: 0)
        for cut in [1, bytes.count / 3, bytes.count - 1] {
            #expect(throws: CheckpointError.self) {
                try Array(bytes.prefix(cut)).withUnsafeBytes {
                    try CheckpointDecoder.decode(RiskEngine.CheckpointPayload.self, from: $0)
                }
            }
        }
        var wrongCount = bytes
        wrongCount[1] = 0xFF // the top-level entry count
        #expect(throws: CheckpointError.self) {
            try wrongCount.withUnsafeBytes { try CheckpointDecoder.decode(RiskEngine.CheckpointPayload.self, from: $0) }
        }
    }

    @Test("Resuming restores once: the engine checked at prepare runs, with the run's epoch, and only once")
    func resumeHandsOverTheCheckedEngine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = Self.configuration()
        configuration.checkpoint.enabled = true
        configuration.checkpoint.path = directory.appendingPathComponent("state.sqlite").path
        var engine = try RiskEngine(configuration: configuration.engine, epoch: 3)
        _ = Self.run(&engine, try Self.ticks(steps: 80)[...])
        let (metadata, payload) = try #require(engine.snapshot(throughExchangeTime: 0)).encoded(writtenAt: 1)
        try CheckpointStore(path: configuration.checkpoint.path).save(metadata, payload: payload)

        let resume = try #require(try CheckpointResume.prepare(settings: configuration.checkpoint, engine: configuration.engine, epoch: 9, fresh: false,
                                                               logger: LogCapture().logger()))
        #expect(resume.resumed == metadata)
        let resumed = try resume.makeEngine(configuration: configuration.engine, epoch: 10)
        #expect(resumed.epoch == 10)
        #expect(resumed.symbols == engine.symbols && resumed.latest == engine.latest)
        #expect(resumed.estimator.assetCount == 2 && resumed.optimizer.assetCount == 2)
        let (_, bytes) = try #require(resumed.snapshot(throughExchangeTime: 0)).encoded(writtenAt: 1)
        #expect(bytes == payload, "the resumed state re-encodes to the checkpoint's payload")
        #expect(throws: CheckpointError.self) { _ = try resume.makeEngine(configuration: configuration.engine, epoch: 11) }
    }

    @Test("A checkpoint of the previous payload format (without tails and coverage) is refused as incompatible")
    func previousPayloadFormat() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.sqlite").path
        var engine = try RiskEngine(configuration: (Self.configuration()).engine, epoch: 3)
        _ = Self.run(&engine, try Self.ticks(steps: 10)[...])
        var (metadata, payload) = try #require(engine.snapshot(throughExchangeTime: 0)).encoded(writtenAt: 1)
        #expect(metadata.payloadFormat == 2)
        metadata.payloadFormat = 1
        try CheckpointStore(path: path).save(metadata, payload: payload)
        let error = #expect(throws: CheckpointError.self) { _ = try CheckpointStore(path: path).load() }
        #expect(error?.code == .incompatible)
        #expect(error?.message == "payload format 1; this build reads format 2", "\(String(describing: error))")
        #expect(error?.description.contains(path) == true && error?.description.contains("--fresh") == true)
    }

    @Test("Tails written before horizon aggregation (no `horizon` key) resume; the blocks are rebuilt, output equal")
    func tailsWithoutHorizonBlocks() throws {
        // H = 3 grid steps: the k-step block tails are part of every tail state the engine writes now.
        let configuration = Self.configuration()
        let ticks = try Self.ticks()
        var reference = try RiskEngine(configuration: configuration.engine, epoch: 5)
        let expected = Self.run(&reference, ticks[...])
        var first = try RiskEngine(configuration: configuration.engine, epoch: 5)
        let split = 1_203
        let before = Self.run(&first, ticks[..<split])
        let snapshot = try #require(first.snapshot(throughExchangeTime: ticks[split - 1].time))
        let (_, bytes) = try snapshot.encoded(writtenAt: 0)
        let decoded = try bytes.withUnsafeBytes {
            try CheckpointDecoder.decode(RiskEngine.CheckpointPayload.self, from: $0)
        }
        // The payload as the previous build wrote it: every tail state without its `horizon` entry.
        let tree = try CheckpointEncoder.node(for: decoded, codingPath: [])
        guard case .keyedBox(let root) = tree,
              case .unkeyedBox(let tails)? = root.entries.first(where: { $0.0 == "tails" })?.1 else {
            Issue.record("unexpected payload layout")
            return
        }
        var removed = 0
        for case .keyedBox(let tail) in tails.elements {
            let count = tail.entries.count
            tail.entries.removeAll { $0.0 == "horizon" }
            removed += count - tail.entries.count
        }
        #expect(removed == 2, "both assets had horizon block tails")
        var legacy: [UInt8] = []
        tree.write(to: &legacy)
        let payload = try legacy.withUnsafeBytes {
            try CheckpointDecoder.decode(RiskEngine.CheckpointPayload.self, from: $0)
        }
        #expect(payload.tails != decoded.tails)
        var resumed = try RiskEngine(configuration: configuration.engine, epoch: 5, restoring: payload)
        let after = Self.run(&resumed, ticks[split...])
        // VaR reads one order statistic of the blocks, which a rebuild from the residual window reproduces
        // exactly: the continuation is byte for byte that of the engine that never stopped.
        #expect(configuration.model.coverage.riskMeasure == .valueAtRisk)
        let continued = before + after
        #expect(continued.count == expected.count)
        let differing = zip(continued, expected).filter { $0.0.topic != $0.1.topic || $0.0.payload != $0.1.payload }
        #expect(differing.isEmpty, "\(differing.count) of \(expected.count) updates differ")
    }

    @Test("The store keeps the latest checkpoint, verifies it, and refuses a damaged or foreign file")
    func store() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.sqlite").path
        var engine = try RiskEngine(configuration: (Self.configuration()).engine, epoch: 3)
        let ticks = try Self.ticks(steps: 40)
        _ = Self.run(&engine, ticks[..<80])
        let (firstMetadata, firstPayload) = try #require(engine.snapshot(throughExchangeTime: ticks[79].time))
            .encoded(writtenAt: 1)
        _ = Self.run(&engine, ticks[80...])
        let (metadata, payload) = try #require(engine.snapshot(throughExchangeTime: ticks.last!.time))
            .encoded(writtenAt: 2)
        do {
            let store = try CheckpointStore(path: path)
            #expect(try store.load() == nil)
            try store.save(firstMetadata, payload: firstPayload)
            try store.save(metadata, payload: payload)
            let loaded = try #require(try store.load())
            #expect(loaded.metadata == metadata)
            #expect(loaded.payload == payload)
        }
        // Flip one byte of the stored payload: the checksum catches it.
        var file = try Data(contentsOf: URL(fileURLWithPath: path))
        let marker = Data(payload[(payload.count / 2)..<(payload.count / 2 + 32)])
        var found = 0
        var searchFrom = file.startIndex
        while let range = file.range(of: marker, in: searchFrom..<file.endIndex) {
            file[range.lowerBound + 7] ^= 0x40
            searchFrom = range.upperBound
            found += 1
        }
        try #require(found > 0, "payload bytes not found in the database file")
        try file.write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: CheckpointError.self, "a damaged payload was loaded") {
            _ = try CheckpointStore(path: path).load()
        }
        #expect(error?.code == .corrupt, "\(String(describing: error))")
        #expect(error?.description.contains(path) == true && error?.description.contains("--fresh") == true)
        // Not a database at all.
        let garbage = directory.appendingPathComponent("garbage.sqlite").path
        try Data(repeating: 0x5A, count: 8_192).write(to: URL(fileURLWithPath: garbage))
        #expect(throws: CheckpointError.self) { _ = try CheckpointStore(path: garbage) }
        // Set aside for a fresh start.
        let aside = try #require(try CheckpointStore.setAside(path: path))
        #expect(!FileManager.default.fileExists(atPath: path) && FileManager.default.fileExists(atPath: aside))
        #expect(try CheckpointStore(path: path).load() == nil)
    }
}
