import FulcrumRecording
import MarginModel
import MarketData

extension PriceTable {
    /// The feed the rows are replayed on: Fulcrum's protobuf contract, no topic filter.
    public static let feed = FeedConfiguration(name: "backtest", endpoint: "inproc://fulcrum-backtest",
                                               encoding: .fulcrumProtobuf)

    /// Calls `body` with each row as the two frames of a protobuf tick (``TickFrameEncoder``) and the row's
    /// time, which serves as receipt time too (replayed ticks are never late or early). Feed sequences count
    /// rows from 1, so every stream's sequence increases. No allocation per row once the buffers have grown.
    public func forEachTickFrame(_ body: (_ topic: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer,
                                          _ time: Int64) throws -> Void) rethrows {
        var encoder = TickFrameEncoder()
        let symbolBytes = symbols.map { Array($0.utf8) }
        let venueBytes = venues.map { Array($0.utf8) }
        for row in 0..<count {
            encoder.encode(venue: venueBytes[Int(venueIndices[row])], symbol: symbolBytes[Int(symbolIndices[row])],
                           price: prices[row], size: sizes[row].isFinite ? sizes[row] : nil,
                           exchangeTimeNs: times[row], sequence: UInt64(row + 1))
            try encoder.topic.withUnsafeBytes { topic in
                try encoder.payload.withUnsafeBytes { payload in try body(topic, payload, times[row]) }
            }
        }
    }

    /// Writes the rows as a recording (feed ``feed``), e.g. to replay a CSV as fast as a recorded session.
    @discardableResult
    public func writeRecording(to path: String, overwrite: Bool = false) throws -> UInt64 {
        var settings = RecordingConfiguration()
        settings.path = path
        settings.fsync = .never
        settings.flushInterval = .zero
        settings.bufferBytes = 8 << 20
        settings.overwrite = overwrite
        let writer = try RecordingWriter(path: path, metadata: RecordingMetadata(source: "fulcrum record --from",
                                                                                 feeds: [Self.feed]),
                                         configuration: settings)
        forEachTickFrame { topic, payload, time in
            writer.append(feed: 0, frameCount: 2, topic, payload, receiptTime: time)
        }
        try writer.close()
        return writer.recordCount
    }
}
