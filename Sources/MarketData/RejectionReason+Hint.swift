extension RejectionReason {
    /// The configuration key that decides this rejection and what changing it does, for reasons a setting
    /// governs (`nil` for malformed input, which no setting admits). Logged with the rejections, so that a replay
    /// of old data, or a feed whose clock or size runs beyond the bounds, says what to change.
    public var configurationHint: String? {
        switch self {
        case .pastTimestamp:
            "ingest.validation.maximumAge bounds how far behind the receipt time a tick may be (widen it to replay "
                + "old data)"
        case .futureTimestamp:
            "ingest.validation.maximumFutureSkew bounds how far ahead of the receipt time a tick may be"
        case .oversizedFrame: "ingest.feeds[].maxMessageSize bounds a message, all frames together"
        case .late:
            "estimation.lateness is how long an interval waits for lagging ticks (raise it for receipt-stamped "
                + "channels)"
        case .absurdMagnitude: "ingest.validation.minimumPrice and maximumPrice bound prices"
        case .unknownSymbol: "ingest.symbols.allowList lists the symbols accepted"
        case .symbolCapExceeded: "ingest.symbols.maximumDiscovered bounds the symbols discovered"
        case .unknownVenue: "ingest.venues.allowList lists the venues accepted"
        case .venueCapExceeded: "ingest.venues.maximumDiscovered bounds the venues discovered"
        case .unexpectedTopic: "ingest.feeds[].topicPrefixes lists the topics accepted"
        case .bookCapExceeded: "ingest.books.maximumBooks bounds the (venue, symbol) books held"
        default: nil
        }
    }
}
