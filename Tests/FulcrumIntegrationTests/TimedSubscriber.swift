import DedicatedThreads
import Foundation
import FulcrumProtocol
import RiskFeed
import ZeroMQ

/// A healthy consumer for the slow-consumer tests: a SUB on Fulcrum's PUB subscribed to everything (so Fulcrum renders
/// JSON copies whoever else connects), read on its own thread, noting the sequence of every protobuf update and when
/// each portfolio update arrived. Its receive queue is unbounded: a pause of this test process's thread is absorbed
/// here rather than counted against Fulcrum, whose own per-subscriber queue is what the tests are about.
final class TimedSubscriber: @unchecked Sendable {
    // @unchecked: the socket is created, used and closed only on the collector thread; what it collects is
    // guarded by `lock`.
    private let lock = NSLock()
    private var sequences: [UInt64] = []
    private var portfolioArrivals: [Int64: ContinuousClock.Instant] = [:]
    private var heartbeats = 0
    private var undecodable = 0
    private let stop = StopSignal()
    private let done = StopSignal()

    /// Subscribes on `endpoint` and collects until ``finish()``.
    init(endpoint: String) {
        let context = try? ZMQContext()
        DedicatedThread.start(name: "timed-subscriber") { [self] in
            defer { done.stop() }
            guard let context, let socket = try? Socket(context: context, type: .sub) else { return }
            defer { socket.close() }
            try? socket.setLinger(milliseconds: 0)
            try? socket.setReceiveTimeout(milliseconds: 50)
            try? socket.setReceiveHighWaterMark(0)
            try? socket.subscribe("")
            try? socket.connect(endpoint)
            while !stop.isStopped {
                guard let parts = try? socket.receiveMultipart(), parts.count == 3 else { continue }
                record(parts, at: .now)
            }
        }
    }

    private func record(_ parts: [[UInt8]], at instant: ContinuousClock.Instant) {
        let topic = String(decoding: parts[0], as: UTF8.self)
        if topic.hasPrefix("json.") { return }
        let sequence = SequenceFrame.decode(parts[2])
        let asOf = topic == "portfolio" ? (try? WirePortfolioUpdate(serializedBytes: parts[1]))?.asOfNs : nil
        lock.withLock {
            if topic == "hb" {
                heartbeats += 1
                return
            }
            guard let sequence, topic != "portfolio" || asOf != nil else {
                undecodable += 1
                return
            }
            sequences.append(sequence)
            if let asOf { portfolioArrivals[asOf] = portfolioArrivals[asOf] ?? instant }
        }
    }

    /// Sequence numbers of every `risk.*` and `portfolio` update, in arrival order.
    var updateSequences: [UInt64] { lock.withLock { sequences } }
    /// Updates whose sequence frame or portfolio payload did not decode.
    var undecodableCount: Int { lock.withLock { undecodable } }
    /// Portfolio updates received.
    var portfolioCount: Int { lock.withLock { portfolioArrivals.count } }
    /// When the portfolio update as of `asOfNs` arrived, if it did.
    func portfolioArrival(asOf asOfNs: Int64) -> ContinuousClock.Instant? {
        lock.withLock { portfolioArrivals[asOfNs] }
    }

    /// Waits for a heartbeat; false after `timeout`.
    func waitForHeartbeat(timeout: Duration = .seconds(20)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while lock.withLock({ heartbeats == 0 }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        return lock.withLock { heartbeats > 0 }
    }

    /// Waits for the portfolio update as of `asOfNs`; its arrival, or `nil` after `timeout`.
    func waitForPortfolio(asOf asOfNs: Int64, timeout: Duration) async throws -> ContinuousClock.Instant? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let arrival = portfolioArrival(asOf: asOfNs) { return arrival }
            try await Task.sleep(for: .milliseconds(5))
        }
        return portfolioArrival(asOf: asOfNs)
    }

    /// Stops the collector thread.
    func finish() {
        stop.stop()
        while !done.isStopped { usleep(1_000) }
    }
}
