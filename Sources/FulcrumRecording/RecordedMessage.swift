/// One record of a recording: a message as it left the receiving socket, with its receipt time.
///
/// The frames point into the recording's memory and are valid only while the parser's buffer is.
public struct RecordedMessage {
    /// Receipt time, ns since the Unix epoch.
    public var receiptTime: Int64
    /// Index of the feed the message came from, into ``RecordingMetadata/feeds``.
    public var feed: Int
    /// Number of frames the message had when received.
    public var frameCount: Int
    /// The first frame (the topic for protobuf feeds, the whole message for cryptofeed).
    public var first: UnsafeRawBufferPointer
    /// The second frame (empty for single-frame messages).
    public var second: UnsafeRawBufferPointer
    /// Byte offset of the record in the file.
    public var offset: Int

    /// Creates a view of a record.
    public init(receiptTime: Int64, feed: Int, frameCount: Int, first: UnsafeRawBufferPointer,
                second: UnsafeRawBufferPointer, offset: Int) {
        self.receiptTime = receiptTime
        self.feed = feed
        self.frameCount = frameCount
        self.first = first
        self.second = second
        self.offset = offset
    }
}
