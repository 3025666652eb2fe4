/// The IMF and MMF of a tier table, unpacked into two inline arrays of doubles: what the governance rule moves.
///
/// The rule runs here for the published update (``MarginGovernor/apply(published:target:lastLimitedChangeNs:lastPublishNs:now:breakerActive:)``)
/// and for every simulated update of the ETA estimate, which repeats it for every asset on every grid step; so
/// an update is two fused passes over plain doubles rather than several passes through the tier table's element
/// accessors, each of which copies a whole tier. (Not SIMD vectors: the stdlib's generic SIMD reductions and
/// masks are not inlined, and reading a lane at a variable index goes through a stack copy of the whole vector.)
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

    /// Equal when every tier's IMF and MMF are.
    static func == (lhs: GovernedFractions, rhs: GovernedFractions) -> Bool {
        for index in 0..<lhs.count where lhs.initial[index] != rhs.initial[index]
            || lhs.maintenance[index] != rhs.maintenance[index] {
            return false
        }
        return true
    }

    /// The largest |goal − self| over the IMF and MMF of every tier.
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

    /// Writes the IMF and MMF back into `table`, which has the same tiers.
    func write(into table: inout MarginTierTable) {
        for index in 0..<count {
            table[index].initialMarginFraction = initial[index]
            table[index].maintenanceMarginFraction = maintenance[index]
        }
    }

    /// One governed update towards `goal`, the rules listed on ``MarginGovernor``:
    /// - nothing moves when `gap` (``deviation(from:)`` before the update) is 0, or below `hysteresis` unless the
    ///   refresh is due or the breaker is active;
    /// - IMF increases apply at once, and so do MMF increases while the breaker is active;
    /// - if an IMF decrease or an MMF change remains and `cooldownElapsed`, every tier takes one bounded step
    ///   (IMF down by at most `down`, MMF within [`down`, `up`] times its value);
    /// - then IMF ≥ MMF is restored by raising IMF.
    ///
    /// - Returns: the reasons that apply, whether any value changed, and whether the rate-limited step was taken.
    mutating func governedStep(
        toward goal: GovernedFractions, gap: Double, refreshDue: Bool, hysteresis: Double,
        cooldownElapsed: Bool, breakerActive: Bool, down: Double, up: Double
    ) -> (reasons: MarginReasons, changed: Bool, limited: Bool) {
        if gap == 0 { return ([], false, false) }
        if gap < hysteresis && !refreshDue && !breakerActive { return (.hysteresis, false, false) }
        var reasons: MarginReasons = []
        var changed = false
        var limitedNeeded = false
        for index in 0..<count {
            if goal.initial[index] > initial[index] {
                initial[index] = goal.initial[index]
                changed = true
            } else if goal.initial[index] < initial[index] {
                limitedNeeded = true
            }
            if breakerActive && goal.maintenance[index] > maintenance[index] {
                maintenance[index] = goal.maintenance[index]
                reasons.insert(.circuitBreakerOverride)
                changed = true
            } else if goal.maintenance[index] != maintenance[index] {
                limitedNeeded = true
            }
        }
        let limited = limitedNeeded && cooldownElapsed
        if limitedNeeded && !limited { reasons.insert(.cooldown) }
        var clipped = false
        for index in 0..<count {
            if limited {
                let imf = initial[index]
                if goal.initial[index] < imf {
                    initial[index] = max(goal.initial[index], imf * down)
                    clipped = clipped || initial[index] != goal.initial[index]
                    changed = changed || initial[index] != imf
                }
                let mmf = maintenance[index]
                maintenance[index] = min(max(goal.maintenance[index], mmf * down), mmf * up)
                clipped = clipped || maintenance[index] != goal.maintenance[index]
                changed = changed || maintenance[index] != mmf
            }
            if maintenance[index] > initial[index] {
                initial[index] = maintenance[index]
                reasons.insert(.invariantAdjusted)
                changed = true
            }
        }
        if clipped { reasons.insert(.stepLimited) }
        return (reasons, changed, limited)
    }
}
