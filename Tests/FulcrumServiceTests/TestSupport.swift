import Foundation
import FulcrumProtocol
import FulcrumRecording
import FulcrumSettings
import Logging
import MarginModel
import Synchronization
@testable import ConfigurationLoading
@testable import FulcrumCheckpoint
@testable import FulcrumEngine
@testable import FulcrumOperations
@testable import FulcrumService

/// A small engine configuration: one protobuf feed named `test`, symbols AAA and BBB, a 1 s grid, short
/// warm-up, and ticks accepted up to an hour old.
func engineConfiguration() throws -> FulcrumConfiguration {
    let yaml = """
        ingest:
          feeds:
            - name: test
              endpoint: tcp://127.0.0.1:5999
          symbols:
            allowList: [AAA, BBB]
          validation:
            maximumAge: 1h
        estimation:
          gridInterval: 1s
          halfLife: 10s
          warmupESS: 5
        """
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-\(UUID().uuidString).yaml")
    try yaml.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    return try ConfigurationLoader.load(FulcrumConfiguration.self, defaults: FulcrumConfiguration(),
                                        path: file.path)
}

/// Feeds `[topic, payload]` through `engine` as feed 0.
@discardableResult
func ingest(_ engine: inout RiskEngine, topic: [UInt8], payload: [UInt8], receiptTime: Int64) -> Int {
    var updates = 0
    topic.withUnsafeBytes { first in
        payload.withUnsafeBytes { second in
            _ = engine.ingest(feed: 0, frameCount: 2, first, second, receiptTime: receiptTime) { _ in updates += 1 }
        }
    }
    return updates
}

/// A protobuf tick frame pair.
func tickFrames(_ symbol: String, price: Double, at nanoseconds: Int64, sequence: UInt64) throws
    -> (topic: [UInt8], payload: [UInt8]) {
    var tick = WireTick()
    tick.venue = "TEST"
    tick.symbol = symbol
    tick.price = price
    tick.exchangeTimeNs = nanoseconds
    tick.feedSequence = sequence
    return (Array("tick.TEST.\(symbol)".utf8), try tick.serializedBytes())
}
