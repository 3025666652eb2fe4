/// Per-unit marks one cascade at a time uses, kept across scenarios so that none is cleared per scenario: a unit
/// is closed in scenario k when `closed[unit] == k`, and valued in the current round's pass when
/// `stamp[unit] == pass`. The counters wrap after 2³² scenarios or passes, when the arrays are cleared once.
struct CascadeScratch {
    var stamp: [UInt32]
    var closed: [UInt32]
    private(set) var pass: UInt32 = 0
    private(set) var scenario: UInt32 = 0

    init(unitCount: Int) {
        stamp = Array(repeating: 0, count: unitCount)
        closed = Array(repeating: 0, count: unitCount)
    }

    /// Starts a scenario: no unit closed.
    mutating func beginScenario() {
        scenario &+= 1
        if scenario == 0 {
            for index in closed.indices { closed[index] = 0 }
            scenario = 1
        }
    }

    /// Starts a round's valuation pass: no unit valued.
    mutating func nextPass() {
        pass &+= 1
        if pass == 0 {
            for index in stamp.indices { stamp[index] = 0 }
            pass = 1
        }
    }

    /// Marks `unit` liquidated in this scenario.
    mutating func close(_ unit: Int) { closed[unit] = scenario }
}
