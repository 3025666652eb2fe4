import Benchmark
import FulcrumProtocol
import RiskFeed
import SwiftProtobuf

/// What the engine and the publisher do per outbound update: the protobuf encoding of a fully populated
/// `RiskParameters` (three tiers, inputs, coverage, reasons) and of a 100-asset `PortfolioUpdate`, and the JSON
/// rendition the publisher derives from each payload.
func registerPublishBenchmarks() {
    var parameters = WireRiskParameters()
    parameters.symbol = "SYM042"
    parameters.publisherEpoch = 1_700_000_000_123
    parameters.asOfNs = 1_700_000_000_000_000_000
    parameters.gridStep = 12_345
    parameters.status = .ready
    parameters.price = 64_999.5
    parameters.inputs.sigmaStep = 0.000_41
    parameters.inputs.sigmaAnnual = 0.73
    parameters.inputs.sigmaHorizon = 0.031
    parameters.inputs.ess = 1_442.7
    parameters.inputs.residualCount = 10_000
    parameters.inputs.stressedSigmaStep = 0.000_52
    parameters.imf = 0.05
    parameters.mmf = 0.03
    parameters.maxLeverage = 20
    parameters.imfTarget = 0.048
    parameters.mmfTarget = 0.029
    parameters.maxLeverageTarget = 20
    parameters.mmfLong = 0.03
    parameters.mmfShort = 0.031
    parameters.reasons = [.stepLimit, .periodicRefresh]
    parameters.etaSteps = 3
    parameters.etaNs = 3_000_000_000
    parameters.tiers = (0..<3).map { tier in
        var wire = Fulcrum_V1_MarginTier()
        wire.notionalFloor = tier == 0 ? 0 : 1e6 * Double(tier)
        wire.notionalCap = tier == 2 ? .infinity : 1e6 * Double(tier + 1)
        wire.imf = 0.05 * Double(tier + 1)
        wire.mmf = 0.03 * Double(tier + 1)
        wire.maxLeverage = UInt32(20 / (tier + 1))
        wire.maintenanceDeduction = 1_000 * Double(tier)
        return wire
    }
    parameters.configHash = 0xDEAD_BEEF_CAFE_F00D
    parameters.coverage.observations = 5_000
    parameters.coverage.exceptions = 47
    parameters.coverage.exceptionRate = 0.0094
    parameters.coverage.targetRate = 0.01
    parameters.coverage.kupiecLr = 0.18
    parameters.coverage.kupiecPValue = 0.67
    parameters.coverage.zone = .green
    parameters.horizonNs = 7_200_000_000_000

    var portfolio = WirePortfolioUpdate()
    portfolio.publisherEpoch = 1_700_000_000_123
    portfolio.asOfNs = 1_700_000_000_000_000_000
    let pairs = 100 * 99 / 2
    portfolio.symbols = (0..<100).map { (index: Int) -> String in "SYM\(index)" }
    portfolio.sigmaHorizon = (0..<100).map { (index: Int) -> Double in 0.01 + Double(index) * 1e-4 }
    portfolio.correlation = (0..<pairs).map { (index: Int) -> Double in 0.2 + Double(index % 61) * 0.01 }
    portfolio.pairReady = [Bool](repeating: true, count: pairs)
    portfolio.shrinkageIntensity = 0.2

    let parametersBytes: [UInt8] = (try? parameters.serializedBytes()) ?? []
    let portfolioBytes: [UInt8] = (try? portfolio.serializedBytes()) ?? []
    Benchmark("Publish encode: RiskParameters protobuf") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try? parameters.serializedBytes() as [UInt8]) }
    }
    Benchmark("Publish encode: RiskParameters JSON rendition") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(PayloadRendering.json(topic: "risk.SYM042", payload: parametersBytes))
        }
    }
    Benchmark("Publish encode: PortfolioUpdate (N = 100) protobuf") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try? portfolio.serializedBytes() as [UInt8]) }
    }
    Benchmark("Publish encode: PortfolioUpdate (N = 100) JSON rendition") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(PayloadRendering.json(topic: "portfolio", payload: portfolioBytes))
        }
    }
}
