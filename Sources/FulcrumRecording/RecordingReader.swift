/// A recording file opened for replay: its metadata, and its records through a ``RecordingParser``.
///
/// ```swift
/// let reader = try RecordingReader(path: "session.frec")
/// try reader.withRecords { parser in
///     while let message = parser.next() { … }
/// }
/// ```
public final class RecordingReader {
    /// The file's path.
    public let path: String
    /// What the recording says about itself.
    public let metadata: RecordingMetadata
    /// The format version.
    public let version: UInt16
    let file: MappedFile

    /// Opens and maps `path`, checks its header and decodes the metadata.
    public init(path: String) throws {
        self.path = path
        file = try MappedFile(path: path)
        let parser = try RecordingParser(file.bytes)
        version = parser.version
        metadata = try RecordingMetadata.decode(parser.metadataBytes)
    }

    /// Size of the file, bytes.
    public var fileSize: Int { file.bytes.count }

    /// Calls `body` with a parser positioned at the first record; the parser's frames stay valid inside `body`.
    public func withRecords<Result>(_ body: (inout RecordingParser) throws -> Result) throws -> Result {
        try withExtendedLifetime(file) {
            var parser = try RecordingParser(file.bytes)
            return try body(&parser)
        }
    }
}
