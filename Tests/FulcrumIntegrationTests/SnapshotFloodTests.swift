import DedicatedThreads
import Foundation
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import RiskFeed
import Testing
import ZeroMQ

/// Heartbeats as a consumer receives them, on a thread of their own: when each arrived and when the publisher says
/// it sent it.
final class HeartbeatRecorder: @unchecked Sendable {
    // @unchecked: the socket is created, used and closed only on the recorder thread; what it records is guarded by
    // `lock`.
    private let lock = NSLock()
    private var arrivals: [(arrived: ContinuousClock.Instant, sent: Int64)] = []
    private let stop = StopSignal()
    private let done = StopSignal()

    init(endpoint: String) {
        let context = try? ZMQContext()
        DedicatedThread.start(name: "heartbeat-recorder") { [self] in
            defer { done.stop() }
            guard let context, let socket = try? Socket(context: context, type: .sub) else { return }
            defer { socket.close() }
            try? socket.setLinger(milliseconds: 0)
            try? socket.setReceiveTimeout(milliseconds: 50)
            try? socket.subscribe(Topic.heartbeat)
            try? socket.connect(endpoint)
            while !stop.isStopped {
                guard let parts = try? socket.receiveMultipart(), parts.count == 3,
                      let beat = try? Fulcrum_V1_Heartbeat(serializedBytes: parts[1]) else { continue }
                let now = ContinuousClock.now
                lock.withLock { arrivals.append((now, beat.wallTimeNs)) }
            }
        }
    }

    /// Heartbeats received so far.
    var count: Int { lock.withLock { arrivals.count } }

    /// The longest silence a consumer heard from `start` to `end` (the ends count: no heartbeat at all is one
    /// silence of the whole span), and the longest between consecutive heartbeats by the publisher's own send times.
    func longestGaps(from start: ContinuousClock.Instant, to end: ContinuousClock.Instant)
        -> (arrival: Duration, sending: Duration, beats: Int) {
        let beats = lock.withLock { arrivals.filter { $0.arrived >= start && $0.arrived <= end } }
        let instants = [start] + beats.map(\.arrived) + [end]
        var arrival = Duration.zero, sending = Duration.zero
        for (earlier, later) in zip(instants, instants.dropFirst()) { arrival = max(arrival, later - earlier) }
        for (earlier, later) in zip(beats, beats.dropFirst()) {
            sending = max(sending, .nanoseconds(later.sent - earlier.sent))
        }
        return (arrival, sending, beats.count)
    }

    func finish() {
        stop.stop()
        while !done.isStopped { usleep(1_000) }
    }
}

/// The snapshot ROUTER under attack through the real binary: one 256 MB request frame and 300,000 requests from
/// three clients that never read their replies. Fulcrum's memory stays within 300 MB of what it was, heartbeats
/// keep coming (no silence above 2 s), a well-behaved client is still served, and the dropped replies are counted.
@Suite("Snapshot flood through the real binary", .serialized, .timeLimit(.minutes(3)))
struct SnapshotFloodTests {
    /// Resident memory of process `pid`, bytes (`VmRSS` of /proc/PID/status).
    static func residentBytes(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kilobytes * 1_024
    }

    /// A complete snapshot reply (through `snapshot.end`) on a fresh DEALER within `timeoutMilliseconds`.
    static func served(_ endpoint: String, context: ZMQContext, timeoutMilliseconds: Int) throws -> Bool {
        let dealer = try Socket(context: context, type: .dealer)
        defer { dealer.close() }
        try dealer.setLinger(milliseconds: 0)
        try dealer.setReceiveTimeout(milliseconds: timeoutMilliseconds)
        try dealer.connect(endpoint)
        try dealer.send(try Fulcrum_V1_SnapshotRequest().serializedBytes() as [UInt8])
        while let frames = try dealer.receiveMultipart(), frames.count == 3 {
            if String(decoding: frames[0], as: UTF8.self) == Topic.snapshotEnd { return true }
        }
        return false
    }

    @Test("256 MB frame, 300,000 unread requests: RSS within 300 MB, heartbeat gaps under 2 s, a good client served")
    func flood() async throws {
        let httpPort = try FreePorts.take(1)[0]
        var configuration = FulcrumConfiguration.embeddedDefault
        configuration.http.enabled = true
        let fulcrum = try FulcrumProcess(configuration: configuration, httpPort: httpPort)
        let pid = fulcrum.process.processIdentifier
        let heartbeats = HeartbeatRecorder(endpoint: fulcrum.publishEndpoint)
        defer { heartbeats.finish() }
        let context = try ZMQContext()
        // Settled: heartbeats flow and a snapshot with every asset is served.
        let settle = ContinuousClock.now + .seconds(30)
        while heartbeats.count < 3, ContinuousClock.now < settle { try await Task.sleep(for: .milliseconds(100)) }
        try #require(heartbeats.count >= 3, "no heartbeats; log:\n\(fulcrum.log)")
        try #require(try Self.served(fulcrum.snapshotEndpoint, context: context, timeoutMilliseconds: 5_000),
                     "no snapshot before the flood; log:\n\(fulcrum.log)")
        try await Task.sleep(for: .seconds(1))
        let baseline = try #require(Self.residentBytes(pid))
        let floodStarted = ContinuousClock.now

        // One frame of 256 MB.
        let giant = try Socket(context: context, type: .dealer)
        defer { giant.close() }
        try giant.setLinger(milliseconds: 0)
        try giant.connect(fulcrum.snapshotEndpoint)
        do {
            let frame = [UInt8](repeating: 0x42, count: 256 << 20)
            try giant.send(frame, wait: false)
        }
        // 300,000 requests from three clients that never read a reply.
        let request: [UInt8] = try Fulcrum_V1_SnapshotRequest().serializedBytes()
        var flooders: [Socket] = []
        defer { for socket in flooders { socket.close() } }
        for _ in 0..<3 {
            let socket = try Socket(context: context, type: .dealer)
            try socket.setLinger(milliseconds: 0)
            try socket.setSendHighWaterMark(0)
            try socket.connect(fulcrum.snapshotEndpoint)
            flooders.append(socket)
        }
        for index in 0..<300_000 { try flooders[index % 3].send(request, wait: false) }

        // While the flood lasts: memory, heartbeats, and a good client served.
        var peak = baseline
        var servedDuringFlood = false
        let window = ContinuousClock.now + .seconds(8)
        while ContinuousClock.now < window {
            peak = max(peak, Self.residentBytes(pid) ?? 0)
            if !servedDuringFlood, ContinuousClock.now - floodStarted > .seconds(2) {
                servedDuringFlood = try Self.served(fulcrum.snapshotEndpoint, context: context,
                                                    timeoutMilliseconds: 3_000)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        let gaps = heartbeats.longestGaps(from: floodStarted, to: ContinuousClock.now)
        let growth = peak - baseline
        print("snapshot flood: RSS baseline \(baseline >> 20) MB, peak \(peak >> 20) MB (+\(growth >> 20) MB); "
              + "\(gaps.beats) heartbeats, longest gap \(gaps.arrival) received, \(gaps.sending) sent; "
              + "good client served: \(servedDuringFlood)")
        #expect(fulcrum.process.isRunning, "fulcrum died under the flood; log:\n\(fulcrum.log)")
        #expect(growth < 300 << 20, "RSS grew by \(growth >> 20) MB")
        #expect(gaps.arrival < .seconds(2) && gaps.sending < .seconds(2), "heartbeat gaps \(gaps)")
        #expect(servedDuringFlood, "a good client was not served during the flood")

        // The replies that did not fit were dropped and counted.
        let session = Operations.session()
        defer { session.invalidateAndCancel() }
        var dropped = 0.0
        let deadline = ContinuousClock.now + .seconds(5)
        while dropped == 0, ContinuousClock.now < deadline {
            if let answer = await Operations.get("http://127.0.0.1:\(httpPort)/metrics", session: session) {
                let samples = PrometheusSamples(String(decoding: answer.body, as: UTF8.self))
                dropped = samples.value("fulcrum_snapshot_requests_total", ["result": "dropped"]) ?? 0
            }
            if dropped == 0 { try await Task.sleep(for: .milliseconds(300)) }
        }
        print("snapshot flood: \(Int(dropped)) replies dropped")
        #expect(dropped > 0, "no dropped reply counted")
        #expect(fulcrum.log.contains("snapshot replies dropped"), "no log line for the dropped replies")
        #expect(try await fulcrum.stop() == 0, "log:\n\(fulcrum.log)")
    }
}
