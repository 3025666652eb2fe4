/// Checks ticks for impossible values and for replays, per stream `(venue, symbol, channel)`.
///
/// Validation has two stages so that garbage never reaches the symbol tables:
/// 1. ``checkValues(price:bid:ask:size:exchangeTime:receiptTime:)`` — stateless, on the decoded values, before
///    names are interned: finite and positive price inside `[minimumPrice, maximumPrice]`, sane bid/ask (not
///    crossed), non-negative size, exchange time present and within `[receipt − maximumAge,
///    receipt + maximumFutureSkew]`.
/// 2. ``checkAndRecordStream(_:)`` (or ``checkStream(_:)`` then ``record(_:)``) — against the stream's last tick:
///    a sequence number at or below the last one is a ``RejectionReason/duplicate`` (unless it looks like a
///    publisher restart, see ``ValidationConfiguration/sequenceRestartGap``); without sequence numbers, the same
///    exchange time and price as the last tick is a duplicate (two genuine trades at the same price and
///    nanosecond carry no new price information); an exchange time before the last one is
///    ``RejectionReason/outOfOrder``. A recorded tick is the stream's latest whatever the robust filter then
///    decides: quarantine judges the price, not the ordering. Channels (``TickChannel``) are separate streams:
///    a ticker stamped at receipt that lags the trades of the same venue and symbol is in order within its own
///    channel, so it is not judged against the trades.
///
/// Every stream check is O(number of streams of the symbol): the streams of a symbol are a linked list in
/// one flat array of plain values. Memory grows only when a new stream appears.
public struct TickValidator: Sendable {
    /// One stream's last tick; the streams of a symbol form a linked list through `next` in one flat array.
    struct StreamState: Sendable {
        var venue: VenueID
        var channel: TickChannel
        var next: Int32 = -1
        var lastExchangeTime: Int64
        var lastPrice: Double
        var lastSequence: UInt64
        var hasSequence: Bool
    }

    /// The bounds in force.
    public let configuration: ValidationConfiguration
    var firstStream: [Int32] = []
    var streams: [StreamState] = []

    /// Creates a validator with no stream history.
    public init(configuration: ValidationConfiguration = ValidationConfiguration()) {
        self.configuration = configuration
    }

    /// Stateless value checks; see the type's documentation for the order and the reasons.
    public func checkValues(
        price: Double, bid: Double?, ask: Double?, size: Double?, exchangeTime: Int64, receiptTime: Int64
    ) throws(RejectionReason) {
        guard price.isFinite else { throw .nonFinitePrice }
        guard price > 0 else { throw .nonPositivePrice }
        guard price >= configuration.minimumPrice, price <= configuration.maximumPrice else {
            throw .absurdMagnitude
        }
        if let bid { try checkQuote(bid) }
        if let ask { try checkQuote(ask) }
        if let bid, let ask, bid > ask { throw .crossedQuote }
        if let size, !(size.isFinite && size >= 0) { throw .invalidSize }
        guard exchangeTime != 0 else { throw .missingField }
        // exchangeTime − receiptTime, saturated: both are input-controlled and may be anywhere in Int64.
        let ahead = Self.saturatingDifference(exchangeTime, receiptTime)
        guard ahead <= configuration.maximumFutureSkew else { throw .futureTimestamp }
        guard ahead >= 0 &- configuration.maximumAge else { throw .pastTimestamp }
    }

    @inline(__always)
    private func checkQuote(_ value: Double) throws(RejectionReason) {
        guard value.isFinite, value > 0 else { throw .invalidQuote }
        guard value >= configuration.minimumPrice, value <= configuration.maximumPrice else { throw .absurdMagnitude }
    }

    /// Stateless checks of an interned tick (same as the decoded-value overload).
    public func checkValues(_ tick: Tick) throws(RejectionReason) {
        try checkValues(
            price: tick.price, bid: tick.bid, ask: tick.ask, size: tick.size,
            exchangeTime: tick.exchangeTime, receiptTime: tick.receiptTime)
    }

    /// Checks the tick against its stream's last recorded tick, without recording it.
    public func checkStream(_ tick: Tick) throws(RejectionReason) {
        guard let index = streamIndex(of: tick) else { return }
        try check(tick, against: streams[index])
    }

    /// Checks the tick against its stream and, if it passes, records it as the stream's latest: one lookup.
    public mutating func checkAndRecordStream(_ tick: Tick) throws(RejectionReason) {
        if let index = streamIndex(of: tick) {
            var state = streams[index]
            try check(tick, against: state)
            state.lastExchangeTime = max(state.lastExchangeTime, tick.exchangeTime)
            state.lastPrice = tick.price
            if let sequence = tick.feedSequence {
                state.lastSequence = sequence
                state.hasSequence = true
            }
            streams[index] = state
        } else {
            insert(tick)
        }
    }

    @inline(__always)
    private func check(_ tick: Tick, against last: StreamState) throws(RejectionReason) {
        let newer = Self.saturatingDifference(tick.exchangeTime, last.lastExchangeTime)
        if let sequence = tick.feedSequence, last.hasSequence {
            if sequence <= last.lastSequence && newer < configuration.sequenceRestartGap { throw .duplicate }
        } else if tick.feedSequence == nil && newer == 0 && tick.price == last.lastPrice {
            throw .duplicate
        }
        guard newer >= 0 else { throw .outOfOrder }
    }

    /// Records the tick as its stream's latest. Call after ``checkStream(_:)`` succeeded.
    public mutating func record(_ tick: Tick) {
        if let index = streamIndex(of: tick) {
            streams[index].lastExchangeTime = max(streams[index].lastExchangeTime, tick.exchangeTime)
            streams[index].lastPrice = tick.price
            if let sequence = tick.feedSequence {
                streams[index].lastSequence = sequence
                streams[index].hasSequence = true
            }
        } else {
            insert(tick)
        }
    }

    /// All checks, then records the tick: the convenience for callers that do not intern in between.
    public mutating func validate(_ tick: Tick) throws(RejectionReason) {
        try checkValues(tick)
        try checkAndRecordStream(tick)
    }

    /// The last exchange time recorded for a stream, if any.
    public func lastExchangeTime(symbol: SymbolID, venue: VenueID, channel: TickChannel = .trades) -> Int64? {
        let probe = Tick(symbol: symbol, venue: venue, price: 0, exchangeTime: 0, receiptTime: 0, channel: channel)
        guard let index = streamIndex(of: probe) else { return nil }
        return streams[index].lastExchangeTime
    }

    @inline(__always)
    private func streamIndex(of tick: Tick) -> Int? {
        let symbol = tick.symbol.index
        guard symbol < firstStream.count else { return nil }
        var index = firstStream[symbol]
        while index >= 0 {
            let state = streams[Int(index)]
            if state.venue == tick.venue && state.channel == tick.channel { return Int(index) }
            index = state.next
        }
        return nil
    }

    /// Appends a new stream (allocation only when a stream is first seen).
    private mutating func insert(_ tick: Tick) {
        let symbol = tick.symbol.index
        if symbol >= firstStream.count {
            firstStream.append(contentsOf: repeatElement(-1, count: symbol &+ 1 &- firstStream.count))
        }
        let index = Int32(truncatingIfNeeded: streams.count)
        streams.append(StreamState(
            venue: tick.venue, channel: tick.channel, next: firstStream[symbol], lastExchangeTime: tick.exchangeTime, lastPrice: tick.price,
            lastSequence: tick.feedSequence ?? 0, hasSequence: tick.feedSequence != nil))
        firstStream[symbol] = index
    }

    /// `a − b`, clamped to the `Int64` range instead of trapping.
    @inline(__always)
    static func saturatingDifference(_ a: Int64, _ b: Int64) -> Int64 {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        guard overflow else { return difference }
        return a > b ? .max : .min
    }
}
