import Checksum
/// Reads the records of a recording held in memory, checking each one's length and checksum.
///
/// ```swift
/// var parser = try RecordingParser(bytes)
/// while let message = parser.next() { … }
/// if let tail = parser.tail { … }   // why it stopped early, if it did
/// ```
///
/// Reading stops at the first record that fails a check; ``tail`` then says what was skipped and whether it can
/// only be an append cut short by a crash (``RecordingTail/isTornTail``). Per record the work is the checksum
/// over its bytes and a few loads; nothing is allocated.
public struct RecordingParser {
    /// The whole file.
    public let bytes: UnsafeRawBufferPointer
    /// The format version of the file.
    public let version: UInt16
    /// Where the metadata JSON lies in `bytes`.
    public let metadataRange: Range<Int>
    /// Offset of the first record.
    public let recordsStart: Int
    /// Offset of the next record to read.
    public private(set) var offset: Int
    /// Records returned so far.
    public private(set) var recordsRead = 0
    /// Set when reading stopped at an unreadable record; nil while reading and after a clean end.
    public private(set) var tail: RecordingTail?

    /// Checks the file header. Throws `.invalidRecording` for a wrong magic, unknown version, oversized
    /// metadata or a header checksum mismatch.
    public init(_ bytes: UnsafeRawBufferPointer) throws {
        self.bytes = bytes
        let prefix = RecordingFormat.headerPrefixSize
        guard bytes.count >= prefix + RecordingFormat.checksumSize, let base = bytes.baseAddress else {
            throw RecordingError(code: .invalidRecording, message: "file too short for a recording header",
                                   context: ["bytes": "\(bytes.count)"])
        }
        guard Array(bytes[0..<8]) == RecordingFormat.magic else {
            throw RecordingError(code: .invalidRecording, message: "not a Fulcrum recording (wrong magic bytes)")
        }
        version = RecordingFormat.load(UInt16.self, at: 8, in: base)
        guard version == RecordingFormat.version else {
            throw RecordingError(code: .invalidRecording,
                                   message: "recording format version \(version) is not supported; "
                                       + "this build reads version \(RecordingFormat.version)")
        }
        let metadataLength = Int(RecordingFormat.load(UInt32.self, at: 12, in: base))
        guard metadataLength <= RecordingFormat.maximumMetadataSize,
              bytes.count >= prefix + metadataLength + RecordingFormat.checksumSize else {
            throw RecordingError(code: .invalidRecording, message: "recording header is cut off or oversized",
                                   context: ["metadataBytes": "\(metadataLength)"])
        }
        let stored = RecordingFormat.load(UInt32.self, at: prefix + metadataLength, in: base)
        let computed = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<prefix + metadataLength]))
        guard stored == computed else {
            throw RecordingError(code: .invalidRecording, message: "recording header checksum mismatch")
        }
        metadataRange = prefix..<prefix + metadataLength
        recordsStart = prefix + metadataLength + RecordingFormat.checksumSize
        offset = recordsStart
    }

    /// The metadata JSON.
    public var metadataBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[metadataRange]) }

    /// Whether every record up to the end of the file was read.
    public var reachedCleanEnd: Bool { tail == nil && offset == bytes.count }

    /// The next record, or nil at the end of the file or at the first unreadable record (see ``tail``).
    public mutating func next() -> RecordedMessage? {
        let count = bytes.count
        guard tail == nil, offset < count, let base = bytes.baseAddress else { return nil }
        let start = offset
        let available = count - start
        guard available >= 4 else { return stop(.truncated, at: start) }
        let length = Int(RecordingFormat.load(UInt32.self, at: start, in: base))
        guard length >= RecordingFormat.recordPrefixSize - 4, length <= RecordingFormat.maximumRecordLength else {
            return stop(.invalidLength, at: start)
        }
        // A torn append leaves a correct prefix, so frame lengths that contradict L are damage, not truncation.
        guard available >= RecordingFormat.recordPrefixSize else { return stop(.truncated, at: start) }
        let firstLength = Int(RecordingFormat.load(UInt32.self, at: start + 16, in: base))
        let secondLength = Int(RecordingFormat.load(UInt32.self, at: start + 20, in: base))
        guard firstLength <= length, secondLength <= length,
              RecordingFormat.recordPrefixSize - 4 + firstLength + secondLength == length else {
            return stop(.invalidLength, at: start)
        }
        let total = 4 + length + RecordingFormat.checksumSize
        guard total <= available else { return stop(.truncated, at: start) }
        let stored = RecordingFormat.load(UInt32.self, at: start + 4 + length, in: base)
        let computed = CRC32C.checksum(UnsafeRawBufferPointer(start: base + start, count: 4 + length))
        guard stored == computed else { return stop(.checksumMismatch, at: start) }
        let framesStart = start + RecordingFormat.recordPrefixSize
        offset = start + total
        recordsRead += 1
        return RecordedMessage(
            receiptTime: RecordingFormat.load(Int64.self, at: start + 4, in: base),
            feed: Int(RecordingFormat.load(UInt16.self, at: start + 12, in: base)),
            frameCount: Int(RecordingFormat.load(UInt16.self, at: start + 14, in: base)),
            first: UnsafeRawBufferPointer(start: base + framesStart, count: firstLength),
            second: UnsafeRawBufferPointer(start: base + framesStart + firstLength, count: secondLength),
            offset: start)
    }

    private mutating func stop(_ problem: RecordingTail.Problem, at start: Int) -> RecordedMessage? {
        let count = bytes.count
        var torn = problem == .truncated
        if !torn, problem == .checksumMismatch, let base = bytes.baseAddress, count - start >= 4 {
            let length = Int(RecordingFormat.load(UInt32.self, at: start, in: base))
            torn = start + 4 + length + RecordingFormat.checksumSize == count
        }
        if !torn { torn = bytes[start..<count].allSatisfy { $0 == 0 } }
        tail = RecordingTail(problem: problem, offset: start, skippedBytes: count - start, isTornTail: torn)
        return nil
    }
}
