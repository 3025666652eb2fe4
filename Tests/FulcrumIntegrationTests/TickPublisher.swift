import Foundation
import FulcrumProtocol
import ZeroMQ

/// A test feed handler: a PUB socket that connects to a Fulcrum feed bound by Fulcrum and sends
/// `[topic, Tick]` messages. Used from one test task only.
final class TickPublisher {
    let context: ZMQContext
    let socket: Socket
    var sequence: UInt64 = 0

    init(connect endpoint: String) throws {
        context = try ZMQContext()
        socket = try Socket(context: context, type: .pub)
        try socket.setLinger(milliseconds: 2000)
        try socket.setSendHighWaterMark(0)
        try socket.connect(endpoint)
    }

    deinit { socket.close() }

    static func tick(_ symbol: String, price: Double, at nanoseconds: Int64, venue: String = "TEST",
                     sequence: UInt64? = nil) -> WireTick {
        var tick = WireTick()
        tick.venue = venue
        tick.symbol = symbol
        tick.price = price
        tick.exchangeTimeNs = nanoseconds
        if let sequence { tick.feedSequence = sequence }
        return tick
    }

    func send(_ tick: WireTick) throws {
        var tick = tick
        if !tick.hasFeedSequence {
            sequence += 1
            tick.feedSequence = sequence
        }
        try socket.send(multipart: [Array("tick.\(tick.venue).\(tick.symbol)".utf8), try tick.serializedBytes()])
    }

    func sendRaw(_ frames: [[UInt8]]) throws {
        try socket.send(multipart: frames)
    }

    /// Sends `next()` ticks every 30 ms until `subscriber` sees a parameter update (then the
    /// connection is up and later ticks will arrive), for at most `timeout`.
    func warmUp(subscriber: FeedSubscriber, timeout: Duration = .seconds(60),
                next: () -> WireTick) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if subscriber.received.contains(where: { $0.topic.hasPrefix("risk.") }) { return true }
            try send(next())
            try await Task.sleep(for: .milliseconds(30))
        }
        return false
    }
}
