import MarginModel
import ProtocolHealth
import Testing

/// The position book's bookkeeping: units, slots reused, bad input refused.
@Suite("Position book")
struct PositionBookTests {
    @Test("Cross positions share a unit, isolated ones get their own; closing frees slots that are reused")
    func units() throws {
        var book = PositionBook(marketCount: 2)
        try book.setCollateral(account: 1, amount: 1_000)
        try book.setPosition(account: 1, market: 0, size: 2, entryPrice: 100)
        try book.setPosition(account: 1, market: 1, size: -1, entryPrice: 50)
        try book.setPosition(account: 1, market: 0, size: 1, entryPrice: 100, mode: .isolated, isolatedCollateral: 20)
        #expect(book.positionCount == 3 && book.unitCount == 2)
        let layout = book.layout()
        #expect(layout.positions(of: 0).count == 2 && layout.positions(of: 1).count == 1)
        #expect(book.unitCollateral[1] == 20)

        try book.setPosition(account: 1, market: 0, size: 0, entryPrice: 100, mode: .isolated)
        #expect(book.positionCount == 2 && book.unitCount == 1)
        try book.setPosition(account: 2, market: 1, size: 3, entryPrice: 10, mode: .isolated, isolatedCollateral: 5)
        #expect(book.positionSlotCount == 3 && book.unitSlotCount == 2, "freed slots are reused")
        book.removeAccount(1)
        #expect(book.positionCount == 1 && book.unitCount == 1)
    }

    @Test("Unknown markets, non-finite sizes or prices and a full book are refused with their code")
    func refusals() throws {
        var book = PositionBook(marketCount: 1, positionCapacity: 1, unitCapacity: 4)
        #expect(throws: HealthError.self) { try book.setPosition(account: 1, market: 1, size: 1, entryPrice: 1) }
        #expect(throws: HealthError.self) { try book.setPosition(account: 1, market: 0, size: .nan, entryPrice: 1) }
        #expect(throws: HealthError.self) { try book.setPosition(account: 1, market: 0, size: 1, entryPrice: 0) }
        #expect(throws: HealthError.self) { try book.setCollateral(account: 1, amount: .infinity) }
        try book.setPosition(account: 1, market: 0, size: 1, entryPrice: 1)
        do {
            try book.setPosition(account: 2, market: 0, size: 1, entryPrice: 1)
            Issue.record("a full book accepted a position")
        } catch {
            #expect(error.code == .capacityExceeded)
        }
        #expect(book.positionCount == 1)
    }

    @Test("A depth curve walks its levels, then the square-root extension; bad levels are refused")
    func depth() throws {
        let curve = try DepthCurve(levels: [(offset: 0.001, notional: 100), (offset: 0.003, notional: 300)],
                                   offsetCap: 1)
        #expect(curve.listedDepth == 400)
        #expect(curve.averageOffset(from: 0, to: 100) == 0.001)
        #expect(abs(curve.averageOffset(from: 0, to: 400) - (0.1 + 0.9) / 400) < 1e-15)
        #expect(curve.impact(after: 400) == 0.002)
        // Past the depth: δ·√(c/D); at 4D the marginal offset doubles.
        #expect(abs(curve.marginalOffset(at: 1_600) - 0.006) < 1e-15)
        #expect(curve.cost(upTo: 1_600) > curve.cost(upTo: 400) + 0.003 * 1_200)
        #expect(throws: HealthError.self) { try DepthCurve(levels: []) }
        #expect(throws: HealthError.self) {
            try DepthCurve(levels: [(offset: 0.002, notional: 1), (offset: 0.001, notional: 1)])
        }
        #expect(throws: HealthError.self) { try DepthCurve(levels: [(offset: 0.001, notional: 0)]) }
    }
}
