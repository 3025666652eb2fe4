/// The IMF and MMF of a tier table, unpacked into two inline arrays of doubles, for the governance simulation
/// behind ETA estimates.
///
/// ``MarginGovernor/apply(published:target:lastLimitedChangeNs:lastPublishNs:now:breakerActive:)`` walks a tier
/// table six times per update, each element read copying a whole tier out of the table's inline storage; the ETA
/// repeats that rule for every simulated update of every asset on every grid step. Here each update is two fused
/// passes over plain doubles. (Not SIMD vectors: the stdlib's generic SIMD reductions and masks are not inlined,
/// and reading a lane at a variable index goes through a stack copy of the whole vector.)
struct GovernedFractions: Equatable {
    /// Initial margin fractions, tier n in element n.
    var initial: InlineArray<8, Double>
    /// Maintenance margin fractions, tier n in element n.
    var maintenance: InlineArray<8, Double>
    /// Number of tiers.
    let count: Int

    init(_ table: MarginTierTable) {
        initial = .init(repeating: 0)
        maintenance = .init(repeating: 0)
        count = table.count
        for index in 0..<count {
            initial[index] = table[index].initialMarginFraction
            maintenance[index] = table[index].maintenanceMarginFraction
        }
    }

    /// Equal when every tier's IMF and MMF are (``MarginGovernor/reached(_:_:)``).
    static func == (lhs: GovernedFractions, rhs: GovernedFractions) -> Bool {
        for index in 0..<lhs.count where lhs.initial[index] != rhs.initial[index]
            || lhs.maintenance[index] != rhs.maintenance[index] {
            return false
        }
        return true
    }

    /// The largest |goal − self| over the IMF and MMF of every tier (``MarginGovernor/deviation(_:_:)``).
    func deviation(from goal: GovernedFractions) -> Double {
        var largest = 0.0
        for index in 0..<count {
            largest = max(largest, abs(goal.initial[index] - initial[index]),
                          abs(goal.maintenance[index] - maintenance[index]))
        }
        return largest
    }

    /// Whether some tier's IMF is below the goal's: increases apply at the next update, without a cooldown.
    func raisesPending(toward goal: GovernedFractions) -> Bool {
        for index in 0..<count where goal.initial[index] > initial[index] { return true }
        return false
    }

    /// One governed update towards `goal` without the circuit breaker, the rules of
    /// ``MarginGovernor/apply(published:target:lastLimitedChangeNs:lastPublishNs:now:breakerActive:)``:
    /// IMF increases at once; if an IMF decrease or an MMF change is pending and `cooldownElapsed`, every tier
    /// takes one bounded step (IMF down by at most `down`, MMF within [`down`, `up`] times its value); then IMF ≥
    /// MMF is restored. `gap` is ``deviation(from:)`` before the update.
    ///
    /// - Returns: whether any value changed, and whether the rate-limited step was taken.
    mutating func governedStep(
        toward goal: GovernedFractions, gap: Double, refreshDue: Bool, hysteresis: Double,
        cooldownElapsed: Bool, down: Double, up: Double
    ) -> (changed: Bool, limited: Bool) {
        if gap == 0 || (gap < hysteresis && !refreshDue) { return (false, false) }
        var changed = false
        var limitedNeeded = false
        for index in 0..<count {
            let target = goal.initial[index]
            if target > initial[index] {
                initial[index] = target
                changed = true
            } else if target < initial[index] {
                limitedNeeded = true
            }
            limitedNeeded = limitedNeeded || goal.maintenance[index] != maintenance[index]
        }
        let limited = limitedNeeded && cooldownElapsed
        for index in 0..<count {
            if limited {
                let imf = initial[index]
                if goal.initial[index] < imf {
                    initial[index] = max(goal.initial[index], imf * down)
                    changed = changed || initial[index] != imf
                }
                let mmf = maintenance[index]
                maintenance[index] = min(max(goal.maintenance[index], mmf * down), mmf * up)
                changed = changed || maintenance[index] != mmf
            }
            if maintenance[index] > initial[index] {
                initial[index] = maintenance[index]
                changed = true
            }
        }
        return (changed, limited)
    }
}
