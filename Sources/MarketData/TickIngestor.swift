/// The full ingest step for one received message: decode → validate → intern → filter → count.
///
/// One ingestor serves all feeds of a process so that symbol and venue identifiers and the cross-venue filter are
/// shared; it is a value type with no locks, meant to be owned by the single thread that receives the messages.
/// After warm-up (all symbols, venues and streams seen once) a message is processed without heap allocation.
///
/// Nothing a peer can send makes it trap: lengths and numbers taken from input are checked or use wrapping /
/// overflow-reporting arithmetic, so it can be driven directly by a fuzzer:
///
/// ```swift
/// var ingestor = TickIngestor()   // one protobuf feed, default bounds
/// data.withUnsafeBytes { ingestor.ingest(frameCount: 2, topic, $0, receiptTime: now) }
/// ```
///
/// Order of checks: frame count and total size → topic prefix → decoding → stateless value checks (before
/// names are interned, so that garbage cannot fill the symbol tables) → lateness → venue and symbol interning →
/// stream checks (duplicate, out of order, per `(venue, symbol, channel)`) → robust filter.
public struct TickIngestor: Sendable {
    private struct Feed: Sendable {
        var encoding: FeedEncoding
        var maxMessageSize: Int
        var filtersTopics: Bool
    }

    /// The configuration the ingestor was created with.
    public let configuration: IngestConfiguration
    /// Instrument symbols seen so far (or allow-listed).
    public internal(set) var symbols: SymbolTable
    /// Venues seen so far (or allow-listed).
    public internal(set) var venues: SymbolTable
    /// Duplicate and ordering state per stream.
    public internal(set) var validator: TickValidator
    /// Cross-venue reference prices and staleness.
    public internal(set) var filter: RobustPriceFilter
    /// Counters over all feeds.
    public private(set) var totals = IngestCounters()
    /// Exchange time before which a tick is ``RejectionReason/late``: the start of the grid's open interval, which
    /// the engine sets as the grid moves (`Int64.min` until the grid starts). Not part of a checkpoint: the engine
    /// sets it again from the restored grid.
    public var lateBefore: Int64 = .min
    private var feedCounters: [IngestCounters]
    private let feeds: [Feed]
    private let topicPrefixes: [[[UInt8]]]
    private let maximumVenueLength: Int
    private let maximumSymbolLength: Int
    var symbolHasAccepted: [Bool] = []
    /// A held tick the last message confirmed, to be booked before that message's own tick.
    private var released: Tick?
    private let protobufDecoder = ProtobufTickDecoder()
    /// Per feed, with that feed's topic keys.
    private let cryptofeedDecoders: [CryptofeedDecoder]
    /// Books and the decoders of market-data messages beyond ticks (see `TickIngestor+MarketData.swift`).
    var marketData: MarketDataIngest

    /// Creates an ingestor. The configuration should have been checked with
    /// ``IngestConfiguration/validate(keyPrefix:)``; an unvalidated one does not make the ingestor trap.
    public init(configuration: IngestConfiguration = IngestConfiguration()) {
        self.configuration = configuration
        symbols = SymbolTable(kind: .symbol, configuration: configuration.symbols)
        venues = SymbolTable(kind: .venue, configuration: configuration.venues)
        validator = TickValidator(configuration: configuration.validation)
        filter = RobustPriceFilter(configuration: configuration.filter)
        feeds = configuration.feeds.map { feed in
            Feed(
                encoding: feed.encoding, maxMessageSize: feed.maxMessageSize,
                filtersTopics: !feed.topicPrefixes.isEmpty)
        }
        topicPrefixes = configuration.feeds.map { feed in feed.topicPrefixes.map { Array($0.utf8) } }
        cryptofeedDecoders = configuration.feeds.map { feed in
            CryptofeedDecoder(tradesKey: feed.cryptofeedKeys.trades, tickerKey: feed.cryptofeedKeys.ticker)
        }
        marketData = MarketDataIngest(configuration: configuration)
        maximumVenueLength = configuration.venues.maximumNameLength
        maximumSymbolLength = configuration.symbols.maximumNameLength
        feedCounters = Array(repeating: IngestCounters(), count: configuration.feeds.count)
        symbolHasAccepted.reserveCapacity(
            configuration.symbols.allowList.count + min(max(configuration.symbols.maximumDiscovered, 0), 1 << 20))
    }

    /// Convenience: an ingestor with a single feed of the given encoding and otherwise default settings.
    public init(encoding: FeedEncoding) {
        self.init(configuration: IngestConfiguration(feeds: [FeedConfiguration(encoding: encoding)]))
    }

    /// Counters of one feed (zero for an unknown index).
    public func counters(feed: Int) -> IngestCounters {
        feed >= 0 && feed < feedCounters.count ? feedCounters[feed] : IngestCounters()
    }

    /// Processes one received message and counts its outcome.
    ///
    /// - Parameters:
    ///   - feed: index of the feed in ``IngestConfiguration/feeds``.
    ///   - frameCount: number of frames the message had (only the first two are passed; a count above two is
    ///     malformed for every encoding).
    ///   - first: the first frame (the topic for protobuf feeds, the whole message for cryptofeed).
    ///   - second: the second frame (the serialized tick for protobuf feeds); ignored when `frameCount < 2`.
    ///   - receiptTime: when the message was received, nanoseconds since the Unix epoch.
    public mutating func ingest(
        feed: Int = 0,
        frameCount: Int,
        _ first: UnsafeRawBufferPointer,
        _ second: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
        receiptTime: Int64
    ) -> IngestOutcome {
        let outcome: IngestOutcome
        do {
            outcome = try process(
                feed: feed, frameCount: frameCount, first, second, receiptTime: receiptTime)
        } catch {
            outcome = .rejected(error)
        }
        totals.record(outcome)
        if feed >= 0 && feed < feedCounters.count { feedCounters[feed].record(outcome) }
        return outcome
    }

    /// The held tick the last ``ingest(feed:frameCount:_:_:receiptTime:)`` confirmed, once (`nil` if none): accepted
    /// and counted already, it belongs in the estimates at its own exchange time, before the tick of the message
    /// that confirmed it (``IngestOutcome/held(_:)``).
    public mutating func takeReleased() -> Tick? {
        guard let tick = released else { return nil }
        released = nil
        return tick
    }

    /// Turns the last accepted tick of `feed` into a rejection for `reason`, when a consumer of the tick could not
    /// take it after all (the engine's asset table full): the message stays counted once, as rejected.
    public mutating func revokeAcceptance(_ reason: RejectionReason, feed: Int) {
        totals.revokeAcceptance(reason)
        if feed >= 0 && feed < feedCounters.count { feedCounters[feed].revokeAcceptance(reason) }
    }

    @inline(__always)
    private mutating func process(
        feed index: Int, frameCount: Int,
        _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, receiptTime: Int64
    ) throws(RejectionReason) -> IngestOutcome {
        guard index >= 0 && index < feeds.count else { throw .unknownEncoding }
        let feed = feeds[index]
        guard frameCount == feed.encoding.frameCount else { throw .malformedMultipart }
        let size = frameCount >= 2 ? first.count &+ second.count : first.count
        guard size <= feed.maxMessageSize else { throw .oversizedFrame }

        var decoded: DecodedTick
        let payload: UnsafeRawBufferPointer
        switch feed.encoding {
        case .fulcrumProtobuf:
            guard !feed.filtersTopics || Self.matchesAnyPrefix(first, topicPrefixes[index]) else {
                throw .unexpectedTopic
            }
            decoded = try protobufDecoder.decode(second)
            // A message without a price may be a MarketUpdate (books, funding, …): ticks pay nothing for the test.
            if decoded.price == 0,
               let message = try marketData.protobufDecoder.decode(second, levels: &marketData.levels) {
                return try processMarket(message, payload: second, receiptTime: receiptTime)
            }
            // The schema has no channel field: a quote is a tick that carries bid and ask but no traded size.
            if decoded.bid != nil && decoded.ask != nil && decoded.size == nil { decoded.channel = .quotes }
            payload = second
        case .cryptofeed:
            guard !feed.filtersTopics || Self.matchesAnyPrefix(first, topicPrefixes[index]) else {
                throw .unexpectedTopic
            }
            if marketData.cryptofeedDecoders[index].mayDecode(first),
               let message = try marketData.cryptofeedDecoders[index].decode(first, levels: &marketData.levels) {
                return try processMarket(message, payload: first, receiptTime: receiptTime)
            }
            guard let tick = try cryptofeedDecoders[index].decode(first) else { return .ignored }
            decoded = tick
            payload = first
        }

        guard decoded.venue.count > 0, decoded.symbol.count > 0 else { throw .missingField }
        try validator.checkValues(
            price: decoded.price, bid: decoded.bid, ask: decoded.ask, size: decoded.size,
            exchangeTime: decoded.exchangeTime, receiptTime: receiptTime)
        // Lateness is decided here, before any table, stream or filter state moves: a late tick leaves no trace.
        guard decoded.exchangeTime >= lateBefore else { throw .late }

        let venueResult = decoded.venue.withBytes(in: payload, maximumLength: maximumVenueLength) { venues.intern($0) }
        let venue: UInt32
        switch venueResult {
        case .existing(let id)?, .inserted(let id)?: venue = id
        case .rejected(let reason)?: throw reason
        case nil: throw .invalidVenue
        }
        let symbolResult = decoded.symbol.withBytes(in: payload, maximumLength: maximumSymbolLength) {
            symbols.intern($0)
        }
        let symbol: UInt32
        switch symbolResult {
        case .existing(let id)?, .inserted(let id)?: symbol = id
        case .rejected(let reason)?: throw reason
        case nil: throw .invalidSymbol
        }

        var tick = Tick(
            symbol: SymbolID(rawValue: symbol), venue: VenueID(rawValue: venue), price: decoded.price,
            bid: decoded.bid, ask: decoded.ask, size: decoded.size, side: decoded.side,
            exchangeTime: decoded.exchangeTime, receiptTime: receiptTime, feedSequence: decoded.feedSequence,
            channel: decoded.channel)
        try validator.checkAndRecordStream(tick)

        let decision = filter.evaluate(tick, tag: Int32(truncatingIfNeeded: index))
        if let settled = filter.takeResolution() { settle(settled) }
        switch decision {
        case .accepted(let reference, _):
            tick.robustPrice = reference
            return .accepted(tick, symbolIsNew: markAccepted(symbol))
        case .quarantined(let reference):
            tick.robustPrice = reference
            return .quarantined(tick)
        case .held(let reference):
            tick.robustPrice = reference
            return .held(tick)
        }
    }

    /// Whether this is the symbol's first accepted tick, marking it accepted.
    @inline(__always)
    private mutating func markAccepted(_ symbol: UInt32) -> Bool {
        let s = Int(symbol)
        if s >= symbolHasAccepted.count {
            symbolHasAccepted.append(contentsOf: repeatElement(false, count: s &+ 1 &- symbolHasAccepted.count))
        }
        let isNew = !symbolHasAccepted[s]
        if isNew { symbolHasAccepted[s] = true }
        return isNew
    }

    /// Counts a held tick's settlement under the feed it came from, and keeps a confirmed one for the engine.
    private mutating func settle(_ settled: HeldTickResolution) {
        switch settled {
        case .confirmed(let tick, let tag):
            totals.settleHeld(accepted: true)
            if tag >= 0 && Int(tag) < feedCounters.count { feedCounters[Int(tag)].settleHeld(accepted: true) }
            _ = markAccepted(tick.symbol.rawValue)
            released = tick
        case .quarantined(_, let tag):
            totals.settleHeld(accepted: false)
            if tag >= 0 && Int(tag) < feedCounters.count { feedCounters[Int(tag)].settleHeld(accepted: false) }
        }
    }

    @inline(__always)
    private static func matchesAnyPrefix(_ frame: UnsafeRawBufferPointer, _ prefixes: [[UInt8]]) -> Bool {
        guard !prefixes.isEmpty else { return true }
        for prefix in prefixes where prefix.count <= frame.count {
            let matched = prefix.withUnsafeBytes { expected -> Bool in
                for i in 0..<expected.count where expected[i] != frame[i] { return false }
                return true
            }
            if matched { return true }
        }
        return false
    }
}
