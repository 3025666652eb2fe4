import MarketData
import Testing

@Suite("TickValidator")
struct TickValidatorTests {
    let btc = SymbolID(rawValue: 0)
    let binance = VenueID(rawValue: 0)

    func tick(
        price: Double = 100, bid: Double? = nil, ask: Double? = nil, size: Double? = nil,
        time: Int64 = baseTime, receipt: Int64 = baseTime, sequence: UInt64? = nil, venue: UInt32 = 0
    ) -> Tick {
        Tick(
            symbol: btc, venue: VenueID(rawValue: venue), price: price, bid: bid, ask: ask, size: size,
            exchangeTime: time, receiptTime: receipt, feedSequence: sequence)
    }

    @Test("value checks", arguments: [
        (Double.nan, nil, nil, nil, baseTime, RejectionReason.nonFinitePrice),
        (.infinity, nil, nil, nil, baseTime, .nonFinitePrice),
        (-.infinity, nil, nil, nil, baseTime, .nonFinitePrice),
        (0, nil, nil, nil, baseTime, .nonPositivePrice),
        (-0.0, nil, nil, nil, baseTime, .nonPositivePrice),
        (-5, nil, nil, nil, baseTime, .nonPositivePrice),
        (1e-13, nil, nil, nil, baseTime, .absurdMagnitude),
        (2e12, nil, nil, nil, baseTime, .absurdMagnitude),
        (100, Double.nan, 101, nil, baseTime, .invalidQuote),
        (100, 99, 0, nil, baseTime, .invalidQuote),
        (100, 99, 1e15, nil, baseTime, .absurdMagnitude),
        (100, 101, 100.5, nil, baseTime, .crossedQuote),
        (100, nil, nil, -1, baseTime, .invalidSize),
        (100, nil, nil, .nan, baseTime, .invalidSize),
        (100, nil, nil, nil, 0, .missingField),
        (100, nil, nil, nil, baseTime + 6 * second, .futureTimestamp),
        (100, nil, nil, nil, baseTime - 61 * second, .pastTimestamp),
        (100, nil, nil, nil, Int64.max, .futureTimestamp),
        (100, nil, nil, nil, Int64.min, .pastTimestamp),
    ] as [(Double, Double?, Double?, Double?, Int64, RejectionReason)])
    func valueChecks(price: Double, bid: Double?, ask: Double?, size: Double?, time: Int64, reason: RejectionReason) {
        let validator = TickValidator()
        #expect(throws: reason) {
            try validator.checkValues(price: price, bid: bid, ask: ask, size: size, exchangeTime: time, receiptTime: baseTime)
        }
    }

    @Test("values inside the bounds pass, including a locked quote and zero size")
    func valid() throws {
        let validator = TickValidator()
        try validator.checkValues(
            price: 100, bid: 100, ask: 100, size: 0, exchangeTime: baseTime + 5 * second, receiptTime: baseTime)
        try validator.checkValues(
            price: 1e-12, bid: nil, ask: nil, size: nil, exchangeTime: baseTime - 60 * second, receiptTime: baseTime)
    }

    @Test("duplicates by sequence number, and a publisher restart")
    func sequenceDuplicates() throws {
        var validator = TickValidator()
        try validator.validate(tick(time: baseTime, sequence: 10))
        #expect(throws: RejectionReason.duplicate) { try validator.validate(tick(time: baseTime, sequence: 10)) }
        #expect(throws: RejectionReason.duplicate) {
            try validator.validate(tick(price: 101, time: baseTime + 1, sequence: 9))
        }
        try validator.validate(tick(price: 101, time: baseTime + 1, sequence: 11))
        // A much newer tick with a small sequence number: the publisher restarted its counter.
        try validator.validate(tick(time: baseTime + 2 * second, sequence: 1))
        try validator.validate(tick(time: baseTime + 2 * second + 1, sequence: 2))
        #expect(throws: RejectionReason.duplicate) {
            try validator.validate(tick(time: baseTime + 2 * second + 2, sequence: 2))
        }
    }

    @Test("duplicates without sequence numbers: same time and price")
    func timePriceDuplicates() throws {
        var validator = TickValidator()
        try validator.validate(tick(price: 100, time: baseTime))
        #expect(throws: RejectionReason.duplicate) { try validator.validate(tick(price: 100, time: baseTime)) }
        try validator.validate(tick(price: 100.5, time: baseTime))
        try validator.validate(tick(price: 100.5, time: baseTime + 1))
    }

    @Test("out of order: older than the stream's last tick; streams are independent")
    func outOfOrder() throws {
        var validator = TickValidator()
        try validator.validate(tick(time: baseTime))
        #expect(throws: RejectionReason.outOfOrder) { try validator.validate(tick(price: 99, time: baseTime - 1)) }
        #expect(throws: RejectionReason.outOfOrder) {
            try validator.validate(tick(price: 99, time: baseTime - 1, sequence: 5))
        }
        try validator.validate(tick(price: 99, time: baseTime - 1, venue: 1))
        #expect(validator.lastExchangeTime(symbol: btc, venue: binance) == baseTime)
    }

    @Test("custom bounds apply")
    func customBounds() {
        let validator = TickValidator(configuration: ValidationConfiguration(
            minimumPrice: 1, maximumPrice: 10, maximumFutureSkew: 0, maximumAge: 1))
        #expect(throws: RejectionReason.absurdMagnitude) { try validator.checkValues(tick(price: 11)) }
        #expect(throws: RejectionReason.futureTimestamp) { try validator.checkValues(tick(price: 5, time: baseTime + 1)) }
        #expect(throws: RejectionReason.pastTimestamp) { try validator.checkValues(tick(price: 5, time: baseTime - 2)) }
    }
}
