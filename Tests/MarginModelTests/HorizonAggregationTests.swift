import Foundation
import FulcrumTestSupport
import Testing
@testable import MarginModel

/// Horizon aggregation of FHS held to an independent numpy/pandas computation
/// (`python3 -m fulcrum_tools.reference.horizon_vectors`), with its checkpoint and the k = 1 identity.
@Suite("Horizon aggregation of filtered historical simulation")
struct HorizonAggregationTests {
    static let gridNs: Int64 = 1_000_000_000

    static func optimizer(aggregation: HorizonAggregation, horizonSteps: Double, maximum: Int = 10,
                          measure: RiskMeasure = .valueAtRisk) throws -> MarginOptimizer {
        var configuration = MarginModelConfiguration()
        configuration.coverage.tailProbability = HorizonReferenceValues.tailProbability
        configuration.coverage.riskMeasure = measure
        configuration.coverage.liquidationHorizonNs = Int64((horizonSteps * Double(gridNs)).rounded())
        configuration.coverage.horizonAggregation = aggregation
        configuration.coverage.maximumAggregatedSteps = maximum
        return try MarginOptimizer(configuration: configuration, symbols: ["X"])
    }

    /// One update with the residuals appended so far in a ring of the reference window.
    static func update(_ optimizer: inout MarginOptimizer, ring: ResidualRing, step: Int) -> AssetParameters {
        ring.withWindow { window in
            optimizer.update(asset: 0, inputs: AssetRiskInputs(
                eventTimeNs: Int64(step) * gridNs, sigmaStep: HorizonReferenceValues.sigma, gridIntervalNs: gridNs,
                effectiveSampleSize: 1_000, residuals: window, varianceDecay: HorizonReferenceValues.decay))
        }
    }

    // Tolerance: the same order statistic is selected (blocks differ from numpy's by summation-order rounding,
    // about 1e-16 relative, far below the gaps between neighbouring blocks), so VaR agrees to rounding; ES
    // goes through the power sums of the tail (SortedTail), accurate to about 1e-12 relative.
    @Test("Tail losses of k-step blocks match numpy and pandas at every checkpoint of a sliding window",
          arguments: HorizonReferenceValues.cases.map(\.name))
    func reference(name: String) throws {
        let reference = try #require(HorizonReferenceValues.cases.first { $0.name == name })
        let aggregation = try #require(HorizonAggregation(rawValue: reference.aggregation))
        var value = try Self.optimizer(aggregation: aggregation, horizonSteps: reference.horizonSteps,
                                       maximum: reference.maximumAggregatedSteps)
        var shortfall = try Self.optimizer(aggregation: aggregation, horizonSteps: reference.horizonSteps,
                                           maximum: reference.maximumAggregatedSteps, measure: .expectedShortfall)
        var ring = ResidualRing(capacity: HorizonReferenceValues.window)
        var expected = reference.expected[...]
        for (index, z) in HorizonReferenceValues.residuals.enumerated() {
            ring.append(z)
            let appended = index + 1
            guard appended >= 1_000 else { continue }
            // Every step updates, so the block tails are maintained incrementally between the checkpoints.
            let var_ = Self.update(&value, ring: ring, step: appended)
            let es = Self.update(&shortfall, ring: ring, step: appended)
            guard let row = expected.first, row.appended == appended else { continue }
            expected.removeFirst()
            #expect(var_.inputs.tailObservations == row.tailSize, "\(name) at \(appended)")
            #expect(var_.reasons.contains(.parametricFallback) == false, "\(name) at \(appended)")
            #expect(var_.longTailLoss.isApproximatelyEqual(to: row.longVaR, relativeTolerance: 1e-13),
                    "\(name) long VaR at \(appended): \(var_.longTailLoss) vs \(row.longVaR)")
            #expect(var_.shortTailLoss.isApproximatelyEqual(to: row.shortVaR, relativeTolerance: 1e-13),
                    "\(name) short VaR at \(appended): \(var_.shortTailLoss) vs \(row.shortVaR)")
            #expect(es.longTailLoss.isApproximatelyEqual(to: row.longES, relativeTolerance: 1e-11),
                    "\(name) long ES at \(appended): \(es.longTailLoss) vs \(row.longES)")
            #expect(es.shortTailLoss.isApproximatelyEqual(to: row.shortES, relativeTolerance: 1e-11),
                    "\(name) short ES at \(appended): \(es.shortTailLoss) vs \(row.shortES)")
        }
        #expect(expected.isEmpty, "every checkpoint was reached")
    }

    @Test("A one-step horizon is bit-identical whatever the aggregation")
    func oneStepIsUnchanged() throws {
        var rng = SplitMix64(seed: 17)
        var optimizers = try HorizonAggregation.allCases.map { try Self.optimizer(aggregation: $0, horizonSteps: 1) }
        var ring = ResidualRing(capacity: 2_000)
        for step in 0..<3_000 {
            ring.append(rng.nextStudentT(degreesOfFreedom: 3) * (1.0 / 3).squareRoot())
            guard step >= 999 else { continue }
            let results = optimizers.indices.map { Self.update(&optimizers[$0], ring: ring, step: step) }
            for result in results.dropFirst() {
                #expect(result.longTailLoss.bitPattern == results[0].longTailLoss.bitPattern)
                #expect(result.shortTailLoss.bitPattern == results[0].shortTailLoss.bitPattern)
                #expect(result.target == results[0].target)
            }
        }
    }

    @Test("Aggregated tails survive a checkpoint bit for bit, and a state without them rebuilds from the window")
    func checkpoint() throws {
        var rng = SplitMix64(seed: 23)
        var ring = ResidualRing(capacity: 1_500)
        var original = try Self.optimizer(aggregation: .filteredPaths, horizonSteps: 4, measure: .expectedShortfall)
        var restored: MarginOptimizer?
        var legacy: MarginOptimizer?
        for step in 0..<4_000 {
            ring.append(rng.nextStudentT(degreesOfFreedom: 4) * 0.5.squareRoot())
            guard step >= 1_100 else { continue }
            let expected = Self.update(&original, ring: ring, step: step)
            if step == 2_000 {
                let state = original.tailState(ofAsset: 0)
                #expect(state.horizon != nil)
                let data = try JSONEncoder().encode(state)
                var resumed = try Self.optimizer(aggregation: .filteredPaths, horizonSteps: 4,
                                                 measure: .expectedShortfall)
                try resumed.restore(tail: try JSONDecoder().decode(ResidualTailState.self, from: data), asset: 0)
                try resumed.restore(original.state(ofAsset: 0), asset: 0)
                restored = resumed
                // The same state as written before horizon aggregation existed: no `horizon` key.
                var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                #expect(object.removeValue(forKey: "horizon") != nil)
                let old = try JSONSerialization.data(withJSONObject: object)
                let decoded = try JSONDecoder().decode(ResidualTailState.self, from: old)
                #expect(decoded.horizon == nil)
                var upgraded = try Self.optimizer(aggregation: .filteredPaths, horizonSteps: 4,
                                                  measure: .expectedShortfall)
                try upgraded.restore(tail: decoded, asset: 0)
                try upgraded.restore(original.state(ofAsset: 0), asset: 0)
                legacy = upgraded
                continue
            }
            if var resumed = restored {
                let result = Self.update(&resumed, ring: ring, step: step)
                restored = resumed
                #expect(result.longTailLoss.bitPattern == expected.longTailLoss.bitPattern)
                #expect(result.shortTailLoss.bitPattern == expected.shortTailLoss.bitPattern)
            }
            if var upgraded = legacy {
                let result = Self.update(&upgraded, ring: ring, step: step)
                legacy = upgraded
                // Rebuilt power sums: the same tail set, rounding of a different summation history.
                #expect(result.longTailLoss.isApproximatelyEqual(to: expected.longTailLoss, relativeTolerance: 1e-12))
                #expect(result.shortTailLoss.isApproximatelyEqual(to: expected.shortTailLoss,
                                                                  relativeTolerance: 1e-12))
            }
        }
        #expect(restored != nil && legacy != nil)
    }

    @Test("Fewer blocks than the minimum residual count use the one-step tail; a changed k rebuilds")
    func warmUpAndReconfiguration() throws {
        var rng = SplitMix64(seed: 31)
        var ring = ResidualRing(capacity: 3_000)
        var paths = try Self.optimizer(aggregation: .filteredPaths, horizonSteps: 4)
        var root = try Self.optimizer(aggregation: .squareRoot, horizonSteps: 4)
        for step in 0..<1_002 {
            ring.append(rng.nextStudentT(degreesOfFreedom: 4) * 0.5.squareRoot())
            guard step >= 999 else { continue }
            let a = Self.update(&paths, ring: ring, step: step)
            let b = Self.update(&root, ring: ring, step: step)
            // 1,000–1,002 residuals hold 997–999 blocks of 4: still the one-step tail scaled by √4.
            #expect(a.longTailLoss.bitPattern == b.longTailLoss.bitPattern, "at \(step + 1) residuals")
        }
        ring.append(rng.nextStudentT(degreesOfFreedom: 4) * 0.5.squareRoot())
        let aggregated = Self.update(&paths, ring: ring, step: 1_003)
        let scaled = Self.update(&root, ring: ring, step: 1_003)
        #expect(aggregated.inputs.tailObservations == 10)
        #expect(aggregated.longTailLoss != scaled.longTailLoss, "1,000 blocks of 4: the aggregated tail")
        // The same tail state handed to an optimizer with another k: the cache starts afresh, never mixes.
        var other = try Self.optimizer(aggregation: .filteredPaths, horizonSteps: 3)
        try other.restore(tail: paths.tailState(ofAsset: 0), asset: 0)
        var fresh = try Self.optimizer(aggregation: .filteredPaths, horizonSteps: 3)
        let a = Self.update(&other, ring: ring, step: 1_004)
        let b = Self.update(&fresh, ring: ring, step: 1_004)
        #expect(a.longTailLoss.bitPattern == b.longTailLoss.bitPattern)
    }
}
