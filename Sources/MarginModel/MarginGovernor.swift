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

    /// ⌈numerator / denominator⌉ for numerator ≥ 0 and denominator > 0.
    @inline(__always)
    static func ceilingQuotient(_ numerator: Int64, _ denominator: Int64) -> Int64 {
        numerator / denominator + (numerator % denominator == 0 ? 0 : 1)
    }

    /// The first update time now + k·grid (k ≥ 1) at or after `required`: updates arrive on the grid.
    static func alignUp(_ required: Int64, from now: Int64, grid: Int64) -> Int64 {
        let wait = elapsed(since: now, until: required)
        if wait <= grid { return now.addingSaturating(grid) }
        let (offset, overflow) = ceilingQuotient(wait, grid).multipliedReportingOverflow(by: grid)
        return overflow ? .max : now.addingSaturating(offset)
    }

    /// Moves `published` (already shaped like `target`) towards `target` at event time `now`, by the rules of
    /// ``GovernedFractions/governedStep(toward:gap:refreshDue:hysteresis:cooldownElapsed:breakerActive:down:up:)``;
    /// only the tiers' IMF and MMF change.
    ///
    /// Updates `lastLimitedChangeNs` when a rate-limited change is applied; returns the reasons that apply and
    /// whether any published IMF or MMF changed.
    func apply(
        published: inout MarginTierTable, target: MarginTierTable, lastLimitedChangeNs: inout Int64,
        lastPublishNs: Int64, now: Int64, breakerActive: Bool
    ) -> (reasons: MarginReasons, changed: Bool) {
        var fractions = GovernedFractions(published)
        let result = apply(&fractions, goal: GovernedFractions(target), lastLimitedChangeNs: &lastLimitedChangeNs,
                           lastPublishNs: lastPublishNs, now: now, breakerActive: breakerActive)
        fractions.write(into: &published)
        return result
    }

    /// ``apply(published:target:lastLimitedChangeNs:lastPublishNs:now:breakerActive:)`` on the tables' fractions,
    /// for a caller that reuses them (the ETA estimate starts from the same values).
    func apply(
        _ fractions: inout GovernedFractions, goal: GovernedFractions, lastLimitedChangeNs: inout Int64,
        lastPublishNs: Int64, now: Int64, breakerActive: Bool
    ) -> (reasons: MarginReasons, changed: Bool) {
        let update = fractions.governedStep(
            toward: goal, gap: fractions.deviation(from: goal),
            refreshDue: Self.elapsed(since: lastPublishNs, until: now) >= refreshIntervalNs,
            hysteresis: hysteresis,
            cooldownElapsed: Self.elapsed(since: lastLimitedChangeNs, until: now) >= cooldownNs,
            breakerActive: breakerActive, down: 1 - maximumRelativeStep, up: 1 + maximumRelativeStep)
        if update.limited { lastLimitedChangeNs = now }
        return (update.reasons, update.changed)
    }

    /// Governed updates and event time until `published` reaches `target`, assuming the targets stay fixed and
    /// updates arrive every `gridIntervalNs`: what the rules (without the breaker) do from the state after the
    /// current update, capped at 512 updates; equal, update for update, to simulating them grid step by grid
    /// step.
    ///
    /// The first update's time depends on the last limited change and publication: the first grid time at which
    /// the cooldown has passed (at once when an IMF increase is pending) and, while the gap is below the hysteresis
    /// threshold, also a refresh time. From then on, as long as every update is a rate-limited change that
    /// publishes, the schedule has a closed form: the next update comes `limited` = ⌈max(Δ, cooldown)/Δ⌉·Δ after
    /// the last while the gap is at or above the threshold, `held` = ⌈limited/r⌉·r with r = ⌈max(Δ, refresh)/Δ⌉·Δ
    /// (the first refresh after the cooldown) while it is below; so each later update costs one bounded step of
    /// every tier's IMF and MMF (``GovernedFractions``) and an addition, no division. Any other state (a pending
    /// increase, a step that changes nothing, a time near the end of the clock) takes the general rule for that
    /// update.
    func estimateArrival(
        published start: MarginTierTable, target: MarginTierTable, lastLimitedChangeNs: Int64,
        lastPublishNs: Int64, now: Int64, gridIntervalNs: Int64
    ) -> (steps: Int, ns: Int64) {
        estimateArrival(published: GovernedFractions(start), goal: GovernedFractions(target),
                        lastLimitedChangeNs: lastLimitedChangeNs, lastPublishNs: lastPublishNs, now: now,
                        gridIntervalNs: gridIntervalNs)
    }

    /// ``estimateArrival(published:target:lastLimitedChangeNs:lastPublishNs:now:gridIntervalNs:)`` from the tables'
    /// fractions.
    func estimateArrival(
        published start: GovernedFractions, goal: GovernedFractions, lastLimitedChangeNs: Int64,
        lastPublishNs: Int64, now: Int64, gridIntervalNs: Int64
    ) -> (steps: Int, ns: Int64) {
        var published = start
        let grid = max(gridIntervalNs, 1)
        var lastLimited = lastLimitedChangeNs
        var lastPublish = lastPublishNs
        var time = now
        var steps = 0
        var schedule: RegularSchedule?
        for _ in 0..<512 {
            // A zero gap is the common way out; the exact comparison also catches values that are not numbers.
            let gap = published.deviation(from: goal)
            if gap == 0 && published == goal { break }
            var next = Int64.max
            var regular = false
            // The last update was a rate-limited change that published, at a grid time after `now`: the next one
            // is a fixed interval later (see above), unless an IMF increase is pending.
            if time != now && lastLimited == time && lastPublish == time && !published.raisesPending(toward: goal) {
                if schedule == nil { schedule = RegularSchedule(self, grid: grid) }
                if let interval = gap < hysteresis ? schedule!.held : schedule!.limited {
                    let (sum, overflow) = time.addingReportingOverflow(interval)
                    if !overflow && !sum.subtractingReportingOverflow(now).overflow {
                        next = sum
                        regular = true
                    }
                }
            }
            if !regular {
                next = time.addingSaturating(grid)
                if lastLimited != .min && !published.raisesPending(toward: goal) {
                    next = max(next, lastLimited.addingSaturating(cooldownNs))
                }
                next = Self.alignUp(next, from: now, grid: grid)
                if gap < hysteresis {
                    next = firstRefresh(notBefore: next, after: time, lastPublishNs: lastPublish, now: now,
                                        grid: grid)
                }
            }
            let refreshDue = Self.elapsed(since: lastPublish, until: next) >= refreshIntervalNs
            let update = published.governedStep(
                toward: goal, gap: gap, refreshDue: refreshDue, hysteresis: hysteresis,
                cooldownElapsed: Self.elapsed(since: lastLimited, until: next) >= cooldownNs,
                breakerActive: false, down: 1 - maximumRelativeStep, up: 1 + maximumRelativeStep)
            if update.limited { lastLimited = next }
            if update.changed || refreshDue { lastPublish = next }
            if update.changed { steps += 1 }
            time = next
        }
        return (steps, Self.elapsed(since: now, until: time))
    }

    /// The intervals between governed updates once each update is a rate-limited change that publishes, with
    /// updates on the grid Δ: `limited` = ⌈max(Δ, cooldown)/Δ⌉·Δ (the first grid time the cooldown allows) and
    /// `held` = ⌈limited/r⌉·r, r = ⌈max(Δ, refresh)/Δ⌉·Δ (the first refresh not before it, refreshes falling
    /// every r after the last publication); nil where the product overflows.
    struct RegularSchedule {
        let limited: Int64?
        let held: Int64?

        init(_ governor: MarginGovernor, grid: Int64) {
            func roundedUp(_ value: Int64, to unit: Int64) -> Int64? {
                let (product, overflow) = MarginGovernor.ceilingQuotient(max(value, unit), unit)
                    .multipliedReportingOverflow(by: unit)
                return overflow ? nil : product
            }
            limited = roundedUp(governor.cooldownNs, to: grid)
            if let limited, let refresh = roundedUp(governor.refreshIntervalNs, to: grid) {
                held = roundedUp(limited, to: refresh)
            } else {
                held = nil
            }
        }
    }

    /// The first periodic refresh at or after `earliest` (a grid time), when updates after `time` arrive on the
    /// grid from `now` and the last publication was at `lastPublishNs`.
    ///
    /// A refresh publishes even without a change, which restarts the refresh interval; so refreshes fall at r₀,
    /// r₀ + p, r₀ + 2p, … with r₀ the first grid time after `time` at least one interval past the last
    /// publication and p the interval rounded up to whole grid steps. A change held back by the hysteresis goes
    /// out at the first of them not before `earliest`.
    func firstRefresh(notBefore earliest: Int64, after time: Int64, lastPublishNs: Int64, now: Int64,
                      grid: Int64) -> Int64 {
        let first = Self.alignUp(max(time.addingSaturating(grid), lastPublishNs.addingSaturating(refreshIntervalNs)),
                                 from: now, grid: grid)
        if first >= earliest { return first }
        let period = max(1, Self.ceilingQuotient(refreshIntervalNs, grid)) * grid
        let (offset, overflow) = Self.ceilingQuotient(earliest - first, period).multipliedReportingOverflow(by: period)
        return overflow ? .max : first.addingSaturating(offset)
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
