import Foundation
import FulcrumSettings
import Testing
@testable import MarginModel

/// Per-asset governance overrides: resolved once per asset, used by the governed update and by its ETA, checked
/// and hashed like every other setting.
@Suite("Per-asset governance")
struct AssetGovernanceTests {
    static let grid: Int64 = 60_000_000_000

    /// Global steps of 10 % every grid step; FAST may move 30 % per step.
    static func configuration() -> MarginModelConfiguration {
        var configuration = bareConfiguration(gridNs: grid)
        configuration.governance.maximumRelativeStep = 0.1
        configuration.governance.cooldownNs = grid
        configuration.assetOverrides["FAST"] = AssetOverrides(
            governance: AssetGovernanceOverrides(maximumRelativeStep: 0.3))
        return configuration
    }

    static func inputs(at step: Int64, sigma: Double) -> AssetRiskInputs {
        AssetRiskInputs(eventTimeNs: step * grid, sigmaStep: sigma, gridIntervalNs: grid)
    }

    /// One asset's published path after volatility falls fivefold at step 1: the ETA given then, and the time
    /// and number of changes it actually took to reach the (fixed) target.
    struct Descent {
        /// The published MMF before the fall, and the target after it.
        var start: Double
        var target: Double
        var predictedNs: Int64
        var predictedSteps: Int
        var arrivalNs: Int64?
        var changes: Int
        var published: [Double]
    }

    /// Runs every asset of `optimizer` through the same inputs: high σ at step 0, a fifth of it from step 1.
    static func descend(_ optimizer: inout MarginOptimizer, steps: Int64 = 40) -> [Descent] {
        var descents: [Descent] = []
        for asset in 0..<optimizer.assetCount {
            let before = optimizer.update(asset: asset, inputs: inputs(at: 0, sigma: 0.01))
            let drop = optimizer.update(asset: asset, inputs: inputs(at: 1, sigma: 0.002))
            var descent = Descent(start: before.published.maintenanceMarginFraction,
                                  target: drop.target.maintenanceMarginFraction, predictedNs: drop.etaNs,
                                  predictedSteps: drop.etaSteps, arrivalNs: nil, changes: drop.changed ? 1 : 0,
                                  published: [drop.published.maintenanceMarginFraction])
            for step in 2...steps {
                let result = optimizer.update(asset: asset, inputs: inputs(at: step, sigma: 0.002))
                descent.published.append(result.published.maintenanceMarginFraction)
                if descent.arrivalNs == nil, result.changed { descent.changes += 1 }
                if descent.arrivalNs == nil, result.publishedTiers == result.targetTiers {
                    descent.arrivalNs = (step - 1) * grid
                }
            }
            descents.append(descent)
        }
        return descents
    }

    @Test("A larger step for one asset makes it reach the target sooner; the other follows the global rule")
    func overrideChangesOnlyItsAsset() throws {
        var optimizer = try MarginOptimizer(configuration: Self.configuration(), symbols: ["SLOW", "FAST"])
        #expect(optimizer.governance(ofAsset: 0).maximumRelativeStep == 0.1)
        #expect(optimizer.governance(ofAsset: 1).maximumRelativeStep == 0.3)
        #expect(optimizer.governance(ofAsset: 1).cooldownNs == Self.grid, "unset fields keep the global value")
        let descents = Self.descend(&optimizer)
        let slow = descents[0]
        let fast = descents[1]
        let slowArrival = try #require(slow.arrivalNs)
        let fastArrival = try #require(fast.arrivalNs)
        // Steps of at most s each: ⌈ln(start/target) / −ln(1 − s)⌉ grid steps, about 16 at 10 % and 5 at 30 %
        // for this (about fivefold) fall; the first is taken at the fall itself.
        func steps(_ descent: Descent, _ step: Double) -> Int64 {
            Int64((log(descent.start / descent.target) / -log(1 - step)).rounded(.up))
        }
        #expect(slowArrival == (steps(slow, 0.1) - 1) * Self.grid)
        #expect(fastArrival == (steps(fast, 0.3) - 1) * Self.grid)
        #expect(steps(slow, 0.1) >= 2 * steps(fast, 0.3))
        #expect(slow.published[1] < slow.published[0] && slow.published[1] > fast.published[1])

        // The ETA of the update where the target fell predicts each asset's own arrival.
        #expect(slow.predictedNs == slowArrival && slow.predictedSteps == slow.changes - 1)
        #expect(fast.predictedNs == fastArrival && fast.predictedSteps == fast.changes - 1)

        // The asset without an override moves exactly as under a configuration that has none.
        var plain = Self.configuration()
        plain.assetOverrides = [:]
        var reference = try MarginOptimizer(configuration: plain, symbols: ["SLOW"])
        #expect(Self.descend(&reference)[0].published == slow.published)
    }

    @Test("Cooldown and hysteresis overrides are the asset's own")
    func cooldownAndHysteresis() throws {
        var configuration = Self.configuration()
        configuration.assetOverrides["LAZY"] = AssetOverrides(
            governance: AssetGovernanceOverrides(cooldownNs: 3 * Self.grid, hysteresisBasisPoints: 50))
        var optimizer = try MarginOptimizer(configuration: configuration, symbols: ["SLOW", "LAZY"])
        // Held-back moves below 50 bp wait for the hourly refresh: give it a few hours of grid steps.
        let descents = Self.descend(&optimizer, steps: 400)
        let lazyArrival = try #require(descents[1].arrivalNs)
        // Steps only every third grid time, so the same 10 % steps take about three times as long.
        #expect(lazyArrival > 2 * (descents[0].arrivalNs ?? .max))
        #expect(descents[1].predictedNs == lazyArrival)
        #expect(optimizer.governance(ofAsset: 1).hysteresisBasisPoints == 50)
    }

    @Test("A checkpointed asset resumes under its own governance")
    func checkpointResumes() throws {
        let configuration = Self.configuration()
        var original = try MarginOptimizer(configuration: configuration, symbols: ["SLOW", "FAST"])
        for asset in 0..<2 {
            _ = original.update(asset: asset, inputs: Self.inputs(at: 0, sigma: 0.01))
            _ = original.update(asset: asset, inputs: Self.inputs(at: 1, sigma: 0.002))
        }
        var restored = try MarginOptimizer(configuration: configuration, symbols: ["SLOW", "FAST"])
        for asset in 0..<2 {
            try restored.restore(original.state(ofAsset: asset), asset: asset)
            try restored.restore(tail: original.tailState(ofAsset: asset), asset: asset)
        }
        for step in Int64(2)...20 {
            for asset in 0..<2 {
                let expected = original.update(asset: asset, inputs: Self.inputs(at: step, sigma: 0.002))
                let resumed = restored.update(asset: asset, inputs: Self.inputs(at: step, sigma: 0.002))
                #expect(resumed.publishedTiers == expected.publishedTiers)
                #expect(resumed.etaNs == expected.etaNs)
            }
        }
    }

    static let invalidOverrides: [(String, AssetGovernanceOverrides, String, String)] = [
        ("maximumRelativeStep", AssetGovernanceOverrides(maximumRelativeStep: 1.5), "1.5", "a fraction in (0, 1)"),
        ("maximumRelativeStep", AssetGovernanceOverrides(maximumRelativeStep: .nan), "nan", "a fraction in (0, 1)"),
        ("cooldownNs", AssetGovernanceOverrides(cooldownNs: -1), "-1", "a duration ≥ 0 ns"),
        ("hysteresisBasisPoints", AssetGovernanceOverrides(hysteresisBasisPoints: 10_000), "10000.0",
         "a value in [0, 10000)"),
        ("refreshIntervalNs", AssetGovernanceOverrides(refreshIntervalNs: 0), "0", "a positive duration in ns"),
    ]

    @Test("Bad governance overrides name the full key, the value and what is allowed",
          arguments: 0..<invalidOverrides.count)
    func invalidOverride(index: Int) {
        let (field, overrides, value, allowed) = Self.invalidOverrides[index]
        var configuration = MarginModelConfiguration()
        configuration.assetOverrides["BTC-USD"] = AssetOverrides(governance: overrides)
        do {
            try configuration.validate(keyPrefix: "model")
            Issue.record("expected \(field) to be rejected")
        } catch {
            #expect(error.key == "model.assetOverrides.BTC-USD.governance.\(field)")
            #expect(error.value == value)
            #expect(error.allowed == allowed)
        }
    }

    @Test("The hash covers every governance override and keeps the digest of configurations without one")
    func hash() {
        var base = MarginModelConfiguration()
        // The defaults of that time, named explicitly since the defaults moved to VaR without a floor.
        base.coverage.riskMeasure = .expectedShortfall
        base.antiProcyclicality.mode = .stressedVolatilityFloor
        base.coverage.horizonAggregation = .squareRoot
        base.assetOverrides["BTC"] = AssetOverrides(maximumLeverage: 50)
        // The digest such a configuration had before governance overrides existed: checkpoints written then
        // resume without a configuration-change warning.
        #expect(base.configurationHash == Self.digestWithoutGovernance)

        let variants = [
            AssetGovernanceOverrides(),
            AssetGovernanceOverrides(maximumRelativeStep: 0.2),
            AssetGovernanceOverrides(cooldownNs: 1),
            AssetGovernanceOverrides(hysteresisBasisPoints: 3),
            AssetGovernanceOverrides(refreshIntervalNs: 1),
            AssetGovernanceOverrides(maximumRelativeStep: 0.2, cooldownNs: 1),
        ].map { governance in
            var configuration = base
            configuration.assetOverrides["BTC"]?.governance = governance
            return configuration.configurationHash
        }
        #expect(Set(variants + [base.configurationHash]).count == variants.count + 1)
    }

    /// `configurationHash` of the then defaults (expected shortfall, stressed-volatility floor) with
    /// `BTC: {maximumLeverage: 50}` under the encoding that predates
    /// governance overrides (written down from that encoding; it must never change).
    static let digestWithoutGovernance: UInt64 = 0x1e77_ea8c_931a_bcb0

    @Test("Overrides with governance round-trip through JSON")
    func codable() throws {
        var configuration = MarginModelConfiguration()
        configuration.assetOverrides["SOL"] = AssetOverrides(
            maximumLeverage: 20, governance: AssetGovernanceOverrides(maximumRelativeStep: 0.05, cooldownNs: 1))
        let decoded = try JSONDecoder().decode(MarginModelConfiguration.self,
                                               from: JSONEncoder().encode(configuration))
        #expect(decoded == configuration)
        #expect(decoded.configurationHash == configuration.configurationHash)
    }
}
