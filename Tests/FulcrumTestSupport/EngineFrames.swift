import FulcrumEngine
import FulcrumProtocol

/// Feeds `[topic, payload]` through `engine` as feed 0; returns the number of updates it emitted.
@discardableResult
public func ingest(_ engine: inout RiskEngine, topic: [UInt8], payload: [UInt8], receiptTime: Int64) -> Int {
    var updates = 0
    topic.withUnsafeBytes { first in
        payload.withUnsafeBytes { second in
            _ = engine.ingest(feed: 0, frameCount: 2, first, second, receiptTime: receiptTime) { _ in updates += 1 }
        }
    }
    return updates
}

/// A protobuf tick of venue `TEST` as its two frames: topic `tick.TEST.<symbol>` and the serialized tick.
public func tickFrames(_ symbol: String, price: Double, at nanoseconds: Int64, sequence: UInt64) throws
    -> (topic: [UInt8], payload: [UInt8]) {
    var tick = WireTick()
    tick.venue = "TEST"
    tick.symbol = symbol
    tick.price = price
    tick.exchangeTimeNs = nanoseconds
    tick.feedSequence = sequence
    return (Array("tick.TEST.\(symbol)".utf8), try tick.serializedBytes())
}
