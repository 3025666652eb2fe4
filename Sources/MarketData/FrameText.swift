/// A piece of text inside a received frame, by position, so that decoding never copies it.
///
/// Protobuf strings are used as they are. JSON strings may contain escapes (`\u002d`, `\"`); those are resolved
/// only when the name is looked up, into a small stack buffer (see ``withBytes(in:maximumLength:_:)``).
public struct FrameText: Sendable, Hashable {
    /// Byte offset of the text in its frame (after the opening quote, for JSON).
    public var offset: Int
    /// Number of raw bytes (before resolving JSON escapes).
    public var count: Int
    /// Whether the raw bytes contain JSON escapes that must be resolved.
    public var isJSONEscaped: Bool

    /// Creates a reference to `count` bytes at `offset`.
    @inlinable
    public init(offset: Int, count: Int, isJSONEscaped: Bool = false) {
        self.offset = offset
        self.count = count
        self.isJSONEscaped = isJSONEscaped
    }

    /// The empty text.
    public static let empty = FrameText(offset: 0, count: 0)

    /// Calls `body` with the text's bytes (JSON escapes resolved to UTF-8) taken from `frame`.
    ///
    /// Returns `nil` without calling `body` if the reference lies outside `frame`, if an escape is malformed or
    /// encodes a lone UTF-16 surrogate, or if the resolved text is longer than `maximumLength` bytes. Resolving
    /// escapes uses a stack buffer of `maximumLength` bytes; no heap allocation happens.
    public func withBytes<R>(
        in frame: UnsafeRawBufferPointer,
        maximumLength: Int,
        _ body: (UnsafeRawBufferPointer) -> R
    ) -> R? {
        guard offset >= 0, count >= 0, count <= frame.count &- offset else { return nil }
        let raw = count == 0 ? UnsafeRawBufferPointer(start: nil, count: 0)
            : UnsafeRawBufferPointer(rebasing: frame[offset..<(offset &+ count)])
        guard isJSONEscaped else { return body(raw) }
        let capacity = max(1, min(maximumLength, 1024))
        return withUnsafeTemporaryAllocation(byteCount: capacity, alignment: 8) { scratch -> R? in
            guard let length = JSONScanner.unescape(raw, into: scratch), length <= maximumLength else { return nil }
            return body(UnsafeRawBufferPointer(rebasing: scratch[0..<length]))
        }
    }

    /// The text as a `String` (escapes resolved; invalid UTF-8 repaired), for diagnostics and tests only.
    public func string(in frame: UnsafeRawBufferPointer) -> String? {
        withBytes(in: frame, maximumLength: 1024) { String(decoding: $0, as: UTF8.self) }
    }
}
