import Foundation
import MarketData

/// What a recording says about itself: where it came from and how to decode its frames.
///
/// Stored as JSON in the file header (sorted keys), read once when a recording is opened.
public struct RecordingMetadata: Sendable, Hashable, Codable {
    /// The writer, e.g. `fulcrum run`, `fulcrum record`, `fulcrum record --from`.
    public var source: String
    /// The publisher epoch of the engine that ingested the frames (`fulcrum run`), 0 when none did. A backtest
    /// stamps it on its updates so that they compare equal to what was published live.
    public var epoch: UInt64
    /// Wall-clock time the recording started, ns since the Unix epoch (0 when not meaningful).
    public var startedAtNs: Int64
    /// The feeds the records' feed indices refer to: endpoint, encoding, topic filter and size limit.
    public var feeds: [RecordedFeed]

    /// Creates metadata.
    public init(source: String, epoch: UInt64 = 0, startedAtNs: Int64 = 0, feeds: [FeedConfiguration]) {
        self.source = source
        self.epoch = epoch
        self.startedAtNs = startedAtNs
        self.feeds = feeds.map(RecordedFeed.init)
    }

    /// The feeds as configurations that decode the records as they were decoded live.
    public var feedConfigurations: [FeedConfiguration] { feeds.map(\.configuration) }

    /// The JSON bytes stored in the header.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return Array(try encoder.encode(self))
        } catch {
            throw RecordingError(code: .invalidRecording, message: "cannot encode recording metadata: \(error)")
        }
    }

    /// Decodes the header's JSON.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> RecordingMetadata {
        do {
            return try JSONDecoder().decode(RecordingMetadata.self, from: Data(bytes))
        } catch {
            throw RecordingError(code: .invalidRecording, message: "unreadable recording metadata: \(error)")
        }
    }
}
