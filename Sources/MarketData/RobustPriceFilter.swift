/// Robust cross-venue reference prices with spike quarantine, per symbol.
///
/// **Reference.** The price used for a symbol is the median of its venues' latest accepted prices that are
/// fresh (no older than ``RobustPriceFilterConfiguration/staleAfter`` against the symbol's event clock, the
/// newest exchange time seen). With no fresh venue the last reference stands. A median of `n` venues ignores up
/// to `⌈n/2⌉ − 1` of them being arbitrarily wrong.
///
/// **Deviation test.** A tick at price `p` deviates from the reference `ref` when
/// `max(p/ref, ref/p) − 1 > k·σ`, a symmetric relative change (≈ |log(p/ref)| for small moves, computed without
/// logarithms). `σ = max(1.4826·m, floor)`, capped at the ceiling, where `m` tracks the median of the absolute
/// relative deviations of ticks from the reference with an exponentially weighted median tracker:
/// `m ← m·(1+η)` if the new deviation exceeds `m`, else `m ← m/(1+η)`, fed by every judged tick (quarantined
/// ones included, after the band that judged them was fixed). Its fixed point is where half of the deviations
/// lie above `m` (the median; 1.4826 turns a median absolute deviation into a normal σ), so a minority of
/// outlying ticks barely moves it, and one observation, however extreme, moves `m` by one factor `1+η` only.
/// The multiplicative step keeps `m > 0` and is scale-free; the ceiling bounds what a majority of garbage can do.
///
/// **A lone venue: spikes, not volatility.** When no other venue of the symbol is fresh, nobody can confirm a
/// move, and holding every move beyond the band for a while would filter genuine volatility away. A deviating
/// tick `H` is then *held* (``Decision/held(referencePrice:)``): neither used nor rejected until the venue's next
/// tick `T` of the symbol settles it. `H` was an isolated spike — quarantined — when `T` lies within the band of
/// the old reference and outside the band of `H`'s price (`T` reverted); otherwise the move persists and `H` is
/// accepted (``HeldTickResolution/confirmed(_:tag:)``) and to be booked at its own exchange time, so that no
/// return is lost or moved: with the grid's lateness at least the venue's tick spacing, the grid sees exactly the
/// prices it would have seen unfiltered. `T` is then judged against the reference after `H`'s settlement, and
/// may be held in turn. The band used is the one in force when `T` arrives. A spike of two or more consecutive
/// ticks at a level is taken for a move; a held tick is not checkpointed (a restart forgets it).
///
/// **Quarantine and confirmation (several venues).** A tick deviating from a median that other fresh venues
/// take part in is quarantined (not used) and remembered as its venue's pending level. It — and the pending
/// levels it agrees with — is accepted when:
/// - *other venues confirm it*: at least ``RobustPriceFilterConfiguration/confirmingVenues`` venues (this one
///   included) have recent pending levels within the band of `p`; or
/// - *it persists*: the venue has kept reporting prices within the band of its pending level for
///   ``RobustPriceFilterConfiguration/confirmationWindow`` of event time, counted from the later of the
///   quarantine's start and the last time another venue had a tick accepted (a venue still printing the old
///   level contradicts the new one and restarts the clock).
///
/// **Trade-off.** Among several venues, one venue cannot move the reference with a single spike or with any
/// excursion shorter than the confirmation window; with other venues trading the old level it cannot move it at
/// all, and with three or more venues the median would outvote it anyway. The price of this protection is delay:
/// a genuine market-wide jump larger than the band reaches the reference only when a second venue prints the new
/// level (typically milliseconds). A lone venue's move is delayed by one tick and then booked at its own time;
/// only one-tick spikes are removed. Moves inside the band — all ordinary trading — pass immediately. With
/// exactly two venues that disagree for good, the one still printing the established level wins; that is the
/// conservative choice for margins. The first price of a symbol is taken as it is (there is nothing to compare it
/// with); if it was wrong, the genuine level that follows is confirmed like any other move.
///
/// **Staleness.** The filter keeps the last accepted exchange and receipt time per symbol, per venue and per
/// stream (``symbolStatus(_:)``, ``venueStatus(_:)``, ``streamStatus(symbol:venue:)``) for the service to publish.
///
/// Cost per tick is O(v²) in the number `v` of venues quoting the symbol (one insertion sort of their prices in
/// a stack buffer yields the reference both before and after the tick), independent of history; all state is
/// plain values in flat arrays, and memory grows only when a new symbol or stream appears.
public struct RobustPriceFilter: Sendable {
    /// How an accepted tick was judged.
    public enum Acceptance: Sendable, Hashable {
        /// The first price of a symbol: there was no reference to compare with.
        case bootstrap
        /// Within the band around the reference.
        case withinBand
        /// A deviating level confirmed by other venues.
        case confirmedByVenues
        /// A deviating level confirmed by persisting for the confirmation window.
        case confirmedByPersistence
    }

    /// The filter's verdict on one tick.
    public enum Decision: Sendable, Hashable {
        /// The tick is used; `referencePrice` is the symbol's reference after it.
        case accepted(referencePrice: Double, Acceptance)
        /// The tick deviates and is not (yet) confirmed.
        case quarantined(referencePrice: Double)
        /// The tick deviates from the reference of a symbol no other venue is fresh for: the venue's next tick
        /// settles it (see the type's documentation and ``takeResolution()``).
        case held(referencePrice: Double)
    }

    /// One stream's state; streams of a symbol form a singly linked list through `next` in one flat array, so
    /// that all state is plain data (no nested arrays, no reference counting on the hot path).
    struct VenueSlot: Sendable {
        var venue: VenueID
        var next: Int32 = -1
        var lastPrice: Double = 0
        var lastAcceptedTime: Int64 = 0
        var lastReceiptTime: Int64 = 0
        var hasAccepted = false
        var hasPending = false
        var pendingPrice: Double = 0
        var pendingStart: Int64 = 0
        var pendingLast: Int64 = 0
        /// A lone venue's deviating tick awaiting the venue's next tick, and the tag it was evaluated with.
        var held: Tick?
        var heldTag: Int32 = 0
    }

    struct SymbolState: Sendable {
        var firstSlot: Int32 = -1
        var venueCount: Int32 = 0
        var clock: Int64 = .min
        var reference: Double = 0
        var medianDeviation: Double
        var lastAcceptedTime: Int64 = 0
        var lastReceiptTime: Int64 = 0
        var hasAccepted = false
    }

    struct VenueTotals: Sendable {
        var lastAcceptedTime: Int64 = .min
        var lastReceiptTime: Int64 = .min
        var accepted: UInt64 = 0
        var quarantined: UInt64 = 0
    }

    /// 1/Φ⁻¹(3/4): a normal distribution's σ divided by its median absolute deviation.
    public static let madToSigma = 1.4826

    /// The configuration in force.
    public let configuration: RobustPriceFilterConfiguration
    var symbols: [SymbolState] = []
    var slots: [VenueSlot] = []
    var venues: [VenueTotals] = []
    /// How the last ``evaluate(_:tag:)`` settled a held tick, if it did.
    public private(set) var resolution: HeldTickResolution?
    private let stepUp: Double
    private let stepDown: Double
    private let minimumDeviation: Double
    private let maximumDeviation: Double
    private let sigmaCeiling: Double

    /// Creates a filter with no history.
    public init(configuration: RobustPriceFilterConfiguration = RobustPriceFilterConfiguration()) {
        self.configuration = configuration
        stepUp = 1 + configuration.scaleAdaptation
        stepDown = 1 / (1 + configuration.scaleAdaptation)
        minimumDeviation = configuration.scaleFloor / Self.madToSigma
        sigmaCeiling = max(configuration.scaleCeiling, configuration.scaleFloor)
        maximumDeviation = sigmaCeiling / Self.madToSigma
    }

    /// The settlement of a held tick by the last ``evaluate(_:tag:)``, once: read it after every evaluation.
    public mutating func takeResolution() -> HeldTickResolution? {
        guard let settled = resolution else { return nil }
        resolution = nil
        return settled
    }

    /// Judges one validated tick and updates the symbol's state; see the type's documentation. `tag` is kept with
    /// a held tick and returned with its settlement (the ingestor passes the feed index).
    public mutating func evaluate(_ tick: Tick, tag: Int32 = 0) -> Decision {
        let s = tick.symbol.index
        if s >= symbols.count {
            let fresh = SymbolState(medianDeviation: minimumDeviation)
            symbols.append(contentsOf: repeatElement(fresh, count: s &+ 1 &- symbols.count))
        }
        if tick.venue.index >= venues.count {
            venues.append(contentsOf: repeatElement(VenueTotals(), count: tick.venue.index &+ 1 &- venues.count))
        }
        if let decision = evaluateSoleVenue(tick, symbol: s) { return decision }
        var state = symbols[s]
        let v = slotIndex(of: tick.venue, in: &state)
        state.clock = max(state.clock, tick.exchangeTime)
        let now = state.clock
        let p = tick.price
        if let held = slots[v].held { settle(held, by: p, state: &state, slot: v, now: now) }

        // One sorted gather of the other venues gives both the reference before this tick and, for the usual
        // outcomes, the reference after it (this venue's price replaced by p).
        let current = slots[v]
        let ownBefore: Double? = current.hasAccepted
            && TickValidator.saturatingDifference(now, current.lastAcceptedTime) <= configuration.staleAfter
            ? current.lastPrice : nil
        let ownAfter: Double? = TickValidator.saturatingDifference(now, tick.exchangeTime) <= configuration.staleAfter
            ? p : nil
        let (medianBefore, medianAfter, others) = withPriceBuffer(state) { buffer -> (Double?, Double?, Int) in
            let n = sortedFreshPrices(from: state.firstSlot, excluding: v, at: now, into: buffer)
            return (
                Self.median(of: buffer, count: n, adding: ownBefore),
                Self.median(of: buffer, count: n, adding: ownAfter), n)
        }
        let referenceBefore = medianBefore ?? (state.reference > 0 ? state.reference : nil)
        guard let reference = referenceBefore else {
            return accept(tick, state: &state, symbol: s, slot: v, now: now, referenceAfter: medianAfter, .bootstrap)
        }
        let sigma = min(max(Self.madToSigma * state.medianDeviation, configuration.scaleFloor), sigmaCeiling)
        let band = 1 + configuration.deviationThreshold * sigma
        // Every judged tick feeds the tracker, after the band it is judged by was fixed: a quarantine that no
        // tick could lift would otherwise freeze the scale of a market more volatile than the floor assumed.
        let deviation = max(p / reference, reference / p) - 1
        let m = state.medianDeviation
        state.medianDeviation = min(max(deviation > m ? m * stepUp : m * stepDown, minimumDeviation), maximumDeviation)
        if Self.isWithin(p, of: reference, band: band) {
            return accept(tick, state: &state, symbol: s, slot: v, now: now, referenceAfter: medianAfter, .withinBand)
        }

        // Deviating, with no other fresh venue to confirm or contradict it: the venue's next tick settles it.
        if others == 0 {
            slots[v].held = tick
            slots[v].heldTag = tag
            symbols[s] = state
            return .held(referencePrice: reference)
        }

        // Deviating: do other venues' recent pending levels agree?
        let window = configuration.confirmationWindow
        var agreeing = 1
        var u = state.firstSlot
        while u >= 0 {
            let other = slots[Int(u)]
            if Int(u) != v && agreesPending(other, with: p, now: now, window: window, band: band) { agreeing &+= 1 }
            u = other.next
        }
        if agreeing >= configuration.confirmingVenues {
            u = state.firstSlot
            while u >= 0 {
                var other = slots[Int(u)]
                if Int(u) != v && agreesPending(other, with: p, now: now, window: window, band: band) {
                    other.lastPrice = other.pendingPrice
                    other.lastAcceptedTime = other.pendingLast
                    other.hasAccepted = true
                    other.hasPending = false
                    slots[Int(u)] = other
                }
                u = other.next
            }
            // Other venues' prices changed: the reference after needs a fresh gather.
            return accept(tick, state: &state, symbol: s, slot: v, now: now, referenceAfter: nil, .confirmedByVenues)
        }

        // Does the venue's own level persist?
        var mine = current
        if mine.hasPending && Self.isWithin(p, of: mine.pendingPrice, band: band) {
            mine.pendingPrice = p
            mine.pendingLast = max(mine.pendingLast, tick.exchangeTime)
            slots[v] = mine
            var start = mine.pendingStart
            u = state.firstSlot
            while u >= 0 {
                let other = slots[Int(u)]
                if Int(u) != v && other.hasAccepted { start = max(start, other.lastAcceptedTime) }
                u = other.next
            }
            if TickValidator.saturatingDifference(tick.exchangeTime, start) >= window {
                return accept(
                    tick, state: &state, symbol: s, slot: v, now: now, referenceAfter: medianAfter,
                    .confirmedByPersistence)
            }
        } else {
            mine.pendingPrice = p
            mine.pendingStart = tick.exchangeTime
            mine.pendingLast = tick.exchangeTime
            mine.hasPending = true
            slots[v] = mine
        }
        symbols[s] = state
        venues[tick.venue.index].quarantined &+= 1
        return .quarantined(referencePrice: reference)
    }

    /// The common outcomes for a symbol quoted by this tick's venue alone, decided without gathering other venues.
    ///
    /// With one venue the general path's sorted gather is empty, so its medians reduce to the venue's own prices:
    /// the reference before the tick is the venue's last accepted price if fresh, the one after it is `p` if
    /// fresh. This path reaches the same decision and leaves the same state as ``evaluate(_:)`` for a bootstrap
    /// or an in-band tick, writing each field once in place; it returns `nil` and changes nothing when the symbol
    /// has other venues, the venue is new, or the tick deviates (the general path then judges it from the same
    /// state).
    @inline(__always)
    private mutating func evaluateSoleVenue(_ tick: Tick, symbol s: Int) -> Decision? {
        let state = symbols[s]
        guard state.venueCount == 1 else { return nil }
        let v = Int(state.firstSlot)
        let current = slots[v]
        guard current.venue == tick.venue, current.held == nil else { return nil }
        let now = max(state.clock, tick.exchangeTime)
        let p = tick.price
        let staleAfter = configuration.staleAfter
        let ownIsFresh = current.hasAccepted
            && TickValidator.saturatingDifference(now, current.lastAcceptedTime) <= staleAfter
        let referenceBefore: Double? = ownIsFresh ? current.lastPrice : (state.reference > 0 ? state.reference : nil)
        var medianDeviation = state.medianDeviation
        let how: Acceptance
        if let referenceBefore {
            let sigma = min(max(Self.madToSigma * medianDeviation, configuration.scaleFloor), sigmaCeiling)
            let band = 1 + configuration.deviationThreshold * sigma
            guard Self.isWithin(p, of: referenceBefore, band: band) else { return nil }
            // For positive prices the larger of p/ref and ref/p is p/ref exactly when p ≥ ref (correctly rounded
            // quotients are ≥ 1 and ≤ 1 respectively), so one division yields the same value as both.
            let deviation = p > 0 && referenceBefore > 0
                ? (p >= referenceBefore ? p / referenceBefore : referenceBefore / p) - 1
                : max(p / referenceBefore, referenceBefore / p) - 1
            let m = medianDeviation
            medianDeviation = min(max(deviation > m ? m * stepUp : m * stepDown, minimumDeviation), maximumDeviation)
            how = .withinBand
        } else {
            how = .bootstrap
        }
        // After the tick the venue's only price is p, fresh unless the tick itself is older than the window.
        let referenceAfter = TickValidator.saturatingDifference(now, tick.exchangeTime) <= staleAfter
            ? p : (state.reference > 0 ? state.reference : p)
        let exchangeTime = tick.exchangeTime
        let receiptTime = tick.receiptTime
        slots.withUnsafeMutableBufferPointer { slots in
            slots[v].lastPrice = p
            slots[v].lastAcceptedTime = exchangeTime
            slots[v].lastReceiptTime = receiptTime
            slots[v].hasAccepted = true
            slots[v].hasPending = false
        }
        symbols.withUnsafeMutableBufferPointer { symbols in
            symbols[s].clock = now
            symbols[s].medianDeviation = medianDeviation
            symbols[s].reference = referenceAfter
            symbols[s].lastAcceptedTime = state.hasAccepted ? max(state.lastAcceptedTime, exchangeTime) : exchangeTime
            symbols[s].lastReceiptTime = state.hasAccepted ? max(state.lastReceiptTime, receiptTime) : receiptTime
            symbols[s].hasAccepted = true
        }
        let w = tick.venue.index
        venues.withUnsafeMutableBufferPointer { venues in
            venues[w].lastAcceptedTime = max(venues[w].lastAcceptedTime, exchangeTime)
            venues[w].lastReceiptTime = max(venues[w].lastReceiptTime, receiptTime)
            venues[w].accepted &+= 1
        }
        return .accepted(referencePrice: referenceAfter, how)
    }

    /// The slot of `venue` in the symbol's list, appended if new (allocation only for a new stream).
    @inline(__always)
    private mutating func slotIndex(of venue: VenueID, in state: inout SymbolState) -> Int {
        if let existing = findSlot(of: venue, from: state.firstSlot) { return existing }
        return appendSlot(for: venue, to: &state)
    }

    @inline(__always)
    private func findSlot(of venue: VenueID, from first: Int32) -> Int? {
        var u = first
        while u >= 0 {
            if slots[Int(u)].venue == venue { return Int(u) }
            u = slots[Int(u)].next
        }
        return nil
    }

    @inline(never)
    private mutating func appendSlot(for venue: VenueID, to state: inout SymbolState) -> Int {
        var u = state.firstSlot
        var last: Int32 = -1
        while u >= 0 {
            last = u
            u = slots[Int(u)].next
        }
        let index = slots.count
        slots.append(VenueSlot(venue: venue))
        if last >= 0 { slots[Int(last)].next = Int32(truncatingIfNeeded: index) } else {
            state.firstSlot = Int32(truncatingIfNeeded: index)
        }
        state.venueCount &+= 1
        return index
    }

    @inline(__always)
    private func agreesPending(_ slot: VenueSlot, with p: Double, now: Int64, window: Int64, band: Double) -> Bool {
        slot.hasPending && TickValidator.saturatingDifference(now, slot.pendingLast) <= window
            && Self.isWithin(p, of: slot.pendingPrice, band: band)
    }

    /// Settles the venue's held tick by the price `p` of its next tick: quarantined when `p` reverted (within the
    /// band of the old reference and outside the band of the held price), otherwise accepted as its venue's
    /// latest price; see the type's documentation.
    private mutating func settle(_ held: Tick, by p: Double, state: inout SymbolState, slot v: Int, now: Int64) {
        let tag = slots[v].heldTag
        slots[v].held = nil
        let sigma = min(max(Self.madToSigma * state.medianDeviation, configuration.scaleFloor), sigmaCeiling)
        let band = 1 + configuration.deviationThreshold * sigma
        let old = slots[v].hasAccepted ? slots[v].lastPrice : state.reference
        if old > 0 && Self.isWithin(p, of: old, band: band) && !Self.isWithin(p, of: held.price, band: band) {
            venues[held.venue.index].quarantined &+= 1
            resolution = .quarantined(held, tag: tag)
            return
        }
        var mine = slots[v]
        mine.lastPrice = held.price
        mine.lastAcceptedTime = held.exchangeTime
        mine.lastReceiptTime = held.receiptTime
        mine.hasAccepted = true
        mine.hasPending = false
        slots[v] = mine
        let reference = median(of: state, at: now) ?? held.price
        state.reference = reference
        state.lastAcceptedTime = state.hasAccepted ? max(state.lastAcceptedTime, held.exchangeTime) : held.exchangeTime
        state.lastReceiptTime = state.hasAccepted ? max(state.lastReceiptTime, held.receiptTime) : held.receiptTime
        state.hasAccepted = true
        var totals = venues[held.venue.index]
        totals.lastAcceptedTime = max(totals.lastAcceptedTime, held.exchangeTime)
        totals.lastReceiptTime = max(totals.lastReceiptTime, held.receiptTime)
        totals.accepted &+= 1
        venues[held.venue.index] = totals
        var booked = held
        booked.robustPrice = reference
        resolution = .confirmed(booked, tag: tag)
    }

    /// Records an accepted tick. `referenceAfter` is the median with this tick's price if already known,
    /// `nil` to gather it again.
    private mutating func accept(
        _ tick: Tick, state: inout SymbolState, symbol s: Int, slot v: Int, now: Int64, referenceAfter: Double?,
        _ how: Acceptance
    ) -> Decision {
        let p = tick.price
        var mine = slots[v]
        mine.lastPrice = p
        mine.lastAcceptedTime = tick.exchangeTime
        mine.lastReceiptTime = tick.receiptTime
        mine.hasAccepted = true
        mine.hasPending = false
        slots[v] = mine
        let reference = referenceAfter ?? median(of: state, at: now) ?? (state.reference > 0 ? state.reference : p)
        state.reference = reference
        state.lastAcceptedTime = state.hasAccepted ? max(state.lastAcceptedTime, tick.exchangeTime) : tick.exchangeTime
        state.lastReceiptTime = state.hasAccepted ? max(state.lastReceiptTime, tick.receiptTime) : tick.receiptTime
        state.hasAccepted = true
        symbols[s] = state
        var totals = venues[tick.venue.index]
        totals.lastAcceptedTime = max(totals.lastAcceptedTime, tick.exchangeTime)
        totals.lastReceiptTime = max(totals.lastReceiptTime, tick.receiptTime)
        totals.accepted &+= 1
        venues[tick.venue.index] = totals
        return .accepted(referencePrice: reference, how)
    }

    /// `p` within a factor `band` of `reference` either way.
    @inline(__always)
    private static func isWithin(_ p: Double, of reference: Double, band: Double) -> Bool {
        p <= reference * band && p * band >= reference
    }

    @inline(__always)
    private func isFresh(_ slot: VenueSlot, at now: Int64) -> Bool {
        slot.hasAccepted && TickValidator.saturatingDifference(now, slot.lastAcceptedTime) <= configuration.staleAfter
    }

    /// Venues per symbol whose prices are sorted in a fixed-size stack buffer; more use a temporary allocation
    /// sized to the venue count (also on the stack for any realistic count).
    private static let inlineVenueCapacity = 16

    /// Calls `body` with a stack buffer large enough for one price per venue of the symbol.
    @inline(__always)
    private func withPriceBuffer<R>(
        _ state: SymbolState, _ body: (UnsafeMutableBufferPointer<Double>) -> R
    ) -> R {
        if Int(state.venueCount) <= Self.inlineVenueCapacity {
            return withUnsafeTemporaryAllocation(of: Double.self, capacity: Self.inlineVenueCapacity, body)
        }
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: Int(state.venueCount), body)
    }

    /// Sorts the latest accepted prices of the symbol's fresh venues, except slot `excluded`, into `buffer`
    /// (insertion sort); returns how many there are.
    @inline(__always)
    private func sortedFreshPrices(
        from first: Int32, excluding excluded: Int, at now: Int64, into buffer: UnsafeMutableBufferPointer<Double>
    ) -> Int {
        slots.withUnsafeBufferPointer { slots in
            var n = 0
            var u = first
            while u >= 0 && n < buffer.count {
                let index = Int(u)
                u = slots[index].next
                guard index != excluded, slots[index].hasAccepted,
                      TickValidator.saturatingDifference(now, slots[index].lastAcceptedTime) <= configuration.staleAfter
                else { continue }
                let price = slots[index].lastPrice
                var i = n
                while i > 0 && buffer[i &- 1] > price {
                    buffer[i] = buffer[i &- 1]
                    i &-= 1
                }
                buffer[i] = price
                n &+= 1
            }
            return n
        }
    }

    /// The median of the `n` sorted values in `buffer` plus `extra` if given, without modifying the buffer.
    /// For an even count it is the mean of the two middle values, computed as `a/2 + b/2` to stay finite.
    @inline(__always)
    private static func median(
        of buffer: UnsafeMutableBufferPointer<Double>, count n: Int, adding extra: Double?
    ) -> Double? {
        guard let x = extra else {
            guard n > 0 else { return nil }
            if n & 1 == 1 { return buffer[n &>> 1] }
            return buffer[(n &>> 1) &- 1] * 0.5 + buffer[n &>> 1] * 0.5
        }
        // Position of x in the merged order, and the merged sequence's i-th element.
        var j = 0
        while j < n && buffer[j] <= x { j &+= 1 }
        @inline(__always) func element(_ i: Int) -> Double { i < j ? buffer[i] : (i == j ? x : buffer[i &- 1]) }
        let m = n &+ 1
        if m & 1 == 1 { return element(m &>> 1) }
        return element((m &>> 1) &- 1) * 0.5 + element(m &>> 1) * 0.5
    }

    /// Median of the fresh venues' latest accepted prices.
    private func median(of state: SymbolState, at now: Int64) -> Double? {
        guard state.firstSlot >= 0 else { return nil }
        return withPriceBuffer(state) { buffer in
            let n = sortedFreshPrices(from: state.firstSlot, excluding: -1, at: now, into: buffer)
            return Self.median(of: buffer, count: n, adding: nil)
        }
    }

    private func slotIndex(of venue: VenueID, symbol: SymbolID) -> Int? {
        guard symbol.index < symbols.count else { return nil }
        var u = symbols[symbol.index].firstSlot
        while u >= 0 {
            if slots[Int(u)].venue == venue { return Int(u) }
            u = slots[Int(u)].next
        }
        return nil
    }

    // MARK: - Status

    /// The symbol's current reference price, if any tick was accepted.
    public func referencePrice(for symbol: SymbolID) -> Double? {
        guard symbol.index < symbols.count, symbols[symbol.index].reference > 0 else { return nil }
        return symbols[symbol.index].reference
    }

    /// Reference, staleness and health of one symbol; `nil` if it never had a tick.
    public func symbolStatus(_ symbol: SymbolID) -> SymbolPriceStatus? {
        guard symbol.index < symbols.count else { return nil }
        let state = symbols[symbol.index]
        guard state.firstSlot >= 0 else { return nil }
        var fresh = 0
        var quarantined = 0
        var u = state.firstSlot
        while u >= 0 {
            let slot = slots[Int(u)]
            if isFresh(slot, at: state.clock) { fresh &+= 1 }
            if slot.hasPending || slot.held != nil { quarantined &+= 1 }
            u = slot.next
        }
        return SymbolPriceStatus(
            referencePrice: state.reference > 0 ? state.reference : nil,
            eventClock: state.clock,
            lastAcceptedExchangeTime: state.hasAccepted ? state.lastAcceptedTime : nil,
            lastAcceptedReceiptTime: state.hasAccepted ? state.lastReceiptTime : nil,
            freshVenueCount: fresh,
            quarantinedVenueCount: quarantined,
            robustScale: min(max(Self.madToSigma * state.medianDeviation, configuration.scaleFloor), sigmaCeiling))
    }

    /// Staleness and counts of one venue across its symbols; `nil` if it never had a tick.
    public func venueStatus(_ venue: VenueID) -> VenuePriceStatus? {
        guard venue.index < venues.count else { return nil }
        let totals = venues[venue.index]
        guard totals.accepted > 0 || totals.quarantined > 0 else { return nil }
        return VenuePriceStatus(
            lastAcceptedExchangeTime: totals.accepted > 0 ? totals.lastAcceptedTime : nil,
            lastAcceptedReceiptTime: totals.accepted > 0 ? totals.lastReceiptTime : nil,
            acceptedCount: totals.accepted,
            quarantinedCount: totals.quarantined)
    }

    /// Latest accepted and quarantined price of one stream; `nil` if it never had a tick.
    public func streamStatus(symbol: SymbolID, venue: VenueID) -> StreamPriceStatus? {
        guard let v = slotIndex(of: venue, symbol: symbol) else { return nil }
        let slot = slots[v]
        return StreamPriceStatus(
            lastAcceptedPrice: slot.hasAccepted ? slot.lastPrice : nil,
            lastAcceptedExchangeTime: slot.hasAccepted ? slot.lastAcceptedTime : nil,
            lastAcceptedReceiptTime: slot.hasAccepted ? slot.lastReceiptTime : nil,
            quarantinedPrice: slot.held?.price ?? (slot.hasPending ? slot.pendingPrice : nil),
            isFresh: isFresh(slot, at: symbols[symbol.index].clock))
    }
}
