import MarginModel
import MarketData
import RealModule

/// What the market-data channels beyond prices say about each symbol, kept between grid steps and turned into
/// ``LiquidityInputs`` at each step (see ``LiquidityConfiguration`` for every formula).
///
/// Per symbol: the time-smoothed impact curve, the last open interest, mark and index price per venue, and the
/// liquidations of the cascade window. Events are recorded as they arrive (``record(_:)``); books are read from
/// the ingestor's ``OrderBooks`` only at grid steps (``inputs(symbol:books:now:price:)``), never per delta. After
/// warm-up (every symbol and venue seen) neither allocates; the curve arrays are reused in place as long as the
/// ``ImpactCurve`` handed out at the previous step has been dropped.
public struct LiquidityTracker: Sendable {
    /// The settings.
    public let configuration: LiquidityConfiguration

    struct VenueValues: Sendable {
        var venue: UInt32
        var openInterest = Double.nan
        var markPrice = Double.nan
        var indexPrice = Double.nan
        /// Exchange time of the last funding message (the mark's age, for the grid's `mark` source).
        var markTime = Int64.min
        /// Mid of the venue's last quote and its exchange time (for the grid's `mid` source).
        var quoteMid = Double.nan
        var quoteTime = Int64.min
    }

    struct SymbolState: Sendable {
        var smoothedLong: [Double] = []
        var smoothedShort: [Double] = []
        var lastCurveTime = Int64.min
        var venues: [VenueValues] = []
        var liquidationTimes: [Int64] = []
        var liquidationNotionals: [Double] = []
        var liquidationHead = 0
    }

    var states: [SymbolState] = []
    /// Per-venue costs of the step being computed, venue-major, and a column for the medians.
    private var scratchLong: [Double] = []
    private var scratchShort: [Double] = []
    var column: [Double] = []

    /// A tracker with no data.
    public init(configuration: LiquidityConfiguration) {
        self.configuration = configuration
    }

    /// Records one market-data event: open interest, mark and index prices replace the venue's last ones,
    /// liquidations join the window; book events change nothing here (the books live in the ingestor), candles
    /// are the caller's (traded volume).
    public mutating func record(_ event: MarketEvent) {
        let symbol = Int(event.symbol.rawValue)
        if symbol >= states.count {
            states.append(contentsOf: repeatElement(SymbolState(), count: symbol + 1 - states.count))
        }
        switch event.channel {
        case .openInterest:
            let v = venueIndex(symbol: symbol, venue: event.venue.rawValue)
            states[symbol].venues[v].openInterest = event.quantity
        case .funding:
            let v = venueIndex(symbol: symbol, venue: event.venue.rawValue)
            states[symbol].venues[v].markPrice = event.price
            states[symbol].venues[v].markTime = event.exchangeTime
            if let index = event.indexPrice { states[symbol].venues[v].indexPrice = index }
        case .liquidations:
            let notional = event.price * event.quantity
            guard notional.isFinite, notional > 0 else { return }
            states[symbol].liquidationTimes.append(event.exchangeTime)
            states[symbol].liquidationNotionals.append(notional)
        case .book, .candles:
            break
        }
    }

    mutating func venueIndex(symbol: Int, venue: UInt32) -> Int {
        if let index = states[symbol].venues.firstIndex(where: { $0.venue == venue }) { return index }
        states[symbol].venues.append(VenueValues(venue: venue))
        return states[symbol].venues.count - 1
    }

    /// The inputs of `symbol` at the grid boundary `now`: the impact curve of its fresh live books (updated within
    /// `bookStaleAfterNs`) smoothed into the curve kept from earlier steps, visible depth, open interest at the
    /// venues' mark prices (`price` where a venue has none), liquidated notional over the window before `now`,
    /// mark and index prices (index: the sources' where they publish one, else `price`).
    ///
    /// - Parameter price: the asset's last robust price (NaN when none).
    public mutating func inputs(symbol id: SymbolID, books: OrderBooks, now: Int64, price: Double) -> LiquidityInputs {
        let symbol = Int(id.rawValue)
        if symbol >= states.count {
            states.append(contentsOf: repeatElement(SymbolState(), count: symbol + 1 - states.count))
        }
        var result = LiquidityInputs()
        let points = configuration.impactNotionals.count

        // Per-venue walks of the fresh live books.
        var venues = 0
        var depths = 0.0
        var depthCount = 0
        books.forEachLiveBook(symbol: id) { slot in
            guard now &- books.lastUpdate(slot: slot) <= configuration.bookStaleAfterNs else { return }
            let top = books.top(slot: slot)
            guard top.bid.isFinite, top.ask.isFinite else { return }
            let mid = top.bid * 0.5 + top.ask * 0.5
            let needed = (venues + 1) * points
            if scratchLong.count < needed {
                scratchLong.append(contentsOf: repeatElement(0, count: needed - scratchLong.count))
                scratchShort.append(contentsOf: repeatElement(0, count: needed - scratchShort.count))
            }
            var depth = 0.0
            books.withBids(slot: slot) { prices, sizes in
                depth += BookWalk.depth(prices: prices, sizes: sizes)
                for i in 0..<points {
                    scratchLong[venues * points + i] = BookWalk.cost(
                        prices: prices, sizes: sizes, mid: mid, notional: configuration.impactNotionals[i], isBid: true)
                }
            }
            books.withAsks(slot: slot) { prices, sizes in
                depth += BookWalk.depth(prices: prices, sizes: sizes)
                for i in 0..<points {
                    scratchShort[venues * points + i] = BookWalk.cost(
                        prices: prices, sizes: sizes, mid: mid, notional: configuration.impactNotionals[i],
                        isBid: false)
                }
            }
            if column.count < needed { column.append(contentsOf: repeatElement(0, count: needed - column.count)) }
            column[depthCount] = depth
            depthCount += 1
            venues += 1
        }
        if depthCount > 0 { depths = Median.ofFirst(depthCount, in: &column) }

        if venues > 0 {
            var state = states[symbol]
            states[symbol] = SymbolState()
            let fresh = state.smoothedLong.count != points
            if fresh {
                state.smoothedLong = Array(repeating: 0, count: points)
                state.smoothedShort = Array(repeating: 0, count: points)
            }
            let halfLife = configuration.smoothingHalfLifeNs
            let elapsed = state.lastCurveTime == .min ? 0 : Double(max(now &- state.lastCurveTime, 0))
            let alpha = fresh || halfLife == 0 ? 1.0 : 1 - Double.exp2(-elapsed / Double(halfLife))
            for i in 0..<points {
                for v in 0..<venues { column[v] = scratchLong[v * points + i] }
                let long = Median.ofFirst(venues, in: &column)
                for v in 0..<venues { column[v] = scratchShort[v * points + i] }
                let short = Median.ofFirst(venues, in: &column)
                state.smoothedLong[i] += alpha * (long - state.smoothedLong[i])
                state.smoothedShort[i] += alpha * (short - state.smoothedShort[i])
            }
            state.lastCurveTime = now
            states[symbol] = state
            if state.smoothedLong.allSatisfy(\.isFinite) && state.smoothedShort.allSatisfy(\.isFinite) {
                result.impact = ImpactCurve(notionals: configuration.impactNotionals, longCost: state.smoothedLong,
                                            shortCost: state.smoothedShort)
            }
            result.visibleDepthNotional = depths
        }

        // Open interest, mark and index across venues.
        var openInterest = 0.0
        var hasOpenInterest = false
        var marks = 0
        var indexes = 0
        for venue in states[symbol].venues {
            let reference = venue.markPrice.isFinite ? venue.markPrice : price
            if venue.openInterest.isFinite, reference.isFinite {
                openInterest += venue.openInterest * reference
                hasOpenInterest = true
            }
        }
        if hasOpenInterest { result.openInterestNotional = openInterest }
        let venueCount = states[symbol].venues.count
        if column.count < venueCount { column.append(contentsOf: repeatElement(0, count: venueCount - column.count)) }
        for venue in states[symbol].venues where venue.markPrice.isFinite {
            column[marks] = venue.markPrice
            marks += 1
        }
        if marks > 0 { result.markPrice = Median.ofFirst(marks, in: &column) }
        for venue in states[symbol].venues where venue.indexPrice.isFinite {
            column[indexes] = venue.indexPrice
            indexes += 1
        }
        if indexes > 0 {
            result.indexPrice = Median.ofFirst(indexes, in: &column)
        } else if price.isFinite, price > 0 {
            result.indexPrice = price
        }

        result.liquidatedNotional = liquidatedNotional(symbol: symbol, now: now)
        return result
    }

    /// Liquidated notional with exchange time in (now − window, now + window] — events stamped after the boundary
    /// already arrived count too — dropping the ones before the window for good.
    private mutating func liquidatedNotional(symbol: Int, now: Int64) -> Double {
        let start = now &- configuration.cascadeWindowNs
        var head = states[symbol].liquidationHead
        let count = states[symbol].liquidationTimes.count
        while head < count && states[symbol].liquidationTimes[head] <= start { head += 1 }
        if head > 256 && head * 2 > count {
            states[symbol].liquidationTimes.removeSubrange(0..<head)
            states[symbol].liquidationNotionals.removeSubrange(0..<head)
            head = 0
        }
        states[symbol].liquidationHead = head
        var total = 0.0
        for i in head..<states[symbol].liquidationTimes.count { total += states[symbol].liquidationNotionals[i] }
        return total
    }
}
