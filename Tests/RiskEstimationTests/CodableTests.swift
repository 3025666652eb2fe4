import Foundation
import FulcrumTestSupport
import RiskEstimation
import Testing

@Suite("Checkpoint round trip")
struct CodableTests {
    static func feed(_ estimator: inout RiskEstimator, seed: UInt64, from start: Int64, count: Int) -> Int64 {
        var generator = SplitMix64(seed: seed)
        var time = start
        for _ in 0..<count {
            time += Int64.random(in: -300_000_000...700_000_000, using: &generator)
            let asset = Int.random(in: 0..<estimator.assetCount, using: &generator)
            let price = 100 * Foundation.exp(0.01 * generator.normal())
            while estimator.closeNextInterval(upTo: time) != nil {}
            estimator.record(asset: asset, timestamp: time, price: price)
        }
        return time
    }

    @Test("Encode → decode → encode is identical, and both copies evolve identically", arguments: [
        Shrinkage.none, Shrinkage.ledoitWolf(target: .identity),
    ])
    func roundTrip(shrinkage: Shrinkage) throws {
        var configuration = EstimatorConfiguration.testing(halfLifeSteps: 12, shrinkage: shrinkage)
        configuration.lateness = 100_000_000
        configuration.residualCapacity = 64
        var original = RiskEstimator(configuration: configuration, assetCapacity: 3)
        for _ in 0..<3 { _ = original.addAsset() }
        let time = Self.feed(&original, seed: 1, from: GridDriver.origin, count: 1_500)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(original)
        var restored = try JSONDecoder().decode(RiskEstimator.self, from: data)
        #expect(try encoder.encode(restored) == data)
        for i in 0..<3 {
            for j in 0..<3 { #expect(restored.correlation(i, j).bitPattern == original.correlation(i, j).bitPattern) }
        }
        #expect(restored.shrinkageIntensity.bitPattern == original.shrinkageIntensity.bitPattern)
        _ = Self.feed(&original, seed: 2, from: time, count: 500)
        _ = Self.feed(&restored, seed: 2, from: time, count: 500)
        #expect(try encoder.encode(restored) == encoder.encode(original))
    }

    /// The full mode's checkpoint, pinned byte for byte: a state written before the factor correlation mode
    /// existed must decode and re-encode to the same bytes, so the factor mode only adds keys of its own.
    @Test("A full-mode state encodes exactly as recorded", arguments: [
        ("full_state_none.json", Shrinkage.none),
        ("full_state_ledoit_wolf.json", Shrinkage.ledoitWolf(target: .constantCorrelation)),
    ])
    func fullModeEncodingIsPinned(name: String, shrinkage: Shrinkage) throws {
        var configuration = EstimatorConfiguration.testing(halfLifeSteps: 6, window: 5, shrinkage: shrinkage)
        configuration.lateness = 100_000_000
        configuration.residualCapacity = 8
        var estimator = RiskEstimator(configuration: configuration, assetCapacity: 3)
        for _ in 0..<3 { _ = estimator.addAsset() }
        _ = Self.feed(&estimator, seed: 11, from: GridDriver.origin, count: 120)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let actual = try encoder.encode(estimator)
        let record = Fixtures.directory.appendingPathComponent(name)
        // Set only to record a new case; a recorded state never changes.
        if ProcessInfo.processInfo.environment["FULCRUM_RECORD_ESTIMATOR_STATES"] == "1" {
            try actual.write(to: record)
        }
        let expected = try Data(contentsOf: record)
        #expect(actual == expected, "\(name) differs from its record")
        let decoded = try JSONDecoder().decode(RiskEstimator.self, from: expected)
        #expect(try encoder.encode(decoded) == expected)
    }

    @Test("A corrupted checkpoint is rejected with the field named")
    func corrupted() throws {
        var estimator = RiskEstimator(configuration: .testing(halfLifeSteps: 12), assetCapacity: 2)
        for _ in 0..<2 { _ = estimator.addAsset() }
        _ = Self.feed(&estimator, seed: 3, from: GridDriver.origin, count: 100)
        var object = try #require(
            JSONSerialization.jsonObject(with: JSONEncoder().encode(estimator)) as? [String: Any])
        object["crossSum"] = [1.0, 2.0]
        let data = try JSONSerialization.data(withJSONObject: object)
        #expect {
            _ = try JSONDecoder().decode(RiskEstimator.self, from: data)
        } throws: { error in
            (error as? RiskEstimationError).map { $0.code == .invalidState && $0.context["field"] == "crossSum" } ?? false
        }
    }
}
