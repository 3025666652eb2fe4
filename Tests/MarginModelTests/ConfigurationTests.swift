import Foundation
import FulcrumSettings
import Testing
@testable import MarginModel

@Suite("Configuration")
struct ConfigurationTests {
    @Test("Defaults are valid and carry the documented values")
    func defaults() throws {
        let configuration = MarginModelConfiguration()
        try configuration.validate()
        #expect(configuration.leverage.maintenanceRatio == 0.6)
        #expect(configuration.leverage.leverageSteps == [1, 2, 3, 5, 10, 20, 25, 50, 100])
        #expect(configuration.portfolio.maximumCreditFraction == 0.5)
        // Chosen by backtest (fulcrum_tools.calibration.run): VaR at ε is the coverage target itself; the
        // anti-procyclical floor is an opt-in policy whose cost the backtest reports.
        #expect(configuration.antiProcyclicality.mode == .off)
        #expect(configuration.coverage.riskMeasure == .valueAtRisk)
        // Chosen by backtest too: k-step residual paths through the volatility filter, blocks of at most 10.
        #expect(configuration.coverage.horizonAggregation == .filteredPaths)
        #expect(configuration.coverage.maximumAggregatedSteps == 10)
    }

    static let invalidCases: [(String, MarginModelConfiguration)] = {
        let base = MarginModelConfiguration()
        var cases: [(String, MarginModelConfiguration)] = []
        func add(_ key: String, _ mutate: (inout MarginModelConfiguration) -> Void) {
            var configuration = base
            mutate(&configuration)
            cases.append((key, configuration))
        }
        add("coverage.tailProbability") { $0.coverage.tailProbability = .nan }
        add("coverage.tailProbability") { $0.coverage.tailProbability = 0.7 }
        add("coverage.liquidationHorizonNs") { $0.coverage.liquidationHorizonNs = 0 }
        add("coverage.fallbackDegreesOfFreedom") { $0.coverage.fallbackDegreesOfFreedom = 2 }
        add("coverage.maximumAggregatedSteps") { $0.coverage.maximumAggregatedSteps = 0 }
        add("coverage.maximumAggregatedSteps") { $0.coverage.maximumAggregatedSteps = 101 }
        add("leverage.maintenanceRatio") { $0.leverage.maintenanceRatio = 1.2 }
        add("leverage.leverageSteps") { $0.leverage.leverageSteps = [5, 2] }
        add("leverage.minimumMaintenanceMarginFraction") { $0.leverage.minimumMaintenanceMarginFraction = 0 }
        add("tiers.lowerBoundsADVFraction") { $0.tiers.lowerBoundsADVFraction = [0.1, 0.2] }
        add("tiers.lowerBoundsADVFraction") {
            $0.tiers.lowerBoundsADVFraction = Array(stride(from: 0.0, to: 0.85, by: 0.1))
        }
        add("governance.maximumRelativeStep") { $0.governance.maximumRelativeStep = 1 }
        add("governance.cooldownNs") { $0.governance.cooldownNs = -1 }
        add("antiProcyclicality.bufferFraction") { $0.antiProcyclicality.bufferFraction = 0.1 }
        add("circuitBreaker.stressMultiplier") { $0.circuitBreaker.stressMultiplier = 0.5 }
        add("portfolio.maximumCreditFraction") { $0.portfolio.maximumCreditFraction = 1.5 }
        add("assetOverrides.BTC.tailProbability") { $0.assetOverrides["BTC"] = AssetOverrides(tailProbability: -1) }
        add("assetOverrides.ETH.openInterestUpperCap") {
            $0.assetOverrides["ETH"] = AssetOverrides(openInterestLowerCap: 5)
        }
        add("assetOverrides.SOL.governance.cooldownNs") {
            $0.assetOverrides["SOL"] = AssetOverrides(governance: AssetGovernanceOverrides(cooldownNs: -5))
        }
        return cases
    }()

    @Test("Invalid values throw an error naming the key", arguments: 0..<invalidCases.count)
    func invalidValues(caseIndex: Int) {
        let (key, configuration) = Self.invalidCases[caseIndex]
        do {
            try configuration.validate()
            Issue.record("expected \(key) to be rejected")
        } catch {
            #expect(error.key == key)
            #expect(!error.value.isEmpty && !error.allowed.isEmpty)
            #expect("\(error)".contains(key))
        }
    }

    @Test("A key prefix writes every key with the section's path; errors carry the value and the allowed range")
    func keyPrefix() {
        var configuration = MarginModelConfiguration()
        configuration.coverage.tailProbability = 0.7
        #expect {
            try configuration.validate(keyPrefix: "model")
        } throws: { error in
            let error = error as? ConfigurationError
            return error?.key == "model.coverage.tailProbability" && error?.value == "0.7"
                && error?.allowed == "a probability in (0, 0.5)" && error?.message == ConfigurationError.outOfRange
                && error?.description == "configuration error at model.coverage.tailProbability: out of range "
                    + "(got 0.7); allowed: a probability in (0, 0.5)"
        }
        configuration = MarginModelConfiguration()
        configuration.portfolio.maximumCreditFraction = 2
        #expect {
            try configuration.validate(keyPrefix: "model")
        } throws: { error in
            (error as? ConfigurationError)?.key == "model.portfolio.maximumCreditFraction"
        }
        configuration = MarginModelConfiguration()
        configuration.assetOverrides["ETH"] = AssetOverrides(openInterestLowerCap: 5)
        #expect {
            try configuration.validate(keyPrefix: "model")
        } throws: { error in
            let error = error as? ConfigurationError
            return error?.key == "model.assetOverrides.ETH.openInterestUpperCap" && error?.value == "(missing)"
        }
    }

    @Test("FNV-1a 64 matches the published test vectors")
    func fnvVectors() {
        #expect(FNV1a64.hash([UInt8]()) == 0xcbf2_9ce4_8422_2325)
        #expect(FNV1a64.hash(Array("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
        #expect(FNV1a64.hash(Array("foobar".utf8)) == 0x8594_4171_f739_67e8)
    }

    @Test("Configuration hash is stable, order-independent and sensitive to every change")
    func configurationHash() throws {
        let base = MarginModelConfiguration()
        #expect(base.configurationHash == MarginModelConfiguration().configurationHash)

        var first = base
        first.assetOverrides = [
            "BTC": AssetOverrides(maximumLeverage: 50), "ETH": AssetOverrides(tailProbability: 0.02),
        ]
        var second = base
        second.assetOverrides["ETH"] = AssetOverrides(tailProbability: 0.02)
        second.assetOverrides["BTC"] = AssetOverrides(maximumLeverage: 50)
        #expect(first.configurationHash == second.configurationHash)

        var variants: [MarginModelConfiguration] = []
        var c = base; c.coverage.tailProbability = 0.011; variants.append(c)
        c = base; c.coverage.riskMeasure = .expectedShortfall; variants.append(c)
        c = base; c.coverage.horizonAggregation = .residualSums; variants.append(c)
        c = base; c.coverage.horizonAggregation = .squareRoot; variants.append(c)
        c = base; c.coverage.maximumAggregatedSteps = 4; variants.append(c)
        c = base; c.governance.cooldownNs += 1; variants.append(c)
        c = base; c.leverage.leverageSteps = [1, 2, 3, 5, 10, 20, 25, 50]; variants.append(c)
        c = base; c.antiProcyclicality.mode = .buffer; variants.append(c)
        c = base; c.portfolio.degreesOfFreedom = nil; variants.append(c)
        c = first; c.assetOverrides["BTC"]?.maximumLeverage = 25; variants.append(c)
        c = first; c.assetOverrides["BTC"]?.tierLowerBounds = [0, 1e6]; variants.append(c)
        var hashes = Set(variants.map(\.configurationHash))
        hashes.insert(base.configurationHash)
        hashes.insert(first.configurationHash)
        #expect(hashes.count == variants.count + 2)

        // −0 and +0 are the same setting.
        c = base; c.liquidation.fixedCostFraction = -0.0
        var d = base; d.liquidation.fixedCostFraction = 0
        #expect(c.configurationHash == d.configurationHash)
    }

    @Test("Configuration round-trips through JSON")
    func codable() throws {
        var configuration = MarginModelConfiguration()
        configuration.assetOverrides["SOL"] = AssetOverrides(maximumLeverage: 20, tierLowerBounds: [0, 1e6, 5e6])
        let data = try JSONEncoder().encode(configuration)
        let decoded = try JSONDecoder().decode(MarginModelConfiguration.self, from: data)
        #expect(decoded == configuration)
        #expect(decoded.configurationHash == configuration.configurationHash)
    }

    @Test("Overrides apply to assets added later; duplicate symbols are rejected")
    func optimizerChecks() throws {
        var configuration = MarginModelConfiguration()
        configuration.assetOverrides["DOGE"] = AssetOverrides(maximumLeverage: 5)
        var optimizer = try MarginOptimizer(configuration: configuration, symbols: ["BTC"])
        #expect(optimizer.overrides(ofAsset: 0).maximumLeverage == nil)
        #expect(try optimizer.addAsset(symbol: "DOGE") == 1)
        #expect(optimizer.overrides(ofAsset: 1).maximumLeverage == 5)
        #expect(optimizer.assetCount == 2)
        #expect(throws: MarginModelError.self) { try optimizer.addAsset(symbol: "BTC") }
        #expect(throws: MarginModelError.self) {
            try MarginOptimizer(configuration: MarginModelConfiguration(), symbols: ["BTC", "BTC"])
        }
        let inputs = AssetRiskInputs(eventTimeNs: 1_000_000_000, sigmaStep: 0.001, gridIntervalNs: 1_000_000_000)
        let parameters = optimizer.update(asset: 1, inputs: inputs)
        #expect(parameters.published.maxLeverage <= 5)
    }
}
