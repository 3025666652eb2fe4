/// The top-K order books of every (venue, symbol) pair, in flat storage: applying a delta or a snapshot
/// allocates nothing once the pair's book exists.
///
/// Each side keeps its `depth` best levels sorted (bids descending, asks ascending). Rules:
/// - **Snapshot** (``apply(symbol:venue:time:isSnapshot:levels:)`` with `isSnapshot`): the book is replaced by
///   the K best levels of each side (levels of size 0 are skipped); the book is then live.
/// - **Delta**: each level sets its price's size, size 0 removes the price. A level worse than the K-th of a
///   full side is not kept (it is outside the top K); after removals a side may hold fewer than K levels until
///   a later level or snapshot refills it, so a walk of the book then sees less depth than the venue has (the
///   error is on the side of higher liquidation cost).
/// - **Gap**: a delta for a book without a snapshot, or after its book was dropped, is
///   ``RejectionReason/bookGap`` (cryptofeed deltas carry no sequence numbers; its `BookZMQ` sends the full book
///   first and then every `snapshot_interval` deltas, so a book starting mid-stream recovers at the next one).
/// - **Sanity**: a book left crossed (best bid ≥ best ask) by a message is dropped and the message is
///   ``RejectionReason/crossedBook``; the book waits for a snapshot. Level values were checked by the decoder.
/// - **Order**: a message older than the last applied to its book is ``RejectionReason/outOfOrder`` and not
///   applied.
public struct OrderBooks: Sendable {
    /// Levels kept per side.
    public let depth: Int
    /// The most books held.
    public let maximumBooks: Int
    /// Venue identifiers per symbol row of the slot index (venue ids are below this).
    private let venueStride: Int
    /// Slot of `symbol * venueStride + venue`, −1 when that pair has no book.
    private var slotIndex: [Int32] = []
    /// Per slot: symbol, venue, levels per side, live flag, last exchange time.
    private var slotSymbol: [UInt32] = []
    private var slotVenue: [UInt32] = []
    private var bidCount: [Int32] = []
    private var askCount: [Int32] = []
    private var live: [Bool] = []
    private var lastTime: [Int64] = []
    /// Levels, `depth` per slot and side.
    private var bidPrice: [Double] = []
    private var bidSize: [Double] = []
    private var askPrice: [Double] = []
    private var askSize: [Double] = []

    /// Creates empty books; `venueCapacity` bounds the venue identifiers (the venue table's capacity).
    public init(configuration: BookConfiguration = BookConfiguration(), venueCapacity: Int) {
        depth = max(configuration.depth, 1)
        maximumBooks = max(configuration.maximumBooks, 1)
        venueStride = max(venueCapacity, 1)
    }

    /// Books held (live or waiting for a snapshot).
    public var count: Int { slotSymbol.count }

    /// The slot of a pair's book, if it has one.
    @inline(__always)
    public func slot(symbol: SymbolID, venue: VenueID) -> Int? {
        let index = Int(symbol.rawValue) &* venueStride &+ Int(venue.rawValue)
        guard Int(venue.rawValue) < venueStride, index < slotIndex.count, slotIndex[index] >= 0 else { return nil }
        return Int(slotIndex[index])
    }

    /// Calls `body` with the slot of every book of `symbol` that is live (has a snapshot and is not crossed).
    public func forEachLiveBook(symbol: SymbolID, _ body: (Int) throws -> Void) rethrows {
        let row = Int(symbol.rawValue) &* venueStride
        guard row < slotIndex.count else { return }
        for venue in 0..<venueStride where row &+ venue < slotIndex.count {
            let slot = slotIndex[row &+ venue]
            if slot >= 0 && live[Int(slot)] { try body(Int(slot)) }
        }
    }

    /// Whether the book in `slot` is live.
    public func isLive(slot: Int) -> Bool { live[slot] }
    /// The venue of the book in `slot`.
    public func venue(slot: Int) -> VenueID { VenueID(rawValue: slotVenue[slot]) }
    /// The symbol of the book in `slot`.
    public func symbol(slot: Int) -> SymbolID { SymbolID(rawValue: slotSymbol[slot]) }
    /// Exchange time of the last message applied to the book in `slot`.
    public func lastUpdate(slot: Int) -> Int64 { lastTime[slot] }

    /// Calls `body` with the bid prices (descending) and sizes of the book in `slot`.
    public func withBids<R>(
        slot: Int, _ body: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>) throws -> R
    ) rethrows -> R {
        try Self.withSide(bidPrice, bidSize, start: slot &* depth, count: Int(bidCount[slot]), body)
    }

    /// Calls `body` with the ask prices (ascending) and sizes of the book in `slot`.
    public func withAsks<R>(
        slot: Int, _ body: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>) throws -> R
    ) rethrows -> R {
        try Self.withSide(askPrice, askSize, start: slot &* depth, count: Int(askCount[slot]), body)
    }

    private static func withSide<R>(
        _ prices: [Double], _ sizes: [Double], start: Int, count: Int,
        _ body: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>) throws -> R
    ) rethrows -> R {
        try prices.withUnsafeBufferPointer { p in
            try sizes.withUnsafeBufferPointer { s in
                try body(UnsafeBufferPointer(rebasing: p[start..<(start &+ count)]),
                         UnsafeBufferPointer(rebasing: s[start..<(start &+ count)]))
            }
        }
    }

    /// Best bid and ask of the book in `slot` (NaN for an empty side).
    public func top(slot: Int) -> (bid: Double, ask: Double) {
        let base = slot &* depth
        return (bidCount[slot] > 0 ? bidPrice[base] : .nan, askCount[slot] > 0 ? askPrice[base] : .nan)
    }

    /// Applies one decoded book message to the pair's book.
    ///
    /// - Throws: ``RejectionReason/bookGap``, ``RejectionReason/crossedBook``, ``RejectionReason/outOfOrder``,
    ///   ``RejectionReason/bookCapExceeded``; a rejected message leaves no level changed, except that a crossed
    ///   result drops the book.
    public mutating func apply(
        symbol: SymbolID, venue: VenueID, time: Int64, isSnapshot: Bool, levels: BookLevelBuffer
    ) throws(RejectionReason) {
        var slot = self.slot(symbol: symbol, venue: venue) ?? -1
        if slot < 0 {
            guard isSnapshot else { throw .bookGap }
            guard Int(venue.rawValue) < venueStride else { throw .invalidVenue }
            guard count < maximumBooks else { throw .bookCapExceeded }
            slot = addSlot(symbol: symbol, venue: venue)
        }
        guard time >= lastTime[slot] else { throw .outOfOrder }
        if !isSnapshot && !live[slot] { throw .bookGap }
        let base = slot &* depth
        var bids = Int(bidCount[slot])
        var asks = Int(askCount[slot])
        if isSnapshot {
            bids = 0
            asks = 0
        }
        for i in 0..<levels.bidPrices.count {
            Self.set(price: levels.bidPrices[i], size: levels.bidSizes[i], descending: true, base: base,
                     depth: depth, count: &bids, prices: &bidPrice, sizes: &bidSize)
        }
        for i in 0..<levels.askPrices.count {
            Self.set(price: levels.askPrices[i], size: levels.askSizes[i], descending: false, base: base,
                     depth: depth, count: &asks, prices: &askPrice, sizes: &askSize)
        }
        bidCount[slot] = Int32(bids)
        askCount[slot] = Int32(asks)
        lastTime[slot] = time
        if bids > 0 && asks > 0 && bidPrice[base] >= askPrice[base] {
            live[slot] = false
            bidCount[slot] = 0
            askCount[slot] = 0
            throw .crossedBook
        }
        live[slot] = true
    }

    private mutating func addSlot(symbol: SymbolID, venue: VenueID) -> Int {
        let slot = slotSymbol.count
        let index = Int(symbol.rawValue) &* venueStride &+ Int(venue.rawValue)
        if index >= slotIndex.count {
            // Grows by whole symbol rows.
            let rows = Int(symbol.rawValue) &+ 1
            slotIndex.append(contentsOf: repeatElement(-1, count: rows &* venueStride &- slotIndex.count))
        }
        slotIndex[index] = Int32(slot)
        slotSymbol.append(symbol.rawValue)
        slotVenue.append(venue.rawValue)
        bidCount.append(0)
        askCount.append(0)
        live.append(false)
        lastTime.append(.min)
        bidPrice.append(contentsOf: repeatElement(0, count: depth))
        bidSize.append(contentsOf: repeatElement(0, count: depth))
        askPrice.append(contentsOf: repeatElement(0, count: depth))
        askSize.append(contentsOf: repeatElement(0, count: depth))
        return slot
    }

    /// Sets one price's size on a sorted side of at most `depth` levels (size 0 removes it).
    @inline(__always)
    private static func set(
        price: Double, size: Double, descending: Bool, base: Int, depth: Int, count: inout Int,
        prices: inout [Double], sizes: inout [Double]
    ) {
        // Position of the first level not better than `price` (binary search on the sorted side).
        var low = 0
        var high = count
        while low < high {
            let middle = (low &+ high) &>> 1
            let level = prices[base &+ middle]
            if descending ? level > price : level < price { low = middle &+ 1 } else { high = middle }
        }
        let position = low
        if position < count && prices[base &+ position] == price {
            if size > 0 {
                sizes[base &+ position] = size
            } else {
                var i = position
                while i &+ 1 < count {
                    prices[base &+ i] = prices[base &+ i &+ 1]
                    sizes[base &+ i] = sizes[base &+ i &+ 1]
                    i &+= 1
                }
                count &-= 1
            }
            return
        }
        guard size > 0, position < depth else { return }
        var i = min(count, depth &- 1)
        while i > position {
            prices[base &+ i] = prices[base &+ i &- 1]
            sizes[base &+ i] = sizes[base &+ i &- 1]
            i &-= 1
        }
        prices[base &+ position] = price
        sizes[base &+ position] = size
        if count < depth { count &+= 1 }
    }
}
