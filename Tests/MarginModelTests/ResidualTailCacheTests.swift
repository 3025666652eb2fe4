import Foundation
import FulcrumTestSupport
import Testing
@testable import MarginModel

@Suite("Incremental residual tail selection")
struct ResidualTailCacheTests {
    /// Compares both tails with a full sort of the window.
    static func expectMatchesSort(_ cache: ResidualTailCache, window: [Double], k: Int,
                                  sourceLocation: SourceLocation = #_sourceLocation) {
        let sorted = window.map { min(max($0, -100), 100) }.sorted()
        #expect(cache.lower.count >= min(k, window.count), sourceLocation: sourceLocation)
        #expect(cache.upper.count >= min(k, window.count), sourceLocation: sourceLocation)
        for index in 0..<min(k, window.count) {
            #expect(cache.lower.values[index] == sorted[index], sourceLocation: sourceLocation)
            #expect(cache.upper.values[index] == -sorted[sorted.count - 1 - index], sourceLocation: sourceLocation)
        }
    }

    @Test("Random streams with ring wrap-around, ties, jumps and resets match a full sort")
    func randomStreams() {
        var rng = SplitMix64(seed: 99)
        for trial in 0..<8 {
            let capacity = 200 + Int(rng.next() % 800)
            var ring = ResidualRing(capacity: capacity)
            var cache = ResidualTailCache()
            let epsilon = [0.01, 0.025, 0.05][trial % 3]
            for step in 0..<4_000 {
                // Appends one or several residuals per update; sometimes many more than the window (a gap).
                let burst = rng.nextUnit() < 0.01 ? capacity + 3 : (rng.nextUnit() < 0.1 ? 3 : 1)
                for _ in 0..<burst {
                    let value = rng.nextUnit() < 0.05 ? (rng.nextUnit() < 0.5 ? 1.5 : -1.5)
                        : rng.nextStudentT(degreesOfFreedom: 3)
                    ring.append(value)
                }
                if rng.nextUnit() < 0.002 {
                    ring = ResidualRing(capacity: capacity)  // the estimator restarted: sequence goes back
                    ring.append(rng.nextGaussian())
                }
                let k = max(1, Int((epsilon * Double(ring.count)).rounded(.up)))
                ring.withWindow { cache.synchronize(with: $0, tailSize: k) }
                if step % 7 == 0 || step > 3_990 {
                    Self.expectMatchesSort(cache, window: ring.values, k: k)
                }
            }
            #expect(cache.rebuildCount < 400, "rebuilds should be rare; trial \(trial): \(cache.rebuildCount)")
        }
    }

    @Test("Expected-shortfall sums stay exact through many incremental changes")
    func powerSumsTrackTheTail() {
        var rng = SplitMix64(seed: 5)
        var ring = ResidualRing(capacity: 3_000)
        var cache = ResidualTailCache()
        for step in 0..<20_000 {
            ring.append(rng.nextStudentT(degreesOfFreedom: 4) * 0.5.squareRoot())
            guard ring.count >= 100 else { continue }
            let k = Int((0.01 * Double(ring.count)).rounded(.up))
            ring.withWindow { cache.synchronize(with: $0, tailSize: k) }
            if step % 97 == 0 {
                let sigma = rng.nextDouble(in: 0.0005, 0.12)
                let expected = bruteForceTailLosses(ring.values, epsilon: 0.01, horizonSigma: sigma,
                                                    measure: .expectedShortfall)
                let long = cache.longLoss(tailSize: k, horizonSigma: sigma, measure: .expectedShortfall)
                let short = cache.shortLoss(tailSize: k, horizonSigma: sigma, measure: .expectedShortfall)
                #expect(long.isApproximatelyEqual(to: expected.long, relativeTolerance: 1e-11), "step \(step)")
                #expect(short.isApproximatelyEqual(to: expected.short, relativeTolerance: 1e-11), "step \(step)")
            }
        }
    }

    @Test("A decoded tail state continues bit for bit: same tails, same power sums, same losses",
          arguments: [RiskMeasure.expectedShortfall, .valueAtRisk])
    func checkpointContinuation(measure: RiskMeasure) throws {
        var rng = SplitMix64(seed: 17)
        var ring = ResidualRing(capacity: 1_500)
        var original = ResidualTailCache()
        var restored: ResidualTailCache?
        var compared = 0
        for step in 0..<9_000 {
            ring.append(rng.nextStudentT(degreesOfFreedom: 4) * 0.5.squareRoot())
            guard ring.count >= 100 else { continue }
            let k = Int((0.01 * Double(ring.count)).rounded(.up))
            ring.withWindow { original.synchronize(with: $0, tailSize: k) }
            let sigma = rng.nextDouble(in: 0.0005, 0.05)
            let long = original.longLoss(tailSize: k, horizonSigma: sigma, measure: measure)
            let short = original.shortLoss(tailSize: k, horizonSigma: sigma, measure: measure)
            if step == 3_000 {
                // Mid-stream, with incremental power-sum changes pending their periodic recomputation.
                let state = ResidualTailState(cache: original)
                let decoded = try JSONDecoder().decode(ResidualTailState.self, from: try JSONEncoder().encode(state))
                #expect(decoded == state)
                restored = decoded.cache
                continue
            }
            guard var copy = restored else { continue }
            ring.withWindow { copy.synchronize(with: $0, tailSize: k) }
            let copyLong = copy.longLoss(tailSize: k, horizonSigma: sigma, measure: measure)
            let copyShort = copy.shortLoss(tailSize: k, horizonSigma: sigma, measure: measure)
            #expect(copyLong.bitPattern == long.bitPattern && copyShort.bitPattern == short.bitPattern,
                    "step \(step): \(copyLong) vs \(long), \(copyShort) vs \(short)")
            restored = copy
            compared += 1
        }
        #expect(restored == original)
        #expect(compared > 5_000)
    }

    @Test("A tail state whose counters do not fit its storage is refused, naming the field")
    func checkpointValidation() throws {
        var ring = ResidualRing(capacity: 200)
        for index in 0..<200 { ring.append(Double(index % 17) - 8) }
        var cache = ResidualTailCache()
        ring.withWindow { cache.synchronize(with: $0, tailSize: 2) }
        let json = try JSONEncoder().encode(ResidualTailState(cache: cache))
        var object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        var lower = try #require(object["lower"] as? [String: Any])
        lower["count"] = (lower["capacity"] as? Int ?? 0) + 1
        object["lower"] = lower
        let altered = try JSONSerialization.data(withJSONObject: object)
        let error = #expect(throws: MarginModelError.self) {
            _ = try JSONDecoder().decode(ResidualTailState.self, from: altered)
        }
        #expect(error?.code == .incompatibleState && error?.context["field"] == "tail.count", "\(String(describing: error))")
    }

    @Test("NaN and huge residuals are sanitized")
    func sanitizing() {
        var ring = ResidualRing(capacity: 10)
        for value in [1.0, .nan, -.infinity, .infinity, 2, -3, 1e6, 0, 0.5, -0.5] { ring.append(value) }
        var cache = ResidualTailCache()
        ring.withWindow { cache.synchronize(with: $0, tailSize: 3) }
        #expect(Array(cache.lower.values.prefix(3)) == [-100, -3, -0.5])
        #expect(Array(cache.upper.values.prefix(3)) == [-100, -100, -2])
    }
}
