import FulcrumTestSupport
import Testing
@testable import MarginModel

extension MarginGovernor {
    /// The ETA as it was computed before the closed-form schedule: every governed update simulated with the
    /// general rule (the next update time from the cooldown, the grid and the refresh, by `alignUp` and
    /// `firstRefresh`, each update). Kept as the reference the closed form must equal.
    func simulatedArrival(
        published start: MarginTierTable, target: MarginTierTable, lastLimitedChangeNs: Int64,
        lastPublishNs: Int64, now: Int64, gridIntervalNs: Int64
    ) -> (steps: Int, ns: Int64) {
        let goal = GovernedFractions(target)
        var published = GovernedFractions(start)
        let grid = max(gridIntervalNs, 1)
        var lastLimited = lastLimitedChangeNs
        var lastPublish = lastPublishNs
        var time = now
        var steps = 0
        for _ in 0..<512 {
            let gap = published.deviation(from: goal)
            if gap == 0 && published == goal { break }
            var next = time.addingSaturating(grid)
            if lastLimited != .min && !published.raisesPending(toward: goal) {
                next = max(next, lastLimited.addingSaturating(cooldownNs))
            }
            next = Self.alignUp(next, from: now, grid: grid)
            if gap < hysteresis {
                next = firstRefresh(notBefore: next, after: time, lastPublishNs: lastPublish, now: now, grid: grid)
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
}

/// The closed-form schedule of ``MarginGovernor/estimateArrival(published:target:lastLimitedChangeNs:lastPublishNs:now:gridIntervalNs:)``
/// against the update-by-update simulation of the same rule, over random states, including the ones that leave
/// the regular schedule (pending increases, steps that change nothing, non-finite and zero fractions, times at
/// the end of the clock, cooldowns and refreshes off the grid or negative).
@Suite("Governance arrival in closed form")
struct GovernorArrivalClosedFormTests {
    static func pick<T>(_ values: [T], _ random: inout SplitMix64) -> T { values[Int(random.next() % UInt64(values.count))] }

    static func fraction(_ random: inout SplitMix64) -> Double {
        switch random.next() % 40 {
        case 0: return 0
        case 1: return .nan
        case 2: return .infinity
        case 3: return 1e-300
        default: return random.nextDouble(in: 0.001, 0.3)
        }
    }

    static func tables(_ random: inout SplitMix64) -> (published: MarginTierTable, target: MarginTierTable) {
        let count = 1 + Int(random.next() % UInt64(MarginTierTable.capacity))
        var published = MarginTierTable()
        var target = MarginTierTable()
        for index in 0..<count {
            let goalMMF = fraction(&random)
            // Mostly IMF ≥ MMF; sometimes a target that breaks it.
            let goalIMF = random.next() % 10 == 0 ? fraction(&random) : goalMMF * random.nextDouble(in: 1, 2.5)
            var mmf: Double
            var imf: Double
            switch random.next() % 6 {
            case 0: mmf = goalMMF; imf = goalIMF
            case 1:
                mmf = goalMMF + random.nextDouble(in: -3e-4, 3e-4)
                imf = max(mmf, goalIMF + random.nextDouble(in: -3e-4, 3e-4))
            case 2: mmf = fraction(&random); imf = fraction(&random)
            default:
                mmf = goalMMF * random.nextDouble(in: 0.2, 5)
                imf = max(mmf, goalIMF * random.nextDouble(in: 0.2, 5))
            }
            let lower = Double(index) * 1e6
            target.append(MarginTier(lowerBoundNotional: lower, upperBoundNotional: lower + 1e6,
                                     initialMarginFraction: goalIMF, maintenanceMarginFraction: goalMMF,
                                     maxLeverage: 1))
            published.append(MarginTier(lowerBoundNotional: lower, upperBoundNotional: lower + 1e6,
                                        initialMarginFraction: imf, maintenanceMarginFraction: mmf, maxLeverage: 1))
        }
        return (published, target)
    }

    @Test("The closed form equals the simulated rule update for update", arguments: [11, 12, 13, 14] as [UInt64])
    func closedFormMatchesSimulation(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var multiStep = 0
        var capped = 0
        for _ in 0..<5_000 {
            let grid = Self.pick([1_000_000_000, 60_000_000_000, 7_919, 1, Int64(1 + random.next() % 5_000_000_000),
                                  0, -3], &random)
            let unit = max(grid, 1)
            let governance = MarginModelConfiguration.Governance(
                maximumRelativeStep: Self.pick([0.1, 0.25, 0.05, 0.5, 1.5, 1e-17, random.nextDouble(in: 0.01, 0.4)],
                                               &random),
                cooldownNs: Self.pick([0, unit, 5 * unit, 15 * unit + 7, 900 * unit, -5, Int64.max / 3,
                                       Int64(random.next() % 50) * unit + Int64(random.next() % 1_000)], &random),
                hysteresisBasisPoints: Self.pick([0, 2, 5, 50, 1e6], &random),
                refreshIntervalNs: Self.pick([unit, 1, unit / 3, 10 * unit, 60 * unit + 13, -7, Int64.max / 2,
                                              Int64(random.next() % 70) * unit + Int64(random.next() % 997)], &random))
            let governor = MarginGovernor(governance)
            let (published, target) = Self.tables(&random)
            // Event times (the rule is not defined for a clock before the epoch), up to its very end.
            let now = Self.pick([1_000 * unit, Int64(random.next() >> 2), Int64.max - 3 * unit, Int64.max - 1, 0],
                                &random)
            let lastLimited = Self.pick([Int64.min, now, now.addingSaturating(-Int64(random.next() % 40) * unit),
                                         now.addingSaturating(-Int64(random.next() % 40_000_000_000)), now.addingSaturating(unit),
                                         Int64.min + 1], &random)
            let lastPublish = Self.pick([now, now.addingSaturating(-unit), now.addingSaturating(-Int64(random.next() % 80) * unit),
                                         now.addingSaturating(-Int64(random.next() % 90_000_000_000)), Int64.min,
                                         now.addingSaturating(2 * unit)], &random)
            let expected = governor.simulatedArrival(
                published: published, target: target, lastLimitedChangeNs: lastLimited, lastPublishNs: lastPublish,
                now: now, gridIntervalNs: grid)
            let estimate = governor.estimateArrival(
                published: published, target: target, lastLimitedChangeNs: lastLimited, lastPublishNs: lastPublish,
                now: now, gridIntervalNs: grid)
            let state = "\(governance), grid \(grid), now \(now), limited \(lastLimited), published \(lastPublish)"
            #expect(estimate.steps == expected.steps && estimate.ns == expected.ns,
                    "closed form \(estimate), simulation \(expected); \(state)")
            if expected.steps > 1 { multiStep += 1 }
            if expected.steps >= 200 { capped += 1 }
        }
        #expect(multiStep > 1_000 && capped > 10, "the cases must exercise long schedules: \(multiStep), \(capped)")
    }
}
