import Foundation
import FulcrumProtocol
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

    @Test("A SUB that never reads: the reader still gets every update, ingest accepts everything, memory stays flat")
    func stalledSubscriber() async throws {
        let feed = try FeedServer()
        let yaml = """
            ingest:
              feeds:
                - name: test
                  endpoint: \(feed.endpoint)
                  bind: false
              validation:
                maximumAge: 1h
            estimation:
              gridInterval: 100ms
              halfLife: 5s
              warmupESS: 5
              residualCapacity: 500
            model:
              governance:
                refreshIntervalNs: 100ms
            coverage:
              enabled: false
            http:
              enabled: false
            publisher:
              sendHighWaterMark: 1000
            """
        let fulcrum = try FulcrumProcess(yaml: yaml)
        let reader = FeedSubscriber(endpoint: fulcrum.publishEndpoint, prefixes: ["risk.", "portfolio", "hb"])
        defer { reader.finish() }
        let beat = try await reader.wait { $0.contains { $0.topic == "hb" } }
        try #require(beat.contains { $0.topic == "hb" }, "no heartbeat; log:\n\(fulcrum.log)")
        try #require(try await feed.waitForSubscriber(), "fulcrum never subscribed; log:\n\(fulcrum.log)")

        // The stalled consumer: connected, subscribed to everything (both encodings), never reads. Its own queue
        // is one message, so the backlog lands in Fulcrum's send queue for it, bounded by the high-water mark.
        let context = try ZMQContext()
        let stalled = try Socket(context: context, type: .sub)
        defer { stalled.close() }
        try stalled.setLinger(milliseconds: 0)
        try stalled.setReceiveHighWaterMark(1)
        try stalled.subscribe("")
        try stalled.connect(fulcrum.publishEndpoint)
        try await Task.sleep(for: .milliseconds(500))

        let start = (Int64(Date().timeIntervalSince1970) - 1_800) * 1_000_000_000
        let phases = [0..<1_500, 1_500..<3_000]
        var resident: [Int] = []
        for phase in phases {
            for tick in Self.ticks(steps: phase, start: start) { try feed.send(tick) }
            let lastBoundary = start + Int64(phase.upperBound - 1) * 100_000_000
            let frames = try await reader.wait(timeout: .seconds(120)) { frames in
                frames.last { $0.topic == "portfolio" }.flatMap { try? WirePortfolioUpdate(serializedBytes: $0.payload) }?
                    .asOfNs == lastBoundary
            }
            try #require(frames.contains { $0.topic == "portfolio" }, "reader starved; log:\n\(fulcrum.log)")
            resident.append(try #require(Self.residentBytes(fulcrum.process.processIdentifier)))
        }

        // The reader got every update, in order, none missing: the stalled consumer cost it nothing.
        let updates = reader.received.filter { $0.topic != "hb" }
        #expect(updates.map(\.sequence) == Array(1...UInt64(updates.count)), "the reading consumer saw a gap")
        let portfolios = updates.filter { $0.topic == "portfolio" }.count
        #expect(portfolios == 3_000 - 1, "one portfolio update per closed step, got \(portfolios)")
        let published = updates.count
        // Fulcrum's memory did not grow with the second half of the stream (≈ as much traffic again as the first,
        // tens of MB for the stalled consumer alone).
        let growth = resident[1] - resident[0]
        #expect(growth < 24 << 20, "RSS grew \(growth >> 20) MiB over the second half: \(resident.map { $0 >> 20 }) MiB")

        // The stalled consumer lost messages at the high-water mark instead of queueing them all. Its backlog
        // drains in milliseconds; the deadline ends the loop because heartbeats keep arriving after it.
        try stalled.setReceiveTimeout(milliseconds: 500)
        var drained = 0
        var sequences: [UInt64] = []
        let drainDeadline = ContinuousClock.now + .seconds(3)
        while ContinuousClock.now < drainDeadline, let frames = try stalled.receiveMultipart() {
            drained += 1
            if frames.count == 3, String(decoding: frames[0], as: UTF8.self).hasPrefix("risk.") {
                sequences.append(SequenceFrame.decode(frames[2]) ?? 0)
            }
        }
        #expect(drained < published, "the stalled consumer got \(drained) of \(published * 2) messages")
        #expect(zip(sequences, sequences.dropFirst()).contains { $1 > $0 + 1 } || sequences.count < published / 2,
                "the stalled consumer's stream has a gap it will resync from")

        // Ingest accepted every tick.
        #expect(try await fulcrum.stop() == 0)
        let accepted = fulcrum.log.range(of: "fulcrum.ticks.accepted=").map {
            Int(fulcrum.log[$0.upperBound...].prefix(while: \.isNumber)) ?? 0 } ?? 0
        let stopped = fulcrum.log.split(separator: "\n").last { $0.contains("engine stopped") } ?? ""
        #expect(accepted == 3_000 * Self.symbols.count, "accepted \(accepted): \(stopped)")
        print("slow consumer: published \(published) updates, reader complete, stalled consumer drained \(drained) "
              + "messages, RSS \(resident.map { $0 >> 20 }) MiB")
    }
}
