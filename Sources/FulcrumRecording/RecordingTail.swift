/// Why reading a recording stopped before its end, and what was skipped.
public struct RecordingTail: Sendable, Hashable, Codable {
    /// What was wrong with the first unreadable record.
    public enum Problem: String, Sendable, Hashable, Codable {
        /// The record's length runs past the end of the file: an append cut short.
        case truncated
        /// The length field is impossible (below the fixed prefix, above the limit, or inconsistent with the
        /// frame lengths).
        case invalidLength
        /// The bytes do not match the record's checksum.
        case checksumMismatch
    }

    /// What was wrong.
    public var problem: Problem
    /// Byte offset of the unreadable record.
    public var offset: Int
    /// Bytes from there to the end of the file, all skipped.
    public var skippedBytes: Int
    /// True when the skipped bytes can only be the remains of the final append: the record is cut off by the end
    /// of the file, is the last record, or is followed only by zero bytes (unwritten blocks after a crash).
    /// False means damage in the middle of the file.
    public var isTornTail: Bool

    /// Creates a description.
    public init(problem: Problem, offset: Int, skippedBytes: Int, isTornTail: Bool) {
        self.problem = problem
        self.offset = offset
        self.skippedBytes = skippedBytes
        self.isTornTail = isTornTail
    }
}
