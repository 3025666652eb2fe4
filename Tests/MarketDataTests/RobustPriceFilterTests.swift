import FulcrumTestSupport
import MarketData
import Testing

@Suite("RobustPriceFilter")
struct RobustPriceFilterTests {
    let symbol = SymbolID(rawValue: 0)
    let millisecond: Int64 = 1_000_000

    func evaluate(
        _ filter: inout RobustPriceFilter, venue: UInt32, price: Double, at time: Int64
    ) -> RobustPriceFilter.Decision {
        filter.evaluate(Tick(
            symbol: symbol, venue: VenueID(rawValue: venue), price: price, exchangeTime: time,
            receiptTime: time + millisecond))
    }

    func isAccepted(_ decision: RobustPriceFilter.Decision) -> Bool {
        if case .accepted = decision { return true }
        return false
    }

    /// Warms up `venues` venues quoting around `level` with small noise, every 100 ms for `seconds`.
    func warmUp(
        _ filter: inout RobustPriceFilter, venues: UInt32, level: Double = 100, seconds: Int64 = 5,
        rng: inout SplitMix64
    ) -> Int64 {
        var time = baseTime
        for _ in 0..<(seconds * 10) {
            for venue in 0..<venues {
                let noisy = level * (1 + Double.random(in: -0.0002...0.0002, using: &rng))
                #expect(isAccepted(evaluate(&filter, venue: venue, price: noisy, at: time)))
                time += millisecond
            }
            time += 100 * millisecond
        }
        return time
    }

    @Test("the first price of a symbol bootstraps the reference")
    func bootstrap() {
        var filter = RobustPriceFilter()
        #expect(evaluate(&filter, venue: 0, price: 42, at: baseTime) == .accepted(referencePrice: 42, .bootstrap))
        #expect(filter.referencePrice(for: symbol) == 42)
    }

    @Test("a wrong first price is replaced by the genuine level at the venue's next tick")
    func badBootstrap() throws {
        var filter = RobustPriceFilter()
        #expect(evaluate(&filter, venue: 0, price: 1_000, at: baseTime) == .accepted(referencePrice: 1_000, .bootstrap))
        let first = baseTime + 100 * millisecond
        #expect(evaluate(&filter, venue: 0, price: 100, at: first).isHeld)
        #expect(filter.takeResolution() == nil)
        #expect(evaluate(&filter, venue: 0, price: 100, at: first + 100 * millisecond)
            == .accepted(referencePrice: 100, .withinBand))
        guard case .confirmed(let held, _) = filter.takeResolution() else {
            Issue.record("the held tick was not confirmed")
            return
        }
        #expect(held.exchangeTime == first && held.robustPrice == 100)
    }

    @Test("a single-tick spike from a lone venue is held, then quarantined when the next tick reverts")
    func loneSpike() throws {
        var filter = RobustPriceFilter()
        var rng = SplitMix64(seed: 31)
        var time = warmUp(&filter, venues: 1, rng: &rng)
        let decision = evaluate(&filter, venue: 0, price: 110, at: time)
        #expect(decision.isHeld)
        #expect(filter.streamStatus(symbol: symbol, venue: VenueID(rawValue: 0))?.quarantinedPrice == 110)
        time += 100 * millisecond
        #expect(isAccepted(evaluate(&filter, venue: 0, price: 100.01, at: time)))
        guard case .quarantined(let spike, _) = filter.takeResolution() else {
            Issue.record("the spike was not quarantined")
            return
        }
        #expect(spike.price == 110)
        let reference = try #require(filter.referencePrice(for: symbol))
        #expect(reference.isApproximatelyEqual(to: 100.01, relativeTolerance: 1e-9))
        #expect(filter.venueStatus(VenueID(rawValue: 0))?.quarantinedCount == 1)
    }

    @Test("a lone venue's move that persists is accepted at its next tick and booked from its first")
    func lonePersistentMove() throws {
        var filter = RobustPriceFilter()
        var rng = SplitMix64(seed: 33)
        var time = warmUp(&filter, venues: 1, rng: &rng)
        let start = time
        #expect(evaluate(&filter, venue: 0, price: 103, at: start).isHeld)
        time += 100 * millisecond
        #expect(evaluate(&filter, venue: 0, price: 103.01, at: time) == .accepted(referencePrice: 103.01, .withinBand))
        guard case .confirmed(let held, _) = filter.takeResolution() else {
            Issue.record("the move was not confirmed")
            return
        }
        #expect(held.exchangeTime == start && held.price == 103 && held.robustPrice == 103)
        #expect(filter.venueStatus(VenueID(rawValue: 0))?.quarantinedCount == 0)
    }

    @Test("a lone venue's move that goes on beyond the band confirms the first step and holds the second")
    func loneContinuingMove() throws {
        var filter = RobustPriceFilter()
        var rng = SplitMix64(seed: 34)
        var time = warmUp(&filter, venues: 1, rng: &rng)
        #expect(evaluate(&filter, venue: 0, price: 103, at: time).isHeld)
        time += 100 * millisecond
        #expect(evaluate(&filter, venue: 0, price: 106.1, at: time).isHeld)
        guard case .confirmed(let held, _) = filter.takeResolution() else {
            Issue.record("the first step was not confirmed")
            return
        }
        #expect(held.price == 103)
        #expect(try #require(filter.referencePrice(for: symbol)) == 103)
    }

    @Test("with another fresh venue, a deviating venue is quarantined until confirmed, never held")
    func severalVenuesStillQuarantine() throws {
        var filter = RobustPriceFilter()
        var rng = SplitMix64(seed: 35)
        var time = warmUp(&filter, venues: 3, rng: &rng)
        for _ in 0..<5 {
            #expect(evaluate(&filter, venue: 2, price: 110, at: time).isQuarantine)
            #expect(filter.takeResolution() == nil)
            time += 100 * millisecond
        }
        #expect(try #require(filter.referencePrice(for: symbol)) < 100.1)
    }

    @Test("a market-wide jump is accepted as soon as a second venue confirms it")
    func marketWideJump() throws {
        var filter = RobustPriceFilter()
        var rng = SplitMix64(seed: 34)
        var time = warmUp(&filter, venues: 3, rng: &rng)
        #expect(evaluate(&filter, venue: 0, price: 103, at: time).isQuarantine)
        time += 5 * millisecond
        let confirmed = evaluate(&filter, venue: 1, price: 103.01, at: time)
        guard case .accepted(let reference, let how) = confirmed else {
            Issue.record("expected acceptance, got \(confirmed)")
            return
        }
        #expect(how == .confirmedByVenues)
        // Venue 0's quarantined price was promoted: the median of {103, 103.01, ~100} is 103.
        #expect(reference.isApproximatelyEqual(to: 103, relativeTolerance: 1e-12))
        time += 5 * millisecond
        #expect(isAccepted(evaluate(&filter, venue: 2, price: 103.02, at: time)))
        #expect(try #require(filter.referencePrice(for: symbol))
            .isApproximatelyEqual(to: 103.01, relativeTolerance: 1e-12))
    }

    @Test("a venue stuck at a wrong level is never accepted while another venue trades the old level")
    func contradictedVenue() throws {
        for venues: UInt32 in [2, 3] {
            var filter = RobustPriceFilter()
            var rng = SplitMix64(seed: 35)
            var time = warmUp(&filter, venues: venues, rng: &rng)
            for _ in 0..<100 {
                #expect(evaluate(&filter, venue: 1, price: 150, at: time).isQuarantine)
                time += 100 * millisecond
                for venue in 0..<venues where venue != 1 {
                    #expect(isAccepted(evaluate(&filter, venue: venue, price: 100, at: time)))
                }
                time += 100 * millisecond
            }
            #expect(try #require(filter.referencePrice(for: symbol))
                .isApproximatelyEqual(to: 100, relativeTolerance: 1e-3))
            let status = try #require(filter.streamStatus(symbol: symbol, venue: VenueID(rawValue: 1)))
            #expect(status.quarantinedPrice == 150)
            #expect(try #require(filter.symbolStatus(symbol)).quarantinedVenueCount == 1)
        }
    }

    @Test("the reference is the median of fresh venues; stale venues drop out")
    func medianAndStaleness() throws {
        var filter = RobustPriceFilter(configuration: RobustPriceFilterConfiguration(deviationThreshold: 1_000))
        let t0 = baseTime
        _ = evaluate(&filter, venue: 0, price: 100, at: t0)
        _ = evaluate(&filter, venue: 1, price: 101, at: t0 + 1)
        _ = evaluate(&filter, venue: 2, price: 110, at: t0 + 2)
        #expect(filter.referencePrice(for: symbol) == 101)
        _ = evaluate(&filter, venue: 3, price: 102, at: t0 + 3)
        #expect(try #require(filter.referencePrice(for: symbol))
            .isApproximatelyEqual(to: 101.5, relativeTolerance: 1e-12))
        // Venues 0, 1 and 3 go quiet; venue 2 keeps ticking past the stale horizon.
        let later = t0 + filter.configuration.staleAfter + second
        _ = evaluate(&filter, venue: 2, price: 109, at: later)
        #expect(filter.referencePrice(for: symbol) == 109)
        let status = try #require(filter.symbolStatus(symbol))
        #expect(status.freshVenueCount == 1)
        #expect(status.lastAcceptedExchangeTime == later)
        #expect(status.lastAcceptedReceiptTime == later + millisecond)
        #expect(status.eventClock == later)
        let venueStatus = try #require(filter.venueStatus(VenueID(rawValue: 0)))
        #expect(venueStatus.lastAcceptedExchangeTime == t0)
        #expect(venueStatus.acceptedCount == 1)
        #expect(try #require(filter.streamStatus(symbol: symbol, venue: VenueID(rawValue: 0))).isFresh == false)
        #expect(filter.venueStatus(VenueID(rawValue: 9)) == nil)
        #expect(filter.symbolStatus(SymbolID(rawValue: 9)) == nil)
    }

    @Test("the robust scale follows the market's noise, within its floor and ceiling")
    func scaleAdapts() throws {
        var filter = RobustPriceFilter()
        var rng = SplitMix64(seed: 36)
        var time = baseTime
        var price = 100.0
        for _ in 0..<3_000 {
            // Ticks moving about ±1 % relative to the previous one.
            let step = Double.random(in: -0.01...0.01, using: &rng)
            price *= 1 + step
            _ = evaluate(&filter, venue: 0, price: price, at: time)
            time += 100 * millisecond
        }
        let noisy = try #require(filter.symbolStatus(symbol)).robustScale
        #expect(noisy > 0.004)
        #expect(noisy <= filter.configuration.scaleCeiling)
        // Wild input cannot push the scale past the ceiling.
        for index in 0..<1_000 {
            _ = evaluate(&filter, venue: 0, price: index.isMultiple(of: 2) ? 1 : 1_000, at: time)
            time += 10 * second
        }
        #expect(try #require(filter.symbolStatus(symbol)).robustScale <= filter.configuration.scaleCeiling)
        // A quiet market brings it down to the floor.
        for _ in 0..<3_000 {
            _ = evaluate(&filter, venue: 0, price: 50, at: time)
            time += 100 * millisecond
        }
        let quiet = try #require(filter.symbolStatus(symbol)).robustScale
        #expect(quiet.isApproximatelyEqual(to: filter.configuration.scaleFloor, relativeTolerance: 1e-12))
    }

    @Test("each tick, however extreme, moves the scale by at most one step")
    func boundedInfluence() throws {
        var filter = RobustPriceFilter()
        var rng = SplitMix64(seed: 37)
        var time = warmUp(&filter, venues: 2, rng: &rng)
        let step = 1 + filter.configuration.scaleAdaptation
        for (venue, price) in [(0, 200.0), (1, 200.0), (0, 1e-6), (1, 5e9)] {
            let before = try #require(filter.symbolStatus(symbol)).robustScale
            _ = evaluate(&filter, venue: UInt32(venue), price: price, at: time)
            let after = try #require(filter.symbolStatus(symbol)).robustScale
            #expect(after <= before * step * (1 + 1e-12))
            time += millisecond
        }
    }

    /// The reference price and acceptance of a decision, with the price as bits: the two filters below must
    /// agree exactly, not approximately.
    func bits(_ decision: RobustPriceFilter.Decision) -> (UInt64, RobustPriceFilter.Acceptance?, Bool) {
        switch decision {
        case .accepted(let reference, let how): (reference.bitPattern, how, false)
        case .quarantined(let reference): (reference.bitPattern, nil, false)
        case .held(let reference): (reference.bitPattern, nil, true)
        }
    }

    @Test("a symbol quoted by one venue is judged as by the path that gathers other venues, bit for bit")
    func soleVenueMatchesGatheringPath() throws {
        // `sole` sees venue 0 only. `gathering` also took one tick from venue 1 at the start, stale ever after,
        // so each of its ticks goes through the gather of other venues, which finds none fresh.
        var sole = RobustPriceFilter()
        var gathering = RobustPriceFilter()
        let staleAfter = sole.configuration.staleAfter
        var rng = SplitMix64(seed: 7)
        var time = baseTime
        #expect(bits(evaluate(&sole, venue: 0, price: 100, at: time))
            == bits(evaluate(&gathering, venue: 1, price: 100, at: time)))
        time += 3 * staleAfter + millisecond
        var level = 100.0
        var kinds: [RobustPriceFilter.Acceptance?: Int] = [:]
        var held = 0
        for _ in 0..<20_000 {
            switch Int.random(in: 0..<100, using: &rng) {
            case 0: level *= 1.1
            case 1: time += staleAfter + millisecond
            default: level *= 1 + 0.0005 * Double.random(in: -1...1, using: &rng)
            }
            let price = Int.random(in: 0..<50, using: &rng) == 0 ? level * 1.5 : level
            // Now and then a tick older than the staleness window: its own price is not fresh after it.
            let at = Int.random(in: 0..<200, using: &rng) == 0 ? time - 2 * staleAfter : time
            let decision = bits(evaluate(&sole, venue: 0, price: price, at: at))
            #expect(decision == bits(evaluate(&gathering, venue: 0, price: price, at: at)))
            #expect(sole.takeResolution() == gathering.takeResolution())
            kinds[decision.1, default: 0] += 1
            if decision.2 { held += 1 }
            time += Int64.random(in: 1...200, using: &rng) * millisecond
        }
        #expect(kinds[.withinBand, default: 0] > 10_000)
        #expect(held > 100)
        let solo = try #require(sole.symbolStatus(symbol))
        let shared = try #require(gathering.symbolStatus(symbol))
        #expect(solo.referencePrice?.bitPattern == shared.referencePrice?.bitPattern)
        #expect(solo.robustScale.bitPattern == shared.robustScale.bitPattern)
        #expect(solo.eventClock == shared.eventClock)
        #expect(solo.lastAcceptedExchangeTime == shared.lastAcceptedExchangeTime)
        #expect(solo.lastAcceptedReceiptTime == shared.lastAcceptedReceiptTime)
        #expect(sole.streamStatus(symbol: symbol, venue: VenueID(rawValue: 0))
            == gathering.streamStatus(symbol: symbol, venue: VenueID(rawValue: 0)))
        // Venue 0 of `sole` also has the opening tick.
        let soleVenue = try #require(sole.venueStatus(VenueID(rawValue: 0)))
        let gatheringVenue = try #require(gathering.venueStatus(VenueID(rawValue: 0)))
        #expect(soleVenue.acceptedCount == gatheringVenue.acceptedCount + 1)
        #expect(soleVenue.quarantinedCount == gatheringVenue.quarantinedCount)
        #expect(soleVenue.lastAcceptedExchangeTime == gatheringVenue.lastAcceptedExchangeTime)
    }
}

extension RobustPriceFilter.Decision {
    var isQuarantine: Bool {
        if case .quarantined = self { return true }
        return false
    }

    var isHeld: Bool {
        if case .held = self { return true }
        return false
    }
}
