/// The rules that move published margins towards their targets (risk-steward style), as a pure function.
///
/// Per update, for every tier:
/// - IMF increases apply at once (new positions must never get more leverage than the target allows);
/// - IMF decreases and all MMF changes are rate-limited: at most `maximumRelativeStep` relative per change and
///   one change per `cooldownNs` of event time (MMF moves liquidate existing positions, so both directions are
///   limited);
/// - while the largest |target − published| is below the hysteresis threshold nothing moves, unless the periodic
///   refresh is due;
/// - with the circuit breaker active, increases of both IMF and MMF apply at once and hysteresis is skipped;
///   decreases stay rate-limited.
/// Afterwards IMF ≥ MMF is restored by raising IMF. Each rule is monotone in the published and target values
/// (clamp(T, P(1−s), P(1+s)) grows with both), so ordered tiers stay ordered.
struct MarginGovernor: Sendable {
    let maximumRelativeStep: Double
    let cooldownNs: Int64
    let hysteresis: Double
    let refreshIntervalNs: Int64

    init(_ governance: MarginModelConfiguration.Governance) {
        maximumRelativeStep = governance.maximumRelativeStep
        cooldownNs = governance.cooldownNs
        hysteresis = governance.hysteresisBasisPoints * 1e-4
        refreshIntervalNs = governance.refreshIntervalNs
    }

    /// Event time elapsed since `start`, saturating; `.max` when `start` is `Int64.min` (never).
    @inline(__always)
    static func elapsed(since start: Int64, until now: Int64) -> Int64 {
        if start == .min { return .max }
        let (difference, overflow) = now.subtractingReportingOverflow(start)
        return overflow ? (now >= start ? .max : .min) : difference
    }

    /// The first update time now + k·grid (k ≥ 1) at or after `required`: updates arrive on the grid.
    static func alignUp(_ required: Int64, from now: Int64, grid: Int64) -> Int64 {
        let wait = elapsed(since: now, until: required)
        if wait <= grid { return now.addingSaturating(grid) }
        let steps = wait / grid + (wait % grid == 0 ? 0 : 1)
        let (offset, overflow) = steps.multipliedReportingOverflow(by: grid)
        return overflow ? .max : now.addingSaturating(offset)
    }

    /// The largest absolute gap between published and target IMF/MMF over all tiers.
    static func deviation(_ published: MarginTierTable, _ target: MarginTierTable) -> Double {
        var largest = 0.0
        for index in 0..<target.count {
            largest = max(largest,
                          abs(target[index].initialMarginFraction - published[index].initialMarginFraction),
                          abs(target[index].maintenanceMarginFraction - published[index].maintenanceMarginFraction))
        }
        return largest
    }

    /// True when every tier's published IMF and MMF equal the target's.
    static func reached(_ published: MarginTierTable, _ target: MarginTierTable) -> Bool {
        for index in 0..<target.count {
            if published[index].initialMarginFraction != target[index].initialMarginFraction
                || published[index].maintenanceMarginFraction != target[index].maintenanceMarginFraction {
                return false
            }
        }
        return true
    }

    /// Moves `published` (already shaped like `target`) towards `target` at event time `now`.
    ///
    /// Updates `lastLimitedChangeNs` when a rate-limited change is applied; returns the reasons that apply and
    /// whether any published IMF or MMF changed.
    func apply(
        published: inout MarginTierTable, target: MarginTierTable, lastLimitedChangeNs: inout Int64,
        lastPublishNs: Int64, now: Int64, breakerActive: Bool
    ) -> (reasons: MarginReasons, changed: Bool) {
        var reasons: MarginReasons = []
        let gap = Self.deviation(published, target)
        if gap == 0 { return (reasons, false) }
        let refreshDue = Self.elapsed(since: lastPublishNs, until: now) >= refreshIntervalNs
        if !breakerActive && gap < hysteresis && !refreshDue {
            return (.hysteresis, false)
        }
        var changed = false
        var limitedNeeded = false
        for index in 0..<target.count {
            let t = target[index]
            var p = published[index]
            if t.initialMarginFraction > p.initialMarginFraction {
                p.initialMarginFraction = t.initialMarginFraction
                changed = true
            } else if t.initialMarginFraction < p.initialMarginFraction {
                limitedNeeded = true
            }
            if breakerActive && t.maintenanceMarginFraction > p.maintenanceMarginFraction {
                p.maintenanceMarginFraction = t.maintenanceMarginFraction
                reasons.insert(.circuitBreakerOverride)
                changed = true
            } else if t.maintenanceMarginFraction != p.maintenanceMarginFraction {
                limitedNeeded = true
            }
            published[index] = p
        }
        if limitedNeeded {
            if Self.elapsed(since: lastLimitedChangeNs, until: now) >= cooldownNs {
                let down = 1 - maximumRelativeStep
                let up = 1 + maximumRelativeStep
                var clipped = false
                for index in 0..<target.count {
                    let t = target[index]
                    var p = published[index]
                    if t.initialMarginFraction < p.initialMarginFraction {
                        let next = max(t.initialMarginFraction, p.initialMarginFraction * down)
                        clipped = clipped || next != t.initialMarginFraction
                        changed = changed || next != p.initialMarginFraction
                        p.initialMarginFraction = next
                    }
                    let mmf = p.maintenanceMarginFraction
                    let nextMMF = min(max(t.maintenanceMarginFraction, mmf * down), mmf * up)
                    clipped = clipped || nextMMF != t.maintenanceMarginFraction
                    changed = changed || nextMMF != mmf
                    p.maintenanceMarginFraction = nextMMF
                    published[index] = p
                }
                if clipped { reasons.insert(.stepLimited) }
                lastLimitedChangeNs = now
            } else {
                reasons.insert(.cooldown)
            }
        }
        for index in 0..<published.count where published[index].maintenanceMarginFraction
            > published[index].initialMarginFraction {
            published[index].initialMarginFraction = published[index].maintenanceMarginFraction
            reasons.insert(.invariantAdjusted)
            changed = true
        }
        return (reasons, changed)
    }

    /// Governed updates and event time until `published` reaches `target`, assuming the targets stay fixed and
    /// updates arrive every `gridIntervalNs`. Simulates the same rules (without the breaker) from the state after
    /// the current update; capped at 512 simulated updates.
    func estimateArrival(
        published start: MarginTierTable, target: MarginTierTable, lastLimitedChangeNs: Int64,
        lastPublishNs: Int64, now: Int64, gridIntervalNs: Int64
    ) -> (steps: Int, ns: Int64) {
        if Self.reached(start, target) { return (0, 0) }
        let grid = max(gridIntervalNs, 1)
        // Common case: a sub-threshold gap that one step closes; it lands at the next refresh (or cooldown end).
        if Self.deviation(start, target) < hysteresis, let limited = closesInOneStep(start, target) {
            var required = max(now.addingSaturating(grid), lastPublishNs.addingSaturating(refreshIntervalNs))
            if limited && lastLimitedChangeNs != .min {
                required = max(required, lastLimitedChangeNs.addingSaturating(cooldownNs))
            }
            return (1, Self.elapsed(since: now, until: Self.alignUp(required, from: now, grid: grid)))
        }
        var published = start
        var lastLimited = lastLimitedChangeNs
        var lastPublish = lastPublishNs
        var time = now
        var steps = 0
        for _ in 0..<512 {
            if Self.reached(published, target) { break }
            var next = time.addingSaturating(grid)
            if Self.deviation(published, target) < hysteresis {
                next = max(next, lastPublish.addingSaturating(refreshIntervalNs))
            }
            if lastLimited != .min {
                next = max(next, lastLimited.addingSaturating(cooldownNs))
            }
            next = Self.alignUp(next, from: now, grid: grid)
            let refreshDue = Self.elapsed(since: lastPublish, until: next) >= refreshIntervalNs
            let changed = apply(published: &published, target: target, lastLimitedChangeNs: &lastLimited,
                                lastPublishNs: lastPublish, now: next, breakerActive: false).changed
            if changed || refreshDue { lastPublish = next }
            if changed { steps += 1 }
            time = next
        }
        return (steps, Self.elapsed(since: now, until: time))
    }
}

extension MarginGovernor {
    /// Whether a single governed change reaches `target` from `published`: `nil` if not, otherwise whether that
    /// change includes a rate-limited part (an IMF decrease or an MMF change).
    func closesInOneStep(_ published: MarginTierTable, _ target: MarginTierTable) -> Bool? {
        let down = 1 - maximumRelativeStep
        let up = 1 + maximumRelativeStep
        var limited = false
        for index in 0..<target.count {
            let t = target[index]
            let p = published[index]
            if t.initialMarginFraction < p.initialMarginFraction {
                if t.initialMarginFraction < p.initialMarginFraction * down { return nil }
                limited = true
            }
            if t.maintenanceMarginFraction != p.maintenanceMarginFraction {
                let m = p.maintenanceMarginFraction
                if t.maintenanceMarginFraction < m * down || t.maintenanceMarginFraction > m * up { return nil }
                limited = true
            }
            // The invariant fix-up would move IMF away from its target.
            if t.maintenanceMarginFraction > max(t.initialMarginFraction, p.initialMarginFraction) { return nil }
        }
        return limited
    }
}

extension Int64 {
    /// self + other, clamped to the representable range.
    @inline(__always)
    func addingSaturating(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}
