extension TickIngestor {
    /// The order books of every (venue, symbol) that sent a snapshot.
    public var books: OrderBooks { marketData.books }

    /// Validates, interns and applies one decoded market-data message (book levels are in `marketData.levels`).
    ///
    /// Order of checks: values (prices as for ticks: finite, > 0, within the configured magnitude; quantities
    /// finite and ≥ 0) and the exchange time against the receipt time (as for ticks) → venue and symbol interning
    /// → order within the stream → for books, ``OrderBooks/apply(symbol:venue:time:isSnapshot:levels:)``.
    /// Lateness does not apply: these messages do not enter the price grid.
    mutating func processMarket(
        _ message: DecodedMarketMessage, payload: UnsafeRawBufferPointer, receiptTime: Int64
    ) throws(RejectionReason) -> IngestOutcome {
        switch message.channel {
        case .book:
            try validator.checkTime(exchangeTime: message.exchangeTime, receiptTime: receiptTime)
        case .funding:
            try validator.checkValues(price: message.price, bid: nil, ask: nil, size: nil,
                                      exchangeTime: message.exchangeTime, receiptTime: receiptTime)
            if let index = message.indexPrice {
                try validator.checkValues(price: index, bid: nil, ask: nil, size: nil,
                                          exchangeTime: message.exchangeTime, receiptTime: receiptTime)
            }
        case .openInterest:
            guard message.quantity.isFinite, message.quantity >= 0 else { throw .invalidSize }
            try validator.checkTime(exchangeTime: message.exchangeTime, receiptTime: receiptTime)
        case .liquidations, .candles:
            try validator.checkValues(price: message.price, bid: nil, ask: nil, size: message.quantity,
                                      exchangeTime: message.exchangeTime, receiptTime: receiptTime)
        }
        let venueResult = message.venue.withBytes(in: payload, maximumLength: configuration.venues.maximumNameLength) {
            venues.intern($0)
        }
        let venue: UInt32
        switch venueResult {
        case .existing(let id)?, .inserted(let id)?: venue = id
        case .rejected(let reason)?: throw reason
        case nil: throw .invalidVenue
        }
        let symbolResult = message.symbol.withBytes(
            in: payload, maximumLength: configuration.symbols.maximumNameLength
        ) { symbols.intern($0) }
        let symbol: UInt32
        switch symbolResult {
        case .existing(let id)?, .inserted(let id)?: symbol = id
        case .rejected(let reason)?: throw reason
        case nil: throw .invalidSymbol
        }
        try marketData.checkAndRecordOrder(message.channel, symbol: symbol, venue: venue,
                                           time: message.exchangeTime)
        if message.channel == .book {
            try marketData.books.apply(symbol: SymbolID(rawValue: symbol), venue: VenueID(rawValue: venue),
                                       time: message.exchangeTime, isSnapshot: message.isSnapshot,
                                       levels: marketData.levels)
        }
        var event = MarketEvent(channel: message.channel, symbol: SymbolID(rawValue: symbol),
                                venue: VenueID(rawValue: venue), exchangeTime: message.exchangeTime)
        event.price = message.price
        event.quantity = message.quantity
        event.rate = message.rate
        event.indexPrice = message.indexPrice
        event.side = message.side
        event.isSnapshot = message.isSnapshot
        event.intervalStart = message.intervalStart
        event.intervalEnd = message.intervalEnd
        event.isClosed = message.isClosed
        return .market(event)
    }
}

extension TickValidator {
    /// The time checks of ``checkValues(price:bid:ask:size:exchangeTime:receiptTime:)`` alone, for messages
    /// without a price (books, open interest).
    ///
    /// - Throws: ``RejectionReason/missingField`` (time 0), ``RejectionReason/futureTimestamp``,
    ///   ``RejectionReason/pastTimestamp``.
    public func checkTime(exchangeTime: Int64, receiptTime: Int64) throws(RejectionReason) {
        guard exchangeTime != 0 else { throw .missingField }
        let ahead = Self.saturatingDifference(exchangeTime, receiptTime)
        guard ahead <= configuration.maximumFutureSkew else { throw .futureTimestamp }
        guard ahead >= 0 &- configuration.maximumAge else { throw .pastTimestamp }
    }
}
