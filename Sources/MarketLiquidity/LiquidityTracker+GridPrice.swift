import MarketData

extension LiquidityTracker {
    /// Records the mid (bid + ask)/2 of a venue's accepted quote at its exchange time, for ``midPrice(symbol:books:at:staleAfter:)``.
    /// Ignores a quote with a missing, non-positive or crossed side. O(venues of the symbol); allocates only for a
    /// new symbol or venue.
    public mutating func recordQuote(symbol id: SymbolID, venue: VenueID, bid: Double, ask: Double, time: Int64) {
        guard bid.isFinite, ask.isFinite, bid > 0, ask >= bid else { return }
        let symbol = ensureSymbol(id)
        let v = venueIndex(symbol: symbol, venue: venue.rawValue)
        if states[symbol].venues[v].quoteTime == .min || time >= states[symbol].venues[v].quoteTime {
            states[symbol].venues[v].quoteMid = bid * 0.5 + ask * 0.5
            states[symbol].venues[v].quoteTime = time
        }
    }

    /// The median over venues of their funding mark prices stamped no earlier than `time − staleAfter`; `nil` when
    /// no venue's mark is that fresh. No allocation after warm-up.
    public mutating func markPrice(symbol id: SymbolID, at time: Int64, staleAfter: Int64) -> Double? {
        let symbol = Int(id.rawValue)
        guard symbol < states.count else { return nil }
        let venueCount = states[symbol].venues.count
        if column.count < venueCount { column.append(contentsOf: repeatElement(0, count: venueCount - column.count)) }
        var count = 0
        for venue in states[symbol].venues
        where venue.markPrice.isFinite && venue.markPrice > 0 && Self.isFresh(venue.markTime, at: time, staleAfter) {
            column[count] = venue.markPrice
            count += 1
        }
        return count > 0 ? Median.ofFirst(count, in: &column) : nil
    }

    /// The median over venues of their mids, no older than `staleAfter` at `time`: a venue's mid is that of its
    /// live book in `books` or of its last quote (``recordQuote(symbol:venue:bid:ask:time:)``), whichever is
    /// newer; `nil` when no venue has a fresh one. O(venues); no allocation after warm-up.
    public mutating func midPrice(symbol id: SymbolID, books: OrderBooks, at time: Int64,
                                  staleAfter: Int64) -> Double? {
        let symbol = ensureSymbol(id)
        var count = 0
        func add(_ value: Double) {
            if column.count <= count { column.append(contentsOf: repeatElement(0, count: count + 1 - column.count)) }
            column[count] = value
            count += 1
        }
        // Venues with a live book: the book's mid, or the venue's quote when that is newer.
        books.forEachLiveBook(symbol: id) { slot in
            let top = books.top(slot: slot)
            var mid = top.bid.isFinite && top.ask.isFinite ? top.bid * 0.5 + top.ask * 0.5 : Double.nan
            var stamp = books.lastUpdate(slot: slot)
            let venue = books.venue(slot: slot).rawValue
            if let quote = states[symbol].venues.first(where: { $0.venue == venue }),
               quote.quoteMid.isFinite, quote.quoteTime > stamp || !mid.isFinite {
                mid = quote.quoteMid
                stamp = quote.quoteTime
            }
            if mid.isFinite, mid > 0, Self.isFresh(stamp, at: time, staleAfter) { add(mid) }
        }
        // Venues with quotes and no live book.
        for venue in states[symbol].venues where venue.quoteMid.isFinite {
            if let slot = books.slot(symbol: id, venue: VenueID(rawValue: venue.venue)), books.isLive(slot: slot) {
                continue
            }
            if Self.isFresh(venue.quoteTime, at: time, staleAfter) { add(venue.quoteMid) }
        }
        return count > 0 ? Median.ofFirst(count, in: &column) : nil
    }

    /// Whether a value stamped `stamp` is fresh at `time`: no older than `staleAfter` (a value stamped after
    /// `time`, from a channel running ahead, counts).
    static func isFresh(_ stamp: Int64, at time: Int64, _ staleAfter: Int64) -> Bool {
        stamp != .min && time &- stamp <= staleAfter
    }

    /// The index of `id`'s state, created when new.
    mutating func ensureSymbol(_ id: SymbolID) -> Int {
        let symbol = Int(id.rawValue)
        if symbol >= states.count {
            states.append(contentsOf: repeatElement(SymbolState(), count: symbol + 1 - states.count))
        }
        return symbol
    }
}
