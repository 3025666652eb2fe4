/// Why a message or tick did not make it into Fulcrum's price stream.
///
/// Every case has a stable, snake-case ``metricName`` that is used as the `reason` dimension of the
/// `fulcrum.ticks.rejected` metric; the names never change once published. The raw values are dense
/// (`0..<allCases.count`) so that ``IngestCounters`` can keep one counter per reason in a flat array.
public enum RejectionReason: UInt8, CaseIterable, Sendable, Hashable, Error, CustomStringConvertible {
    /// A multipart message had the wrong number of frames for the feed's encoding.
    case malformedMultipart = 0
    /// A single frame could not be split into its parts (a cryptofeed frame without a space after the topic).
    case malformedFrame
    /// The message is larger than the feed's configured maximum message size.
    case oversizedFrame
    /// The message came from a feed the ingestor has no encoding for, or its payload is not in the feed's
    /// encoding at all (a cryptofeed frame whose payload is not a JSON object).
    case unknownEncoding
    /// The topic does not start with any of the feed's configured topic prefixes.
    case unexpectedTopic
    /// A protobuf message ended in the middle of a field.
    case truncatedProtobuf
    /// A protobuf message is malformed: bad tag, bad wire type for a known field, over-long varint,
    /// unbalanced group, or field number 0.
    case invalidProtobuf
    /// A JSON payload is not well-formed JSON, or a field of interest has the wrong JSON type.
    case invalidJSON
    /// A required field (venue, symbol, price, timestamp, bid/ask of a ticker) is absent, empty or `null`.
    case missingField
    /// The exchange timestamp is not a finite number representable as nanoseconds in an `Int64`.
    case invalidTimestamp
    /// The price is NaN or infinite.
    case nonFinitePrice
    /// The price is zero or negative.
    case nonPositivePrice
    /// The price (or bid/ask) lies outside the configured `[minimumPrice, maximumPrice]`.
    case absurdMagnitude
    /// The bid or ask is present but NaN, infinite, zero or negative.
    case invalidQuote
    /// The bid is above the ask.
    case crossedQuote
    /// The traded size is present but NaN, infinite or negative.
    case invalidSize
    /// The exchange timestamp is further ahead of the receipt time than allowed.
    case futureTimestamp
    /// The exchange timestamp is further behind the receipt time than allowed.
    case pastTimestamp
    /// The tick repeats one already seen on its stream (by feed sequence, or by timestamp and price).
    case duplicate
    /// The tick is older than the last tick accepted on its stream.
    case outOfOrder
    /// The tick's exchange time falls in a grid interval already closed (before ``TickIngestor/lateBefore``).
    /// Decided before the tick touches any stream or filter state.
    case late
    /// The symbol is not on the configured allow-list.
    case unknownSymbol
    /// A new symbol was seen after the configured number of discovered symbols had been reached.
    case symbolCapExceeded
    /// The symbol is empty, too long, or contains bytes other than printable ASCII.
    case invalidSymbol
    /// The venue is not on the configured allow-list.
    case unknownVenue
    /// A new venue was seen after the configured number of discovered venues had been reached.
    case venueCapExceeded
    /// The venue name is empty, too long, or contains bytes other than printable ASCII.
    case invalidVenue
    /// The price deviates too far from the cross-venue reference and has not (yet) been confirmed.
    case quarantined
    /// A book snapshot or delta left the book crossed (best bid at or above best ask): the book is dropped and
    /// waits for the next snapshot.
    case crossedBook
    /// A book level's price is not finite and positive, or its size is not finite and non-negative.
    case invalidBookLevel
    /// A book delta arrived for a book that has no snapshot yet (or lost it to a crossed update): it cannot be
    /// applied, and the book waits for the next snapshot.
    case bookGap
    /// A book for a new (venue, symbol) pair arrived after `ingest.books.maximumBooks` books were held.
    case bookCapExceeded

    /// The dense index of this reason, `0..<RejectionReason.allCases.count`.
    @inlinable
    public var index: Int { Int(rawValue) }

    /// The number of reasons; the size of a per-reason counter array.
    public static let count = 32

    /// The stable, snake-case name used as the metric dimension, e.g. `invalid_protobuf`.
    public var metricName: String {
        switch self {
        case .malformedMultipart: "malformed_multipart"
        case .malformedFrame: "malformed_frame"
        case .oversizedFrame: "oversized_frame"
        case .unknownEncoding: "unknown_encoding"
        case .unexpectedTopic: "unexpected_topic"
        case .truncatedProtobuf: "truncated_protobuf"
        case .invalidProtobuf: "invalid_protobuf"
        case .invalidJSON: "invalid_json"
        case .missingField: "missing_field"
        case .invalidTimestamp: "invalid_timestamp"
        case .nonFinitePrice: "non_finite_price"
        case .nonPositivePrice: "non_positive_price"
        case .absurdMagnitude: "absurd_magnitude"
        case .invalidQuote: "invalid_quote"
        case .crossedQuote: "crossed_quote"
        case .invalidSize: "invalid_size"
        case .futureTimestamp: "future_timestamp"
        case .pastTimestamp: "past_timestamp"
        case .duplicate: "duplicate"
        case .outOfOrder: "out_of_order"
        case .late: "late"
        case .unknownSymbol: "unknown_symbol"
        case .symbolCapExceeded: "symbol_cap_exceeded"
        case .invalidSymbol: "invalid_symbol"
        case .unknownVenue: "unknown_venue"
        case .venueCapExceeded: "venue_cap_exceeded"
        case .invalidVenue: "invalid_venue"
        case .quarantined: "quarantined"
        case .crossedBook: "crossed_book"
        case .invalidBookLevel: "invalid_book_level"
        case .bookGap: "book_gap"
        case .bookCapExceeded: "book_cap_exceeded"
        }
    }

    /// The reason whose ``metricName`` is `name`, if any.
    public init?(metricName name: String) {
        guard let reason = Self.allCases.first(where: { $0.metricName == name }) else { return nil }
        self = reason
    }

    /// The ``metricName``.
    public var description: String { metricName }
}
