import Foundation
import FulcrumTestSupport
import RiskEstimation
import Testing

@Suite("Event-time grid")
struct GridTests {
    static let second: Int64 = 1_000_000_000
    static let origin = GridDriver.origin

    func makeEstimator(lateness: Int64 = 0, assets: Int = 2, cap: Int = 3_600,
                       method: VolatilityMethod = .ewma) -> RiskEstimator {
        var configuration = EstimatorConfiguration.testing(halfLifeSteps: 10, window: 20)
        configuration.lateness = lateness
        configuration.maxCatchUpSteps = cap
        configuration.method = method
        var estimator = RiskEstimator(configuration: configuration, assetCapacity: assets)
        for _ in 0..<assets { _ = estimator.addAsset() }
        return estimator
    }

    @Test("Nothing closes before the first tick; the first return comes at the second boundary")
    func firstReturn() {
        var estimator = makeEstimator()
        #expect(estimator.closeNextInterval(upTo: Self.origin + 10 * Self.second) == nil)
        #expect(estimator.record(asset: 0, timestamp: Self.origin + 400_000_000, price: 100) == .accepted)
        #expect(estimator.pendingBoundary == Self.origin + Self.second)
        #expect(estimator.closeNextInterval(upTo: Self.origin + Self.second - 1) == nil)
        let first = estimator.closeNextInterval(upTo: Self.origin + Self.second)
        #expect(first == GridStep(index: 0, boundary: Self.origin + Self.second, closedBoundaries: 1))
        #expect(estimator.returnCount(0) == 0)
        #expect(estimator.status(0) == .noData)
        #expect(estimator.sampledPrice(0) == 100)
        #expect(estimator.record(asset: 0, timestamp: Self.origin + Self.second + 5, price: 110) == .accepted)
        _ = estimator.closeNextInterval(upTo: Self.origin + 2 * Self.second)
        #expect(estimator.returnCount(0) == 1)
        #expect(estimator.lastReturn(0).isApproximatelyEqual(to: Foundation.log(1.1), relativeTolerance: 1e-15))
        #expect(estimator.staleness(0) == Staleness(steps: 0, nanoseconds: Self.second - 5))
        #expect(estimator.staleness(1) == nil)
    }

    @Test("A tick exactly on a boundary belongs to the next interval (prices are sampled strictly before)")
    func boundaryTick() {
        var estimator = makeEstimator()
        estimator.record(asset: 0, timestamp: Self.origin + 1, price: 100)
        estimator.record(asset: 0, timestamp: Self.origin + Self.second, price: 200)
        // The tick at the boundary closed it first: the boundary's price is the earlier one.
        #expect(estimator.stepCount == 1)
        #expect(estimator.sampledPrice(0) == 100)
        _ = estimator.closeNextInterval(upTo: Self.origin + 2 * Self.second)
        #expect(estimator.sampledPrice(0) == 200)
    }

    @Test("Late ticks are dropped and counted; out-of-order ticks inside an open interval keep the latest")
    func lateAndOutOfOrder() {
        var estimator = makeEstimator()
        estimator.record(asset: 0, timestamp: Self.origin + 100, price: 100)
        estimator.record(asset: 0, timestamp: Self.origin + Self.second + 500, price: 101)
        #expect(estimator.record(asset: 1, timestamp: Self.origin + Self.second - 1, price: 7) == .late)
        #expect(estimator.record(asset: 0, timestamp: Self.origin - 1, price: 7) == .late)
        #expect(estimator.lateTicks == 2)
        #expect(estimator.record(asset: 0, timestamp: Self.origin + Self.second + 400, price: 99) == .accepted)
        _ = estimator.closeNextInterval(upTo: Self.origin + 2 * Self.second)
        #expect(estimator.sampledPrice(0) == 101)
        #expect(estimator.sampledPrice(1) == nil)
        #expect(estimator.record(asset: 0, timestamp: Self.origin + 3 * Self.second, price: .nan) == .invalid)
        #expect(estimator.record(asset: 0, timestamp: Self.origin + 3 * Self.second, price: -1) == .invalid)
        #expect(estimator.invalidTicks == 2)
        #expect(estimator.stepCount == 2)
    }

    @Test("A jump over several boundaries closes each; returns are 0 and staleness grows")
    func jumpOverBoundaries() {
        var estimator = makeEstimator()
        estimator.record(asset: 0, timestamp: Self.origin + 10, price: 100)
        estimator.record(asset: 1, timestamp: Self.origin + 20, price: 50)
        var closed: [GridStep] = []
        let time = Self.origin + 5 * Self.second + 7
        while let step = estimator.closeNextInterval(upTo: time) {
            closed.append(step)
            if step.index >= 1 {
                #expect(estimator.lastReturn(0) == 0)
                #expect(estimator.staleness(0)?.steps == step.index)
            }
        }
        #expect(closed.map(\.boundary) == (1...5).map { Self.origin + Int64($0) * Self.second })
        #expect(closed.allSatisfy { $0.closedBoundaries == 1 })
        #expect(estimator.returnCount(0) == 4)
        #expect(estimator.staleness(1) == Staleness(steps: 4, nanoseconds: 5 * Self.second - 20))
        #expect(estimator.record(asset: 0, timestamp: time, price: 120) == .accepted)
        _ = estimator.closeNextInterval(upTo: Self.origin + 6 * Self.second)
        #expect(estimator.lastReturn(0).isApproximatelyEqual(to: Foundation.log(1.2), relativeTolerance: 1e-15))
        #expect(estimator.staleness(0)?.steps == 0)
    }

    @Test("Lateness keeps an interval open; ticks of the next interval wait in their own slot")
    func lateness() {
        var estimator = makeEstimator(lateness: 300_000_000)
        estimator.record(asset: 0, timestamp: Self.origin + 10, price: 100)
        // Belongs to the interval after the first boundary; must not be sampled at that boundary.
        estimator.record(asset: 0, timestamp: Self.origin + Self.second + 100_000_000, price: 150)
        #expect(estimator.stepCount == 0)
        // A delayed tick for the first interval is still on time.
        #expect(estimator.record(asset: 0, timestamp: Self.origin + Self.second - 1, price: 110) == .accepted)
        #expect(estimator.closeNextInterval(upTo: Self.origin + Self.second + 299_999_999) == nil)
        #expect(estimator.closeNextInterval(upTo: Self.origin + Self.second + 300_000_000) != nil)
        #expect(estimator.sampledPrice(0) == 110)
        #expect(estimator.record(asset: 0, timestamp: Self.origin + Self.second - 2, price: 1) == .late)
        _ = estimator.closeNextInterval(upTo: Self.origin + 2 * Self.second + 300_000_000)
        #expect(estimator.sampledPrice(0) == 150)
        #expect(estimator.staleness(0) == Staleness(steps: 0, nanoseconds: 900_000_000))
    }

    @Test("record closes due boundaries itself, exactly as the caller's loop would")
    func recordClosesDueBoundaries() throws {
        var looped = makeEstimator()
        var direct = makeEstimator()
        var generator = SplitMix64(seed: 3)
        var time = Self.origin
        for _ in 0..<500 {
            time += Int64.random(in: 1...2_500_000_000, using: &generator)
            let asset = Int.random(in: 0..<2, using: &generator)
            let price = 100 * Foundation.exp(0.01 * generator.normal())
            while looped.closeNextInterval(upTo: time) != nil {}
            looped.record(asset: asset, timestamp: time, price: price)
            direct.record(asset: asset, timestamp: time, price: price)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try encoder.encode(looped) == encoder.encode(direct))
        #expect(looped.stepCount > 100)
    }

    @Test("A huge gap is fast-forwarded in closed form and matches closing every boundary", arguments: [
        VolatilityMethod.ewma, VolatilityMethod.window,
    ])
    func fastForward(method: VolatilityMethod) {
        // λ^gap = 2^−500 keeps the decayed sums normal (far from underflow).
        let gap: Int64 = 5_000
        var fast = makeEstimator(assets: 3, cap: 50, method: method)
        var slow = makeEstimator(assets: 3, cap: 1_000_000, method: method)
        var generator = SplitMix64(seed: 9)
        var prices = [100.0, 50.0, 10.0]
        for k in 0..<40 {
            let time = Self.origin + Int64(k) * Self.second + 1
            for asset in 0..<3 where !(asset == 2 && k < 30) {
                prices[asset] *= Foundation.exp(0.01 * generator.normal())
                while fast.closeNextInterval(upTo: time) != nil {}
                while slow.closeNextInterval(upTo: time) != nil {}
                fast.record(asset: asset, timestamp: time + Int64(asset), price: prices[asset])
                slow.record(asset: asset, timestamp: time + Int64(asset), price: prices[asset])
            }
        }
        let after = Self.origin + (40 + gap) * Self.second + 5
        var calls = 0
        var bulk: [GridStep] = []
        while let step = fast.closeNextInterval(upTo: after) {
            calls += 1
            if step.closedBoundaries > 1 { bulk.append(step) }
        }
        while slow.closeNextInterval(upTo: after) != nil {}
        #expect(calls <= 50 + 3)
        #expect(bulk.count == 1)
        #expect(fast.stepCount == slow.stepCount)
        #expect(fast.lastBoundary == slow.lastBoundary)
        for asset in 0..<3 {
            #expect(fast.returnCount(asset) == slow.returnCount(asset))
            #expect(fast.ewmaVariance(asset).isApproximatelyEqual(to: slow.ewmaVariance(asset),
                                                                  relativeTolerance: 1e-9))
            #expect(fast.windowVariance(asset).isApproximatelyEqual(to: slow.windowVariance(asset),
                                                                    relativeTolerance: 1e-12))
            #expect(fast.ess(asset).isApproximatelyEqual(to: slow.ess(asset), relativeTolerance: 1e-12))
            #expect(fast.staleness(asset) == slow.staleness(asset))
            #expect(fast.residualCount(asset) == slow.residualCount(asset))
            #expect((fast.lastStandardizedReturn(asset) == nil) == (slow.lastStandardizedReturn(asset) == nil))
            #expect(fast.status(asset) == slow.status(asset))
            for other in 0..<asset {
                let scale = (slow.ewmaVariance(asset) * slow.ewmaVariance(other)).squareRoot()
                #expect(fast.covariance(asset, other).isApproximatelyEqual(to: slow.covariance(asset, other),
                                                                           relativeTolerance: 1e-9, scale: scale))
                #expect(fast.correlation(asset, other).isApproximatelyEqual(to: slow.correlation(asset, other),
                                                                            relativeTolerance: 1e-9, scale: 1))
            }
            let fastResiduals = fast.withResiduals(asset: asset) { Array($0) + Array($1) }
            let slowResiduals = slow.withResiduals(asset: asset) { Array($0) + Array($1) }
            #expect(fastResiduals.count == slowResiduals.count)
            #expect(zip(fastResiduals, slowResiduals).allSatisfy {
                $0.isApproximatelyEqual(to: $1, relativeTolerance: 1e-12)
            })
        }
        // Both continue identically after the gap.
        for estimator in [fast, slow] {
            var copy = estimator
            copy.record(asset: 0, timestamp: after, price: prices[0] * 1.01)
            _ = copy.closeNextInterval(upTo: after + Self.second)
            #expect(copy.lastReturn(0).isApproximatelyEqual(to: Foundation.log(1.01), relativeTolerance: 1e-13))
        }
    }

    @Test("Replaying the same ticks gives bit-identical state")
    func determinism() throws {
        func run() -> RiskEstimator {
            var configuration = EstimatorConfiguration.testing(
                halfLifeSteps: 15, shrinkage: .ledoitWolf(target: .constantCorrelation))
            configuration.lateness = 200_000_000
            var estimator = RiskEstimator(configuration: configuration, assetCapacity: 4)
            var generator = SplitMix64(seed: 42)
            var time = Self.origin
            var prices = [Double](repeating: 100, count: 4)
            for tick in 0..<3_000 {
                if tick == 0 || tick == 700 { for _ in 0..<2 { _ = estimator.addAsset() } }
                time += Int64.random(in: -400_000_000...900_000_000, using: &generator)
                let asset = Int.random(in: 0..<estimator.assetCount, using: &generator)
                prices[asset] *= Foundation.exp(0.002 * generator.normal())
                while estimator.closeNextInterval(upTo: time) != nil {}
                estimator.record(asset: asset, timestamp: time, price: prices[asset])
            }
            return estimator
        }
        let first = run()
        let second = run()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try encoder.encode(first) == encoder.encode(second))
        #expect(first.lateTicks > 0)
        for i in 0..<4 {
            for j in 0..<4 { #expect(first.correlation(i, j).bitPattern == second.correlation(i, j).bitPattern) }
        }
    }
}
