import Foundation
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import MarketData
import RiskFeed
import Testing
import ZeroMQ

/// A consumer that stops reading must cost Fulcrum neither ingest nor memory, and must not delay anyone else.
@Suite("Slow and vanished consumers through the fulcrum binary", .serialized, .timeLimit(.minutes(5)))
struct SlowConsumerTests {
    static let symbols = (0..<20).map { "S\($0)" }

    /// `steps` grid steps of one tick per symbol, event time in the past, deterministic prices.
    static func ticks(steps: Range<Int>, start: Int64) -> [WireTick] {
        var result: [WireTick] = []
        result.reserveCapacity(steps.count * symbols.count)
        for step in steps {
            for (index, symbol) in symbols.enumerated() {
                var tick = WireTick()
                tick.venue = "TEST"
                tick.symbol = symbol
                tick.price = (10 + Double(index)) * exp(0.002 * sin(Double(step) * 0.37 + Double(index)))
                tick.exchangeTimeNs = start + Int64(step) * 100_000_000 + Int64(index + 1) * 1_000_000
                tick.feedSequence = UInt64(step * symbols.count + index + 1)
                result.append(tick)
            }
        }
        return result
    }

    /// Resident set size of a process, from /proc/PID/status, in bytes.
    static func residentBytes(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
        return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 * 1_024 }
    }

    /// Ten grid steps a second, any symbol, ticks accepted up to an hour old.
    static func configuration(feed: String) -> FulcrumConfiguration {
        var configuration = FulcrumConfiguration.fastEngine(
            feeds: [FeedConfiguration(name: "test", endpoint: feed, bind: false)],
            gridInterval: 100 * FulcrumConfiguration.millisecond, warmupESS: 5)
        configuration.ingest.validation.maximumAge = FulcrumConfiguration.hour
        configuration.estimation.residualCapacity = 500
        configuration.publisher.sendHighWaterMark = sendHighWaterMark
        return configuration
    }

    static let sendHighWaterMark = 5_000

    @Test("A SUB that never reads and one killed mid-stream: ingest and the reader's freshness as without them")
    func stalledAndVanishedConsumers() async throws {
        let feed = try FeedServer()
        let fulcrum = try FulcrumProcess(configuration: Self.configuration(feed: feed.endpoint))
        let reader = TimedSubscriber(endpoint: fulcrum.publishEndpoint)
        defer { reader.finish() }
        try #require(try await reader.waitForHeartbeat(), "no heartbeat; log:\n\(fulcrum.log)")
        try #require(try await feed.waitForSubscriber(), "fulcrum never subscribed; log:\n\(fulcrum.log)")
        let run = SlowConsumerRun(feed: feed, reader: reader,
                                  start: (Int64(Date().timeIntervalSince1970) - 1_800) * 1_000_000_000)
        let burst = 1_200, paced = 120

        // Warm-up (estimators, buffers, the reader's connection), then the baseline: the reader alone.
        _ = try await run.burst(steps: 300)
        let baselineThroughput = try await run.burst(steps: burst)
        // Paced well below what Fulcrum ingests, so that freshness measures delivery, not a backlog.
        let stepsPerSecond = min(50, baselineThroughput / Double(Self.symbols.count) / 10)
        let interval = Duration.seconds(1 / stepsPerSecond)
        let baselineLatency = try await run.paced(steps: paced, interval: interval)

        // The stalled consumer: connected, subscribed to everything, never reads. Its own queue is one message and
        // its kernel buffer small, so its backlog lands in Fulcrum's send queue for it, bounded by the high-water mark.
        let context = try ZMQContext()
        let stalled = try Socket(context: context, type: .sub)
        defer { stalled.close() }
        try stalled.setLinger(milliseconds: 0)
        try stalled.setReceiveHighWaterMark(1)
        try stalled.setReceiveBufferSize(Self.stalledReceiveBuffer)
        try stalled.subscribe("")
        try stalled.connect(fulcrum.publishEndpoint)
        try await Task.sleep(for: .milliseconds(500))
        let lastBeforeStall = reader.updateSequences.last ?? 0

        var resident: [Int] = []
        let stalledThroughput = try await run.burst(steps: burst)
        resident.append(try #require(Self.residentBytes(fulcrum.process.processIdentifier)))
        // The vanishing consumer reads everything until it is killed halfway through the paced steps.
        let vanishing = try VanishingConsumer(endpoint: fulcrum.publishEndpoint)
        try #require(try await vanishing.waitForMessages(1), "the vanishing consumer never connected")
        let loadedLatency = try await run.paced(steps: paced, interval: interval) {
            #expect(vanishing.received >= 100, "the vanishing consumer was not consuming: \(vanishing.received)")
            vanishing.vanish()
        }
        #expect(vanishing.process.terminationReason == .uncaughtSignal)
        // Another burst after the kill, the stalled consumer still holding its queue full: ingest and memory.
        let afterVanishThroughput = try await run.burst(steps: burst)
        resident.append(try #require(Self.residentBytes(fulcrum.process.processIdentifier)))

        // Ingest keeps its pace and the reader its freshness. Generous bounds for a loaded machine (other suites share
        // this process and its two cores): a consumer that held Fulcrum back (a blocking send, an unbounded queue to
        // copy into) would stop it or delay every update by seconds, not slow it by half or add half a second.
        for (name, throughput) in [("stalled", stalledThroughput), ("vanished", afterVanishThroughput)] {
            #expect(throughput >= baselineThroughput * 0.5,
                    "ingest \(Int(throughput)) ticks/s with the \(name) consumer, \(Int(baselineThroughput)) without")
        }
        let baselineMedian = SlowConsumerRun.median(baselineLatency)
        let loadedMedian = SlowConsumerRun.median(loadedLatency)
        #expect(loadedMedian <= baselineMedian * 4 + .milliseconds(500),
                "the reader's median freshness went from \(baselineMedian) to \(loadedMedian)")

        // The reader got every update, in order, none missing, none undecodable.
        let sequences = reader.updateSequences
        let firstGap = sequences.indices.first { sequences[$0] != UInt64($0) + 1 }
        let gapAt = firstGap.map { "\(sequences[$0]) where \($0 + 1) was due" } ?? ""
        let notable = fulcrum.log.split(separator: "\n").filter { !$0.contains("debug") && !$0.contains("info") }
        #expect(firstGap == nil, "the reader's sequence breaks at \(gapAt); log: \(notable.suffix(30))")
        #expect(reader.undecodableCount == 0)
        #expect(reader.portfolioCount == run.nextStep - 1, "one portfolio update per closed step")
        // Fulcrum's memory did not grow over the last burst (≈ 50,000 more messages offered to the stalled
        // consumer, tens of MB if they were queued).
        let growth = resident[1] - resident[0]
        #expect(growth < 24 << 20, "RSS grew \(growth >> 20) MiB over the last burst: \(resident.map { $0 >> 20 }) MiB")

        let drained = try Self.drain(stalled)
        Self.expectCutAtHighWaterMark(drained, after: lastBeforeStall, published: UInt64(sequences.count))

        // Ingest accepted every tick.
        #expect(try await fulcrum.stop() == 0)
        let accepted = fulcrum.log.range(of: "fulcrum.ticks.accepted=").map {
            Int(fulcrum.log[$0.upperBound...].prefix(while: \.isNumber)) ?? 0 } ?? 0
        let stopped = fulcrum.log.split(separator: "\n").last { $0.contains("engine stopped") } ?? ""
        #expect(accepted == run.ticksSent, "accepted \(accepted) of \(run.ticksSent): \(stopped)")
        print("slow consumer: ingest \(Int(baselineThroughput)) ticks/s alone, \(Int(stalledThroughput)) stalled, "
              + "\(Int(afterVanishThroughput)) after the kill; reader median freshness \(baselineMedian) → "
              + "\(loadedMedian) at \(Int(stepsPerSecond)) steps/s; stalled consumer drained \(drained.messages) "
              + "messages, \(drained.bytes >> 10) KiB (\(drained.sequences.count) updates); "
              + "RSS \(resident.map { $0 >> 20 }) MiB")
    }

    /// The stalled consumer's `SO_RCVBUF`.
    static let stalledReceiveBuffer = 16 << 10

    /// What a stalled SUB read once it read again.
    struct Drained {
        /// The size of each message, frames added up.
        var sizes: [Int] = []
        var messages: Int { sizes.count }
        var bytes: Int { sizes.reduce(0, +) }
        /// Sequence numbers of its protobuf updates (`risk.*`, `portfolio`), in order.
        var sequences: [UInt64] = []
        /// The highest sequence its heartbeats announced.
        var announced: UInt64 = 0
    }

    /// Reads a stalled SUB dry. Its backlog drains in milliseconds; the deadline ends the loop because heartbeats
    /// keep arriving after it.
    static func drain(_ stalled: Socket) throws -> Drained {
        try stalled.setReceiveTimeout(milliseconds: 500)
        var drained = Drained()
        let deadline = ContinuousClock.now + .seconds(3)
        while ContinuousClock.now < deadline, let frames = try stalled.receiveMultipart() {
            drained.sizes.append(frames.reduce(0) { $0 + $1.count })
            guard frames.count == 3 else { continue }
            let topic = String(decoding: frames[0], as: UTF8.self)
            if topic.hasPrefix("risk.") || topic == "portfolio" {
                drained.sequences.append(SequenceFrame.decode(frames[2]) ?? 0)
            } else if topic == "hb" {
                drained.announced = max(drained.announced,
                                        (try? WireHeartbeat(serializedBytes: frames[1]))?.sequence ?? 0)
            }
        }
        return drained
    }

    /// The most a TCP send buffer may grow to here (`net.ipv4.tcp_wmem`'s maximum), 4 MiB if unreadable.
    static var sendBufferMaximum: Int {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/tcp_wmem", encoding: .utf8)) ?? ""
        return text.split(whereSeparator: \.isWhitespace).last.flatMap { Int($0) } ?? 4 << 20
    }

    /// The stalled consumer's stream was cut at the high-water mark: it holds the updates published from the moment
    /// it connected, contiguous, up to what lies between it and Fulcrum — Fulcrum's send queue for it
    /// (`sendHighWaterMark` messages), its own receive queue (1 message), the two kernel buffers and libzmq's 8 KiB
    /// batches — and nothing after; its heartbeats announce the sequence it lost, so it knows to resync.
    static func expectCutAtHighWaterMark(_ drained: Drained, after lastBeforeStall: UInt64, published: UInt64) {
        let sequences = drained.sequences
        #expect(sequences.first == lastBeforeStall + 1,
                "the stalled consumer's stream starts at \(sequences.first ?? 0), not \(lastBeforeStall + 1)")
        let contiguous = zip(sequences, sequences.dropFirst()).allSatisfy { $1 == $0 + 1 }
        #expect(contiguous, "the stalled consumer's backlog has a hole: dropped before its queue was full")
        // Fulcrum's queue for it: at most its largest `sendHighWaterMark` + 1 messages. On loopback Fulcrum's send
        // buffer grows with the first window (64 KiB segments) and holds thousands more: bounded in bytes by the
        // kernel, not in messages. Linux doubles the receive buffer asked for.
        let queued = drained.sizes.sorted(by: >).prefix(sendHighWaterMark + 1).reduce(0, +)
        let bound = queued + sendBufferMaximum + 2 * stalledReceiveBuffer + 2 * (8 << 10)
        #expect(drained.bytes <= bound, "the stalled consumer drained \(drained.bytes) bytes, over \(bound)")
        #expect((sequences.last ?? 0) < published, "the stalled consumer lost nothing")
        #expect(drained.announced >= published, "heartbeats announce \(drained.announced), not \(published)")
    }
}
