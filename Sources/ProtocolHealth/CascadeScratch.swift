/// Per-unit and per-list-entry marks one cascade at a time uses, kept across scenarios so that none is cleared per
/// scenario: a unit is closed in scenario k when `units[unit].closed == k` (and each of its list entries then has
/// `entryClosed[entry] == k`, so that a list is scanned in order without reading the unit), and valued in the
/// current round's pass when `units[unit].stamp == pass`. The counters wrap after 2³² scenarios or passes, when the
/// arrays are cleared once.
struct CascadeScratch {
    /// A unit's two marks side by side: one cache line read for both.
    struct UnitMarks {
        var closed: UInt32 = 0
        var stamp: UInt32 = 0
    }

    var units: [UnitMarks]
    var entryClosed: [UInt32]
    private(set) var pass: UInt32 = 0
    private(set) var scenario: UInt32 = 0

    init(unitCount: Int, entryCount: Int) {
        units = Array(repeating: UnitMarks(), count: unitCount)
        entryClosed = Array(repeating: 0, count: entryCount)
    }

    /// Scratch for `cascade`'s book and screen.
    init(for cascade: LiquidationCascade) {
        self.init(unitCount: cascade.book.unitSlotCount, entryCount: cascade.screen.entryCount)
    }

    /// Starts a scenario: no unit closed.
    mutating func beginScenario() {
        scenario &+= 1
        if scenario == 0 {
            for index in units.indices { units[index].closed = 0 }
            for index in entryClosed.indices { entryClosed[index] = 0 }
            scenario = 1
        }
    }

    /// Starts a round's valuation pass: no unit valued.
    mutating func nextPass() {
        pass &+= 1
        if pass == 0 {
            for index in units.indices { units[index].stamp = 0 }
            pass = 1
        }
    }
}
