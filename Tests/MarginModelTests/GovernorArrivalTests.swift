import FulcrumTestSupport
import Testing
@testable import MarginModel

/// The ETA is a prediction of what the governance rule will do; these tests hold it to the rule itself.
@Suite("Governance arrival estimates")
struct GovernorArrivalTests {
    static let grid: Int64 = 60_000_000_000

    /// What actually happens with fixed targets: `apply` on every grid time after `now`, publishing on a change
    /// or a due refresh as the optimizer does, until the published values equal the target.
    static func stepwiseArrival(
        _ governor: MarginGovernor, published start: MarginTierTable, target: MarginTierTable,
        lastLimitedChangeNs: Int64, lastPublishNs: Int64, now: Int64, limit: Int
    ) -> (steps: Int, ns: Int64)? {
        var published = start
        var lastLimited = lastLimitedChangeNs
        var lastPublish = lastPublishNs
        var time = now
        var steps = 0
        for _ in 0..<limit {
            if GovernedFractions(published) == GovernedFractions(target) { return (steps, time - now) }
            time += grid
            let refreshDue = MarginGovernor.elapsed(since: lastPublish, until: time) >= governor.refreshIntervalNs
            let changed = governor.apply(published: &published, target: target, lastLimitedChangeNs: &lastLimited,
                                         lastPublishNs: lastPublish, now: time, breakerActive: false).changed
            if changed || refreshDue { lastPublish = time }
            if changed { steps += 1 }
        }
        return nil
    }

    /// A tier table of `count` tiers with IMF ≥ MMF, drawn around `scale`.
    static func table(count: Int, around base: MarginTierTable?, _ random: inout SplitMix64) -> MarginTierTable {
        var table = MarginTierTable()
        for index in 0..<count {
            var mmf = random.nextDouble(in: 0.002, 0.08)
            var imf = mmf * random.nextDouble(in: 1, 2.5)
            if let base {
                switch random.next() % 4 {
                case 0: // the same values
                    mmf = base[index].maintenanceMarginFraction
                    imf = base[index].initialMarginFraction
                case 1: // a gap below a few basis points
                    mmf = base[index].maintenanceMarginFraction + random.nextDouble(in: -3e-4, 3e-4)
                    imf = max(mmf, base[index].initialMarginFraction + random.nextDouble(in: -3e-4, 3e-4))
                default: // anywhere from a third to three times the target
                    mmf = base[index].maintenanceMarginFraction * random.nextDouble(in: 0.33, 3)
                    imf = max(mmf, base[index].initialMarginFraction * random.nextDouble(in: 0.33, 3))
                }
            }
            table.append(MarginTier(lowerBoundNotional: Double(index) * 1e6, upperBoundNotional: Double(index + 1) * 1e6,
                                    initialMarginFraction: imf, maintenanceMarginFraction: mmf, maxLeverage: 1))
        }
        return table
    }

    @Test("The estimate equals the steps and time the rule takes to reach a fixed target", arguments: [1, 2, 3])
    func matchesTheRule(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var compared = 0
        var moving = 0
        for _ in 0..<400 {
            let governance = MarginModelConfiguration.Governance(
                maximumRelativeStep: random.nextDouble(in: 0.05, 0.25),
                cooldownNs: [0, Self.grid, 5 * Self.grid, 15 * Self.grid + 7][Int(random.next() % 4)],
                hysteresisBasisPoints: [0, 2, 5][Int(random.next() % 3)],
                refreshIntervalNs: [Self.grid, 10 * Self.grid, 60 * Self.grid][Int(random.next() % 3)])
            let governor = MarginGovernor(governance)
            let count = 1 + Int(random.next() % UInt64(MarginTierTable.capacity))
            let target = Self.table(count: count, around: nil, &random)
            let published = Self.table(count: count, around: target, &random)
            let now: Int64 = 1_000 * Self.grid
            let lastLimited = random.next() % 3 == 0 ? Int64.min : now - Int64(random.next() % 20) * Self.grid
            let lastPublish = now - Int64(random.next() % 80) * Self.grid
            guard let expected = Self.stepwiseArrival(
                governor, published: published, target: target, lastLimitedChangeNs: lastLimited,
                lastPublishNs: lastPublish, now: now, limit: 20_000) else { continue }
            let estimate = governor.estimateArrival(
                published: published, target: target, lastLimitedChangeNs: lastLimited, lastPublishNs: lastPublish,
                now: now, gridIntervalNs: Self.grid)
            #expect(estimate.steps == expected.steps && estimate.ns == expected.ns,
                    "estimate \(estimate), rule \(expected); \(governance), \(count) tiers")
            compared += 1
            if expected.steps > 1 { moving += 1 }
        }
        #expect(compared > 350 && moving > 100, "the cases must exercise multi-step paths: \(compared), \(moving)")
    }
}
