/// Every open position of the protocol, grouped into margin units, in flat arrays.
///
/// A *margin unit* is what one liquidation closes: a cross-margined account (its collateral backs all its
/// positions) or one isolated position (its own collateral). Positions live in structure-of-arrays storage —
/// unit, market, signed size, entry price: 22 bytes each, plus 27–53 bytes of index per position (a hash table
/// of 20-byte buckets at most ¾ full) — and units in 20 bytes each plus their account index, so that the
/// per-step passes stream through memory. Measured (`fulcrum-health-bench`, Benchmarks/README.md): 1,000,000
/// positions of 662,598 units over 100 markets take 104 MB resident with their layout, 109 bytes per position
/// all in; a million accounts with a position in each of 100 markets would take about 11 GB.
/// Removed slots are reused; the sizes are bounded by the capacities given at creation.
public struct PositionBook: Sendable {
    /// Where a position is keyed: account, market and whether it is isolated.
    struct PositionKey: Hashable, Sendable {
        var account: UInt64
        var market: UInt16
        var isolated: Bool
    }

    /// Markets positions may refer to (indices 0 ..< marketCount).
    public let marketCount: Int
    /// Most positions held at once.
    public let positionCapacity: Int
    /// Most margin units held at once.
    public let unitCapacity: Int

    /// Collateral of each unit (quote); NaN marks a free slot.
    public private(set) var unitCollateral: [Double] = []
    /// The account each unit belongs to.
    public private(set) var unitAccount: [UInt64] = []
    /// The unit of each position slot; −1 marks a free slot.
    public private(set) var positionUnit: [Int32] = []
    /// The market of each position slot.
    public private(set) var positionMarket: [UInt16] = []
    /// Signed size of each position in base units (> 0 long).
    public private(set) var positionSize: [Double] = []
    /// Entry price of each position.
    public private(set) var positionEntry: [Double] = []

    private var crossUnits: [UInt64: Int32] = [:]
    private var positionSlots: [PositionKey: Int32] = [:]
    private var unitPositionCount: [Int32] = []
    private var freeUnits: [Int32] = []
    private var freePositions: [Int32] = []

    /// Creates an empty book.
    public init(marketCount: Int, positionCapacity: Int = 4_000_000, unitCapacity: Int = 2_000_000) {
        self.marketCount = marketCount
        self.positionCapacity = positionCapacity
        self.unitCapacity = unitCapacity
    }

    /// Open positions.
    public var positionCount: Int { positionSlots.count }
    /// Margin units with at least one position or collateral.
    public var unitCount: Int { unitCollateral.count - freeUnits.count }
    /// Position slots, free ones included: the range the flat arrays cover.
    public var positionSlotCount: Int { positionUnit.count }
    /// Unit slots, free ones included.
    public var unitSlotCount: Int { unitCollateral.count }

    /// Bytes of storage per position: the four flat arrays and the index entry (key, slot, hash overhead) at a
    /// typical load; the measured figure with units and layout is about 109 (see the type's documentation).
    public static let bytesPerPosition = 4 + 2 + 8 + 8 + 40

    /// Sets a cross account's collateral (quote), creating the account if needed.
    ///
    /// - Throws: ``HealthError`` when the amount is not finite or the unit table is full.
    public mutating func setCollateral(account: UInt64, amount: Double) throws(HealthError) {
        guard amount.isFinite else {
            throw HealthError(.invalidPosition, "collateral \(amount) is not finite", context: ["account": "\(account)"])
        }
        let unit = try crossUnit(account)
        unitCollateral[Int(unit)] = amount
    }

    /// Opens, changes or (size 0) closes a position. An isolated position carries its own collateral.
    ///
    /// - Throws: ``HealthError`` for a market out of range, a non-finite or non-positive entry price, a
    ///   non-finite size or collateral, or a full table.
    public mutating func setPosition(account: UInt64, market: Int, size: Double, entryPrice: Double,
                                     mode: MarginMode = .cross, isolatedCollateral: Double = 0) throws(HealthError) {
        let context = ["account": "\(account)", "market": "\(market)"]
        guard (0..<marketCount).contains(market) else {
            throw HealthError(.unknownMarket, "market \(market) is not one of the \(marketCount)", context: context)
        }
        guard size.isFinite, entryPrice.isFinite, entryPrice > 0, isolatedCollateral.isFinite else {
            throw HealthError(.invalidPosition, "size \(size), entry \(entryPrice) and collateral "
                              + "\(isolatedCollateral) must be finite, the entry positive", context: context)
        }
        let key = PositionKey(account: account, market: UInt16(market), isolated: mode == .isolated)
        if size == 0 {
            remove(key)
            return
        }
        if let slot = positionSlots[key] {
            positionSize[Int(slot)] = size
            positionEntry[Int(slot)] = entryPrice
            if mode == .isolated { unitCollateral[Int(positionUnit[Int(slot)])] = isolatedCollateral }
            return
        }
        guard positionSlots.count < positionCapacity else {
            throw HealthError(.capacityExceeded, "the book holds \(positionCapacity) positions", context: context)
        }
        let unit: Int32
        if mode == .isolated {
            unit = try newUnit(account: account)
            unitCollateral[Int(unit)] = isolatedCollateral
        } else {
            unit = try crossUnit(account)
        }
        let slot: Int32
        if let reused = freePositions.popLast() {
            slot = reused
            positionUnit[Int(slot)] = unit
            positionMarket[Int(slot)] = UInt16(market)
            positionSize[Int(slot)] = size
            positionEntry[Int(slot)] = entryPrice
        } else {
            slot = Int32(positionUnit.count)
            positionUnit.append(unit)
            positionMarket.append(UInt16(market))
            positionSize.append(size)
            positionEntry.append(entryPrice)
        }
        unitPositionCount[Int(unit)] += 1
        positionSlots[key] = slot
    }

    /// Removes an account: its cross unit, its positions and its isolated units.
    public mutating func removeAccount(_ account: UInt64) {
        for market in 0..<marketCount {
            for isolated in [false, true] {
                remove(PositionKey(account: account, market: UInt16(market), isolated: isolated))
            }
        }
        if let unit = crossUnits.removeValue(forKey: account) { free(unit) }
    }

    /// Empties the book (a snapshot replaces it).
    public mutating func removeAll() {
        self = PositionBook(marketCount: marketCount, positionCapacity: positionCapacity, unitCapacity: unitCapacity)
    }

    private mutating func remove(_ key: PositionKey) {
        guard let slot = positionSlots.removeValue(forKey: key) else { return }
        let unit = positionUnit[Int(slot)]
        positionUnit[Int(slot)] = -1
        positionSize[Int(slot)] = 0
        freePositions.append(slot)
        unitPositionCount[Int(unit)] -= 1
        // An isolated unit exists only for its position.
        if key.isolated { free(unit) }
    }

    private mutating func crossUnit(_ account: UInt64) throws(HealthError) -> Int32 {
        if let unit = crossUnits[account] { return unit }
        let unit = try newUnit(account: account)
        crossUnits[account] = unit
        return unit
    }

    private mutating func newUnit(account: UInt64) throws(HealthError) -> Int32 {
        if let reused = freeUnits.popLast() {
            unitCollateral[Int(reused)] = 0
            unitAccount[Int(reused)] = account
            unitPositionCount[Int(reused)] = 0
            return reused
        }
        guard unitCollateral.count < unitCapacity else {
            throw HealthError(.capacityExceeded, "the book holds \(unitCapacity) margin units",
                              context: ["account": "\(account)"])
        }
        unitCollateral.append(0)
        unitAccount.append(account)
        unitPositionCount.append(0)
        return Int32(unitCollateral.count - 1)
    }

    private mutating func free(_ unit: Int32) {
        unitCollateral[Int(unit)] = .nan
        freeUnits.append(unit)
    }

    /// The positions grouped by unit (compressed rows), for the passes that need a unit's positions together.
    public func layout() -> PositionLayout { PositionLayout(self) }
}

extension PositionBook {
    /// Scales every position of `unit` by `fraction` (0 < fraction < 1) at `marks`, realizing the profit or loss of
    /// the part closed into the unit's collateral: its equity is unchanged, its exposure smaller — the unit after
    /// cutting its positions to meet a higher initial margin.
    public mutating func deleverage(unit: Int, to fraction: Double, marks: [Double], layout: PositionLayout) {
        guard fraction.isFinite, fraction > 0, fraction < 1 else { return }
        for slot in layout.positions(of: unit).map(Int.init) {
            let size = positionSize[slot]
            unitCollateral[unit] += (1 - fraction) * size * (marks[Int(positionMarket[slot])] - positionEntry[slot])
            positionSize[slot] = size * fraction
        }
    }
}
