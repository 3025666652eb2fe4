import DedicatedThreads
import Foundation
import FulcrumProtocol
import RiskFeed
import Testing
import ZeroMQ

/// A raw SUB socket on Fulcrum's PUB, read on its own thread: what a minimal consumer sees.
final class FeedSubscriber: @unchecked Sendable {
    // @unchecked: the socket is created, used and closed only on the collector thread; the
    // collected frames are guarded by `lock`.
    struct Frame: Sendable {
        var topic: String
        var payload: [UInt8]
        var sequence: UInt64
    }

    private let lock = NSLock()
    private var frames: [Frame] = []
    private let stop = StopSignal()
    private let done = StopSignal()

    /// Subscribes to `prefixes` on `endpoint` and collects until ``finish()``.
    init(endpoint: String, prefixes: [String] = [""]) {
        let context = try? ZMQContext()
        DedicatedThread.start(name: "test-subscriber") { [self] in
            defer { done.stop() }
            guard let context, let socket = try? Socket(context: context, type: .sub) else { return }
            defer { socket.close() }
            try? socket.setLinger(milliseconds: 0)
            try? socket.setReceiveTimeout(milliseconds: 50)
            for prefix in prefixes { try? socket.subscribe(prefix) }
            try? socket.connect(endpoint)
            while !stop.isStopped {
                guard let parts = try? socket.receiveMultipart(), parts.count == 3 else { continue }
                let frame = Frame(topic: String(decoding: parts[0], as: UTF8.self), payload: parts[1],
                                  sequence: SequenceFrame.decode(parts[2]) ?? 0)
                lock.withLock { frames.append(frame) }
            }
        }
    }

    /// Everything received so far.
    var received: [Frame] { lock.withLock { frames } }

    /// Waits until `condition` holds for the received frames, or `timeout` passes.
    @discardableResult
    func wait(timeout: Duration = .seconds(20), until condition: ([Frame]) -> Bool) async throws -> [Frame] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let current = received
            if condition(current) { return current }
            try await Task.sleep(for: .milliseconds(20))
        }
        return received
    }

    /// Stops the collector thread.
    func finish() {
        stop.stop()
        while !done.isStopped { usleep(1000) }
    }

    /// The decoded `risk.*` protobuf updates received, in order.
    var parameters: [(sequence: UInt64, message: WireRiskParameters)] {
        received.filter { $0.topic.hasPrefix("risk.") }.compactMap { frame in
            (try? WireRiskParameters(serializedBytes: frame.payload)).map { (frame.sequence, $0) }
        }
    }
}
