extension RobustPriceFilter {
    /// The filter's whole memory as plain columns, for checkpointing: per symbol, per stream (venue slot) and per
    /// venue. Restoring it makes the filter judge the next tick exactly as the original would.
    public struct Checkpoint: Sendable, Hashable, Codable {
        /// Per-symbol columns.
        public struct Symbols: Sendable, Hashable, Codable {
            /// First slot of the symbol's stream list, −1 for none.
            public var firstSlot: [Int32] = []
            /// Number of slots in the list.
            public var venueCount: [Int32] = []
            /// Newest exchange time seen (the symbol's event clock), ns.
            public var clock: [Int64] = []
            /// Reference price (0 for none yet).
            public var reference: [Double] = []
            /// Tracked median absolute relative deviation.
            public var medianDeviation: [Double] = []
            /// Last accepted exchange time, ns.
            public var lastAcceptedTime: [Int64] = []
            /// Last accepted receipt time, ns.
            public var lastReceiptTime: [Int64] = []
            /// Whether a tick was ever accepted.
            public var hasAccepted: [Bool] = []
        }

        /// Per-stream columns.
        public struct Slots: Sendable, Hashable, Codable {
            /// The stream's venue identifier.
            public var venue: [UInt32] = []
            /// Next slot of the same symbol, −1 at the end.
            public var next: [Int32] = []
            /// Latest accepted price.
            public var lastPrice: [Double] = []
            /// Latest accepted exchange time, ns.
            public var lastAcceptedTime: [Int64] = []
            /// Latest accepted receipt time, ns.
            public var lastReceiptTime: [Int64] = []
            /// Whether a price was ever accepted.
            public var hasAccepted: [Bool] = []
            /// Whether a quarantined level is pending.
            public var hasPending: [Bool] = []
            /// The pending level.
            public var pendingPrice: [Double] = []
            /// Exchange time the pending level started, ns.
            public var pendingStart: [Int64] = []
            /// Latest exchange time at the pending level, ns.
            public var pendingLast: [Int64] = []
        }

        /// Per-venue columns.
        public struct Venues: Sendable, Hashable, Codable {
            /// Latest accepted exchange time, ns.
            public var lastAcceptedTime: [Int64] = []
            /// Latest accepted receipt time, ns.
            public var lastReceiptTime: [Int64] = []
            /// Ticks accepted.
            public var accepted: [UInt64] = []
            /// Ticks quarantined.
            public var quarantined: [UInt64] = []
        }

        /// Per-symbol state.
        public var symbols = Symbols()
        /// Per-stream state.
        public var slots = Slots()
        /// Per-venue totals.
        public var venues = Venues()
    }

    /// A copy of the filter's memory.
    public var checkpoint: Checkpoint {
        var result = Checkpoint()
        result.symbols = Checkpoint.Symbols(
            firstSlot: symbols.map(\.firstSlot), venueCount: symbols.map(\.venueCount), clock: symbols.map(\.clock),
            reference: symbols.map(\.reference), medianDeviation: symbols.map(\.medianDeviation),
            lastAcceptedTime: symbols.map(\.lastAcceptedTime), lastReceiptTime: symbols.map(\.lastReceiptTime),
            hasAccepted: symbols.map(\.hasAccepted))
        result.slots = Checkpoint.Slots(
            venue: slots.map(\.venue.rawValue), next: slots.map(\.next), lastPrice: slots.map(\.lastPrice),
            lastAcceptedTime: slots.map(\.lastAcceptedTime), lastReceiptTime: slots.map(\.lastReceiptTime),
            hasAccepted: slots.map(\.hasAccepted), hasPending: slots.map(\.hasPending),
            pendingPrice: slots.map(\.pendingPrice), pendingStart: slots.map(\.pendingStart),
            pendingLast: slots.map(\.pendingLast))
        result.venues = Checkpoint.Venues(
            lastAcceptedTime: venues.map(\.lastAcceptedTime), lastReceiptTime: venues.map(\.lastReceiptTime),
            accepted: venues.map(\.accepted), quarantined: venues.map(\.quarantined))
        return result
    }

    /// A filter with `configuration` and the memory of `checkpoint`.
    ///
    /// Throws ``MarketDataError/Code/invalidCheckpoint`` when columns differ in length, a slot link leaves the
    /// columns or the slot lists are not disjoint chains of the recorded lengths.
    public init(configuration: RobustPriceFilterConfiguration, restoring checkpoint: Checkpoint)
        throws(MarketDataError) {
        self.init(configuration: configuration)
        func fail(_ message: String) -> MarketDataError {
            MarketDataError(code: .invalidCheckpoint, message: "robust filter: \(message)", context: ["field": "filter"])
        }
        let s = checkpoint.symbols, v = checkpoint.slots, t = checkpoint.venues
        let symbolCount = s.firstSlot.count, slotCount = v.venue.count, venueCount = t.accepted.count
        guard [s.venueCount.count, s.clock.count, s.reference.count, s.medianDeviation.count,
               s.lastAcceptedTime.count, s.lastReceiptTime.count, s.hasAccepted.count].allSatisfy({ $0 == symbolCount }),
              [v.next.count, v.lastPrice.count, v.lastAcceptedTime.count, v.lastReceiptTime.count,
               v.hasAccepted.count, v.hasPending.count, v.pendingPrice.count, v.pendingStart.count,
               v.pendingLast.count].allSatisfy({ $0 == slotCount }),
              [t.lastAcceptedTime.count, t.lastReceiptTime.count, t.quarantined.count].allSatisfy({ $0 == venueCount })
        else { throw fail("columns differ in length") }
        var visited = [Bool](repeating: false, count: slotCount)
        for symbol in 0..<symbolCount {
            var index = s.firstSlot[symbol]
            var length: Int32 = 0
            while index >= 0 {
                guard Int(index) < slotCount, !visited[Int(index)] else { throw fail("slot list broken at \(index)") }
                visited[Int(index)] = true
                length += 1
                index = v.next[Int(index)]
            }
            guard index == -1, length == s.venueCount[symbol] else {
                throw fail("symbol \(symbol) lists \(length) slots, recorded \(s.venueCount[symbol])")
            }
            guard s.medianDeviation[symbol].isFinite, s.medianDeviation[symbol] > 0 else {
                throw fail("symbol \(symbol) has scale \(s.medianDeviation[symbol])")
            }
        }
        guard visited.allSatisfy({ $0 }) else { throw fail("slots no symbol links to") }
        guard v.venue.allSatisfy({ Int($0) < venueCount }) else { throw fail("a slot names an unknown venue") }
        symbols = (0..<symbolCount).map { i in
            SymbolState(
                firstSlot: s.firstSlot[i], venueCount: s.venueCount[i], clock: s.clock[i], reference: s.reference[i],
                medianDeviation: s.medianDeviation[i], lastAcceptedTime: s.lastAcceptedTime[i],
                lastReceiptTime: s.lastReceiptTime[i], hasAccepted: s.hasAccepted[i])
        }
        slots = (0..<slotCount).map { i in
            VenueSlot(
                venue: VenueID(rawValue: v.venue[i]), next: v.next[i], lastPrice: v.lastPrice[i],
                lastAcceptedTime: v.lastAcceptedTime[i], lastReceiptTime: v.lastReceiptTime[i],
                hasAccepted: v.hasAccepted[i], hasPending: v.hasPending[i], pendingPrice: v.pendingPrice[i],
                pendingStart: v.pendingStart[i], pendingLast: v.pendingLast[i])
        }
        venues = (0..<venueCount).map { i in
            VenueTotals(lastAcceptedTime: t.lastAcceptedTime[i], lastReceiptTime: t.lastReceiptTime[i],
                        accepted: t.accepted[i], quarantined: t.quarantined[i])
        }
    }
}
