import Foundation
import FulcrumService
import FulcrumTestSupport
import MarginModel
import MarketData
import RiskEstimation
import Testing
@testable import FulcrumEngine
@testable import FulcrumProtocol

/// Wire values for the randomized cases, drawn from the seeded generator so that every case can be replayed.
private extension SplitMix64 {
    /// Zero a quarter of the time (so default omission is exercised), signed zeros, infinities, the smallest and
    /// largest magnitudes, ordinary values, and arbitrary non-NaN bit patterns.
    mutating func double() -> Double {
        let extremes: [Double] = [
            -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
            .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1, -1, .ulpOfOne,
        ]
        switch Int.random(in: 0..<8, using: &self) {
        case 0, 1: return 0
        case 2: return extremes.randomElement(using: &self)!
        case 3: return Double.random(in: -1...1, using: &self)
        case 4: return Double.random(in: -1e9...1e9, using: &self)
        default:
            let value = Double(bitPattern: next())
            return value.isNaN ? 0.5 : value
        }
    }

    /// Values of every varint length, both signs, and zero.
    mutating func int64() -> Int64 {
        switch Int.random(in: 0..<6, using: &self) {
        case 0: return 0
        case 1: return [Int64.min, .max, -1, 1, 127, 128, -128].randomElement(using: &self)!
        case 2: return -Int64(bitPattern: next() >> UInt64.random(in: 1...63, using: &self))
        default: return Int64(bitPattern: next() >> UInt64.random(in: 0...63, using: &self))
        }
    }

    mutating func uint64() -> UInt64 {
        switch Int.random(in: 0..<5, using: &self) {
        case 0: return 0
        case 1: return [UInt64.max, 1, 127, 128, 16_383, 16_384].randomElement(using: &self)!
        default: return next() >> UInt64.random(in: 0...63, using: &self)
        }
    }

    mutating func uint32() -> UInt32 { UInt32(truncatingIfNeeded: uint64() >> UInt64.random(in: 0...32, using: &self)) }

    /// Empty, short (inline), multi-byte and long (two-byte length) strings.
    mutating func string() -> String {
        switch Int.random(in: 0..<6, using: &self) {
        case 0: return ""
        case 1: return ["BTC-USD", "ETH-USDT", "€", "日本円-JPY", "🚀-PERP", "X"].randomElement(using: &self)!
        case 2:
            let scalars = (0..<Int.random(in: 1...90, using: &self)).map { _ in
                Character(Unicode.Scalar(([0x41, 0xE9, 0x20AC, 0x1F600] as [UInt32]).randomElement(using: &self)!)!)
            }
            return String(scalars)
        default:
            let length = Int.random(in: 1...200, using: &self)
            return String((0..<length).map { _ in Character(Unicode.Scalar(UInt8.random(in: 0x21...0x7E,
                                                                                       using: &self))) })
        }
    }

    mutating func inputs() -> Fulcrum_V1_ModelInputs {
        var inputs = Fulcrum_V1_ModelInputs()
        inputs.sigmaStep = double()
        inputs.sigmaAnnual = double()
        inputs.sigmaHorizon = double()
        inputs.ess = double()
        inputs.residualCount = uint32()
        inputs.stalenessNs = int64()
        inputs.stressedSigmaStep = double()
        return inputs
    }

    mutating func tier() -> Fulcrum_V1_MarginTier {
        var tier = Fulcrum_V1_MarginTier()
        tier.notionalFloor = double()
        tier.notionalCap = double()
        tier.imf = double()
        tier.mmf = double()
        tier.maxLeverage = uint32()
        tier.maintenanceDeduction = double()
        return tier
    }

    mutating func coverage() -> Fulcrum_V1_Coverage {
        var coverage = Fulcrum_V1_Coverage()
        coverage.observations = uint64()
        coverage.exceptions = uint64()
        coverage.exceptionRate = double()
        coverage.targetRate = double()
        coverage.kupiecLr = double()
        coverage.kupiecPValue = double()
        coverage.zone = Fulcrum_V1_CoverageZone.allCases.randomElement(using: &self)!
        return coverage
    }

    /// A count that is mostly small, sometimes zero, sometimes up to `maximum`.
    mutating func count(upTo maximum: Int) -> Int {
        switch Int.random(in: 0..<6, using: &self) {
        case 0: return 0
        case 1: return Int.random(in: 0...maximum, using: &self)
        default: return Int.random(in: 1...min(8, maximum), using: &self)
        }
    }

    mutating func riskParameters() -> RiskParametersFields<[Fulcrum_V1_Reason], [Fulcrum_V1_MarginTier]> {
        RiskParametersFields(
            symbol: string(), publisherEpoch: uint64(), asOfNs: int64(), gridStep: uint64(),
            status: Fulcrum_V1_AssetStatus.allCases.randomElement(using: &self)!, price: double(),
            inputs: inputs(), imf: double(), mmf: double(), maxLeverage: uint32(), imfTarget: double(),
            mmfTarget: double(), maxLeverageTarget: uint32(), mmfLong: double(), mmfShort: double(),
            reasons: (0..<count(upTo: 40)).map { _ in Fulcrum_V1_Reason.allCases.randomElement(using: &self)! },
            etaSteps: uint32(), etaNs: int64(),
            tiers: (0..<count(upTo: 64)).map { _ in tier() },
            configHash: uint64(), coverage: Bool.random(using: &self) ? coverage() : nil, horizonNs: int64())
    }

    mutating func portfolio(maximumSymbols: Int) -> PortfolioUpdateFields<TableMatrix> {
        let symbols = (0..<count(upTo: maximumSymbols)).map { _ in string() }
        let indices = symbols.indices
        let matrix = TableMatrix(
            sigmaHorizon: indices.map { _ in double() },
            correlation: indices.map { _ in indices.map { _ in double() } },
            ready: indices.map { _ in indices.map { _ in Bool.random(using: &self) } })
        return PortfolioUpdateFields(
            publisherEpoch: uint64(), asOfNs: int64(), gridStep: uint64(), symbols: symbols, matrix: matrix,
            shrinkageIntensity: double(), horizonNs: int64(), maxOffsetFraction: double(), coverageEpsilon: double(),
            configHash: uint64())
    }
}

/// Per-asset and per-pair values held in full tables.
private struct TableMatrix: PortfolioMatrix {
    var sigmaHorizon: [Double]
    var correlation: [[Double]]
    var ready: [[Bool]]

    func sigmaHorizon(_ asset: Int) -> Double { sigmaHorizon[asset] }
    func correlation(_ row: Int, _ column: Int) -> Double { correlation[row][column] }
    func isPairReady(_ row: Int, _ column: Int) -> Bool { ready[row][column] }
}

/// The generated message with the same field values, built field by field.
private func generated(_ fields: RiskParametersFields<[Fulcrum_V1_Reason], [Fulcrum_V1_MarginTier]>)
    -> WireRiskParameters {
    var message = WireRiskParameters()
    message.symbol = fields.symbol
    message.publisherEpoch = fields.publisherEpoch
    message.asOfNs = fields.asOfNs
    message.gridStep = fields.gridStep
    message.status = fields.status
    message.price = fields.price
    message.inputs = fields.inputs
    message.imf = fields.imf
    message.mmf = fields.mmf
    message.maxLeverage = fields.maxLeverage
    message.imfTarget = fields.imfTarget
    message.mmfTarget = fields.mmfTarget
    message.maxLeverageTarget = fields.maxLeverageTarget
    message.mmfLong = fields.mmfLong
    message.mmfShort = fields.mmfShort
    message.reasons = fields.reasons
    message.etaSteps = fields.etaSteps
    message.etaNs = fields.etaNs
    message.tiers = fields.tiers
    message.configHash = fields.configHash
    if let coverage = fields.coverage { message.coverage = coverage }
    message.horizonNs = fields.horizonNs
    return message
}

private func generated(_ fields: PortfolioUpdateFields<TableMatrix>) -> WirePortfolioUpdate {
    var message = WirePortfolioUpdate()
    message.publisherEpoch = fields.publisherEpoch
    message.asOfNs = fields.asOfNs
    message.gridStep = fields.gridStep
    message.symbols = fields.symbols
    message.sigmaHorizon = fields.matrix.sigmaHorizon
    // The upper triangle with the diagonal, row-major, as protocols/fulcrum/v1/risk.proto specifies.
    for row in fields.symbols.indices {
        for column in row..<fields.symbols.count {
            message.correlation.append(fields.matrix.correlation[row][column])
            message.pairReady.append(fields.matrix.ready[row][column])
        }
    }
    message.shrinkageIntensity = fields.shrinkageIntensity
    message.horizonNs = fields.horizonNs
    message.maxOffsetFraction = fields.maxOffsetFraction
    message.coverageEpsilon = fields.coverageEpsilon
    message.configHash = fields.configHash
    return message
}

/// Where two encodings first differ, kept short (the byte arrays themselves run to kilobytes).
private func difference(_ actual: [UInt8], _ expected: [UInt8]) -> String {
    let index = zip(actual, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        ?? min(actual.count, expected.count)
    return "\(actual.count) bytes, expected \(expected.count); first difference at byte \(index): "
        + "\(actual[index..<min(index + 12, actual.count)]) vs \(expected[index..<min(index + 12, expected.count)])"
}

@Suite("Hand-written protobuf encoding of outbound updates")
struct WireEncodingTests {
    static let second: Int64 = 1_000_000_000
    static let start: Int64 = 1_700_000_000_000_000_000

    @Test("RiskParameters: the bytes equal swift-protobuf's for thousands of random field sets, and decode back")
    func riskParametersMatchGeneratedEncoding() throws {
        var random = SplitMix64(seed: 0x5EED_0001)
        var buffer: [UInt8] = []
        for iteration in 0..<4000 {
            let fields = random.riskParameters()
            var writer = ProtobufWriter(reusing: &buffer)
            fields.encode(into: &writer)
            writer.finish(into: &buffer)
            let message = generated(fields)
            let expected: [UInt8] = try message.serializedBytes()
            let identical = buffer == expected
            #expect(identical, "iteration \(iteration): \(difference(buffer, expected))")
            #expect(try WireRiskParameters(serializedBytes: buffer) == message, "iteration \(iteration)")
            if !identical { break }
        }
    }

    @Test("RiskParameters: every reason, status and zone, −0.0, no tiers and the largest values")
    func riskParametersEdgeCases() throws {
        var random = SplitMix64(seed: 0x5EED_0002)
        for status in Fulcrum_V1_AssetStatus.allCases {
            for zone in Fulcrum_V1_CoverageZone.allCases {
                var fields = random.riskParameters()
                fields.status = status
                fields.reasons = Fulcrum_V1_Reason.allCases + Fulcrum_V1_Reason.allCases.reversed()
                fields.tiers = []
                fields.coverage?.zone = zone
                fields.price = -0.0
                fields.imf = .greatestFiniteMagnitude
                fields.maxLeverage = .max
                fields.configHash = .max
                fields.etaNs = .min
                var buffer: [UInt8] = []
                var writer = ProtobufWriter(reusing: &buffer)
                fields.encode(into: &writer)
                writer.finish(into: &buffer)
                let expected: [UInt8] = try generated(fields).serializedBytes()
                let identical = buffer == expected
                #expect(identical, "\(status), \(zone): \(difference(buffer, expected))")
                let decoded = try WireRiskParameters(serializedBytes: buffer)
                #expect(decoded.price.sign == .minus && decoded.price == 0)
                #expect(decoded.reasons.count == 2 * Fulcrum_V1_Reason.allCases.count)
            }
        }
    }

    @Test("PortfolioUpdate: the bytes equal swift-protobuf's, up to hundreds of symbols, and decode back")
    func portfolioMatchesGeneratedEncoding() throws {
        var random = SplitMix64(seed: 0x5EED_0003)
        var buffer: [UInt8] = []
        for iteration in 0..<600 {
            let fields = random.portfolio(maximumSymbols: iteration % 50 == 0 ? 400 : 40)
            var writer = ProtobufWriter(reusing: &buffer)
            fields.encode(into: &writer)
            writer.finish(into: &buffer)
            let message = generated(fields)
            let expected: [UInt8] = try message.serializedBytes()
            let identical = buffer == expected
            #expect(identical, "iteration \(iteration): \(difference(buffer, expected))")
            #expect(try WirePortfolioUpdate(serializedBytes: buffer) == message, "iteration \(iteration)")
            if !identical { break }
        }
    }

    @Test("Varints of every length match swift-protobuf's, and varintSize counts their bytes")
    func varints() throws {
        var values: [UInt64] = [0, .max]
        for shift in 0..<64 {
            values += [1 << shift, (1 << shift) - 1, (1 << shift) + 1]
        }
        for value in values {
            var heartbeat = WireHeartbeat()
            heartbeat.sequence = value
            var buffer: [UInt8] = []
            var writer = ProtobufWriter(reusing: &buffer)
            if value != 0 { writer.write(2, uint64: value) }
            writer.finish(into: &buffer)
            #expect(buffer == (try heartbeat.serializedBytes() as [UInt8]), "value \(value)")

            writer = ProtobufWriter(reusing: &buffer)
            writer.appendVarint(value)
            #expect(writer.count == ProtobufWriter.varintSize(value), "value \(value)")
        }
    }

    @Test("A nested message of 128 bytes or more gets a multi-byte length, moved into place")
    func longNestedMessage() throws {
        for repetitions in [1, 14, 15, 16, 200, 2000] {
            var buffer: [UInt8] = []
            var writer = ProtobufWriter(reusing: &buffer)
            writer.write(1, string: "AAA")
            // A singular field repeated: valid protobuf, the last value wins.
            writer.writeMessage(7) { body in
                for index in 0..<repetitions { body.write(1, double: Double(index)) }
            }
            writer.write(22, int64: 5)
            writer.finish(into: &buffer)

            let bodyLength = 9 * repetitions
            let lengthBytes = ProtobufWriter.varintSize(UInt64(bodyLength))
            #expect(buffer.count == 5 + 1 + lengthBytes + bodyLength + 3)
            let message = try WireRiskParameters(serializedBytes: buffer)
            #expect(message.symbol == "AAA")
            #expect(message.inputs.sigmaStep == Double(repetitions - 1))
            #expect(message.horizonNs == 5)
        }
    }

    // MARK: The engine

    /// Feeds AAA and BBB random-walk ticks for `steps` grid steps, passing every update to `emit`.
    static func drive(_ engine: inout RiskEngine, steps: Range<Int>, seed: UInt64,
                      emit: (RiskEngine.Update) -> Void) throws {
        var random = SplitMix64(seed: seed)
        var sequence = UInt64(steps.lowerBound) * 2
        for k in steps {
            for (index, symbol) in ["AAA", "BBB"].enumerated() {
                sequence += 1
                let price = [100.0, 20.0][index] * (1 + 0.02 * Double.random(in: -1...1, using: &random))
                let time = start + Int64(k) * second + Int64(index + 1) * 100_000_000
                let frames = try tickFrames(symbol, price: price, at: time, sequence: sequence)
                frames.topic.withUnsafeBytes { first in
                    frames.payload.withUnsafeBytes { second in
                        _ = engine.ingest(feed: 0, frameCount: 2, first, second, receiptTime: time + 1_000_000,
                                          emit: emit)
                    }
                }
            }
        }
    }

    /// What the engine published before the hand-written encoder: the generated message, field by field.
    static func reference(_ engine: RiskEngine, asset: Int) throws -> [UInt8] {
        let parameters = try #require(engine.latest[asset])
        var message = WireRiskParameters()
        message.symbol = engine.symbols[asset]
        message.publisherEpoch = engine.epoch
        message.asOfNs = try #require(engine.estimator.lastBoundary)
        // Zero-based: the index of the step that closed `as_of_ns`.
        message.gridStep = UInt64(engine.estimator.stepCount - 1)
        message.status = RiskEngine.wireStatus(parameters.status)
        message.price = engine.prices[asset]
        message.inputs = engine.wireInputs(parameters.inputs, asset: asset)
        message.imf = parameters.published.initialMarginFraction
        message.mmf = parameters.published.maintenanceMarginFraction
        message.maxLeverage = UInt32(clamping: parameters.published.maxLeverage)
        message.imfTarget = parameters.target.initialMarginFraction
        message.mmfTarget = parameters.target.maintenanceMarginFraction
        message.maxLeverageTarget = UInt32(clamping: parameters.target.maxLeverage)
        message.mmfLong = parameters.longMaintenanceMarginFraction
        message.mmfShort = parameters.shortMaintenanceMarginFraction
        if parameters.status == .warming { message.reasons.append(.warming) }
        for (reason, code) in RiskEngine.reasonMap where parameters.reasons.contains(reason)
            && !message.reasons.contains(code) {
            message.reasons.append(code)
        }
        // The optimizer marks a widened update itself; the ledger says which multiplier the update used.
        #expect(parameters.reasons.contains(.coverageWidening) == engine.coverageLedger.isWidened(asset: asset))
        message.etaSteps = UInt32(clamping: parameters.etaSteps)
        message.etaNs = parameters.etaNs
        message.tiers = parameters.publishedTiers.map(RiskEngine.wireTier)
        message.configHash = parameters.configurationHash
        if engine.configuration.coverage.enabled { message.coverage = engine.wireCoverage(asset: asset) }
        message.horizonNs = engine.optimizer.overrides(ofAsset: asset).liquidationHorizonNs
            ?? engine.configuration.model.coverage.liquidationHorizonNs
        return try message.serializedBytes()
    }

    @Test("The engine's updates equal the generated encoding of the same values, coverage on and off",
          arguments: [true, false])
    func engineMatchesGeneratedEncoding(coverage: Bool) throws {
        var configuration = FulcrumConfiguration.smallEngine()
        configuration.coverage.enabled = coverage
        var engine = try RiskEngine(configuration: configuration.engine, epoch: 7)
        var emitted = 0
        var lastStep: (gridStep: UInt64, asOf: Int64)?
        try Self.drive(&engine, steps: 0..<80, seed: 11) { update in
            emitted += 1
            if update.topic.starts(with: Array("risk.".utf8)) {
                #expect((try? WireRiskParameters(serializedBytes: update.payload)) != nil)
            } else {
                let portfolio = try? WirePortfolioUpdate(serializedBytes: update.payload)
                #expect(portfolio != nil)
                lastStep = portfolio.map { ($0.gridStep, $0.asOfNs) }
            }
        }
        #expect(emitted > 80)
        var republished: [RiskEngine.Update] = []
        engine.republishAll { republished.append($0) }
        #expect(republished.count == 3)
        for (asset, update) in republished.prefix(2).enumerated() {
            #expect(update.payload == (try Self.reference(engine, asset: asset)))
        }
        let portfolio = try WirePortfolioUpdate(serializedBytes: try #require(republished.last).payload)
        // The republication (as at shutdown) repeats the last step: the same boundary and the same grid_step its own
        // updates carried, not one more.
        let step = try #require(lastStep)
        #expect(portfolio.asOfNs == step.asOf && portfolio.gridStep == step.gridStep,
                "republished at step \(portfolio.gridStep) of \(portfolio.asOfNs), last step \(step)")
        for update in republished.prefix(2) {
            #expect(try WireRiskParameters(serializedBytes: update.payload).gridStep == step.gridStep)
        }
        #expect(portfolio.symbols == ["AAA", "BBB"])
        #expect(portfolio.correlation.count == 3 && portfolio.pairReady.count == 3)
        #expect(portfolio.pairReady == [(0, 0), (0, 1), (1, 1)].map { engine.estimator.pairStatus($0, $1) == .ready })
        #expect(portfolio.correlation[0].isApproximatelyEqual(to: 1, relativeTolerance: 1e-9))
        #expect(portfolio.horizonNs == configuration.model.coverage.liquidationHorizonNs)
    }

    @Test("horizon_ns is the asset's own liquidation horizon when it has an override")
    func perAssetHorizon() throws {
        var configuration = FulcrumConfiguration.smallEngine()
        let global = configuration.model.coverage.liquidationHorizonNs
        let override = 2 * global + 7 * Self.second
        configuration.model.assetOverrides["AAA"] = .init(liquidationHorizonNs: override)
        var engine = try RiskEngine(configuration: configuration.engine, epoch: 1)
        var horizons: [String: Int64] = [:]
        try Self.drive(&engine, steps: 0..<10, seed: 3) { update in
            guard let message = try? WireRiskParameters(serializedBytes: update.payload),
                  update.topic.starts(with: Array("risk.".utf8)) else { return }
            horizons[message.symbol] = message.horizonNs
        }
        #expect(horizons == ["AAA": override, "BBB": global])
        var republished: [String: Int64] = [:]
        engine.republishAll { update in
            if let message = try? WireRiskParameters(serializedBytes: update.payload),
               update.topic.starts(with: Array("risk.".utf8)) {
                republished[message.symbol] = message.horizonNs
            }
        }
        #expect(republished == ["AAA": override, "BBB": global])
    }

    @Test("Steady-state steps write every update into one storage; updates a caller keeps stay intact")
    func buffersAreReused() throws {
        var engine = try RiskEngine(configuration: FulcrumConfiguration.smallEngine().engine, epoch: 2)
        try Self.drive(&engine, steps: 0..<60, seed: 5) { _ in }

        var storages = Set<UInt>()
        var updates = 0
        try Self.drive(&engine, steps: 60..<90, seed: 6) { update in
            updates += 1
            storages.insert(update.payload.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) })
        }
        #expect(updates >= 30)
        #expect(storages.count == 1)

        var kept: [RiskEngine.Update] = []
        var copies: [[UInt8]] = []
        try Self.drive(&engine, steps: 90..<100, seed: 7) { update in
            kept.append(update)
            copies.append(update.payload.map { $0 })
        }
        #expect(kept.count >= 10)
        #expect(kept.map(\.payload) == copies)
    }
}

/// The estimator's portfolio values read one entry at a time through ``PortfolioMatrix``'s default row methods:
/// what the engine encoded before it wrote whole rows in one pass.
private struct EntryByEntryMatrix: PortfolioMatrix {
    let estimator: RiskEstimator
    let horizonNs: Int64

    func sigmaHorizon(_ asset: Int) -> Double { estimator.horizonVolatility(asset, horizon: horizonNs) }
    func correlation(_ row: Int, _ column: Int) -> Double { estimator.correlation(row, column) }
    func isPairReady(_ row: Int, _ column: Int) -> Bool {
        estimator.isReadyForPairs(row) && estimator.isReadyForPairs(column)
    }
}

@Suite("The portfolio update's rows written in one pass")
struct PortfolioRowEncodingTests {
    @Test("Byte-identical to the entry-by-entry encoding at every step: late joiners, a constant price, shrinkage",
          arguments: [Shrinkage.none, .fixed(intensity: 0.2, target: .constantCorrelation),
                      .ledoitWolf(target: .identity)])
    func rowsMatchEntries(shrinkage: Shrinkage) throws {
        let symbols = (0..<9).map { "S\($0)" }
        var configuration = FulcrumConfiguration.smallEngine(
            feeds: [FeedConfiguration(name: "test", endpoint: "tcp://127.0.0.1:5999")], symbols: symbols)
        configuration.estimation.shrinkage = shrinkage
        var engine = try RiskEngine(configuration: configuration.engine, epoch: 3)
        var random = SplitMix64(seed: 41)
        var sequence: UInt64 = 0
        var compared = 0
        for k in 0..<70 {
            for (index, symbol) in symbols.enumerated() where k >= (index % 3) * 15 {
                sequence += 1
                // S0 never moves (no variance: the identity's row); the others share a market factor.
                let price = index == 0 ? 10.0 : 10 * (1 + 0.02 * Double.random(in: -1...1, using: &random))
                let time = WireEncodingTests.start + Int64(k) * WireEncodingTests.second + Int64(index + 1) * 1_000_000
                let frames = try tickFrames(symbol, price: price, at: time, sequence: sequence)
                frames.topic.withUnsafeBytes { first in
                    frames.payload.withUnsafeBytes { second in
                        _ = engine.ingest(feed: 0, frameCount: 2, first, second, receiptTime: time) { _ in }
                    }
                }
            }
            guard let boundary = engine.estimator.lastBoundary else { continue }
            var portfolio: [UInt8] = []
            engine.republishAll { if !$0.topic.starts(with: Array("risk.".utf8)) { portfolio = $0.payload } }
            let horizon = configuration.model.coverage.liquidationHorizonNs
            let reference = PortfolioUpdateFields(
                publisherEpoch: engine.epoch, asOfNs: boundary, gridStep: UInt64(engine.estimator.stepCount - 1),
                symbols: engine.symbols, matrix: EntryByEntryMatrix(estimator: engine.estimator, horizonNs: horizon),
                shrinkageIntensity: engine.estimator.shrinkageIntensity, horizonNs: horizon,
                maxOffsetFraction: configuration.model.portfolio.maximumCreditFraction,
                coverageEpsilon: configuration.model.portfolio.tailProbability,
                configHash: engine.optimizer.configurationHash)
            var bytes: [UInt8] = []
            var writer = ProtobufWriter(reusing: &bytes)
            reference.encode(into: &writer)
            writer.finish(into: &bytes)
            #expect(portfolio == bytes, "step \(k): \(difference(portfolio, bytes))")
            compared += 1
        }
        #expect(compared >= 65)
        let admitted = (0..<symbols.count).filter { engine.estimator.isInCorrelation($0) }
        // Both kinds of rows were encoded: assets in the correlation and assets outside it (S0 and late joiners).
        #expect(!admitted.contains(0) && admitted.count >= 2 && admitted.count <= symbols.count - 3,
                "admitted: \(admitted)")
    }
}
