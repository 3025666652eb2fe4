import FulcrumTestSupport
import Testing
@testable import FulcrumProtocol

/// Per-asset values of both forms held in tables: the triangle (full tables) and the factor form (loadings, flags,
/// target). `factors` = 0 sends the triangle, whatever the factor tables hold.
private struct FactorTableMatrix: PortfolioMatrix {
    var sigmaHorizon: [Double]
    var correlation: [[Double]]
    var ready: [[Bool]]
    var factors: Int
    var loadings: [Double]
    var admitted: [Bool]
    var symbolReady: [Bool]
    var target: Double

    func sigmaHorizon(_ asset: Int) -> Double { sigmaHorizon[asset] }
    func correlation(_ row: Int, _ column: Int) -> Double { correlation[row][column] }
    func isPairReady(_ row: Int, _ column: Int) -> Bool { ready[row][column] }
    var factorCount: Int { factors }
    func appendLoadings(asset: Int, to elements: inout ProtobufWriter.PackedElements) {
        for factor in 0..<factors { elements.append(loadings[asset * factors + factor]) }
    }
    func isAdmitted(_ asset: Int) -> Bool { admitted[asset] }
    func isReady(_ asset: Int) -> Bool { symbolReady[asset] }
    var shrinkageTarget: Double { target }
}

/// A conformer that writes each asset's loadings as one run of raw bytes (`append(byteCount:)`), as a producer
/// copying a contiguous row would.
private struct RawRowMatrix: PortfolioMatrix {
    var table: FactorTableMatrix

    func sigmaHorizon(_ asset: Int) -> Double { table.sigmaHorizon(asset) }
    func correlation(_ row: Int, _ column: Int) -> Double { table.correlation(row, column) }
    func isPairReady(_ row: Int, _ column: Int) -> Bool { table.isPairReady(row, column) }
    var factorCount: Int { table.factors }
    func appendLoadings(asset: Int, to elements: inout ProtobufWriter.PackedElements) {
        let k = table.factors
        elements.append(byteCount: 8 * k) { base in
            for factor in 0..<k {
                base.storeBytes(of: table.loadings[asset * k + factor].bitPattern.littleEndian,
                                toByteOffset: 8 * factor, as: UInt64.self)
            }
        }
    }
    func isAdmitted(_ asset: Int) -> Bool { table.isAdmitted(asset) }
    func isReady(_ asset: Int) -> Bool { table.isReady(asset) }
    var shrinkageTarget: Double { table.target }
}

private extension SplitMix64 {
    /// Zero a third of the time (default omission), −0.0 (written: not the default's bits), extremes, ordinary
    /// values and arbitrary non-NaN bit patterns.
    mutating func wireDouble() -> Double {
        switch Int.random(in: 0..<9, using: &self) {
        case 0, 1, 2: return 0
        case 3: return [-0.0, .infinity, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, 1, -1]
            .randomElement(using: &self)!
        case 4, 5, 6: return Double.random(in: -1...1, using: &self)
        default:
            let value = Double(bitPattern: next())
            return value.isNaN ? 0.25 : value
        }
    }

    mutating func wireUInt64() -> UInt64 {
        Bool.random(using: &self) ? 0 : next() >> UInt64.random(in: 0...63, using: &self)
    }

    mutating func wireInt64() -> Int64 { Int64(bitPattern: wireUInt64()) }

    /// Fields of one message with n symbols and k factors (k = 0: the full form, with factor tables filled anyway).
    mutating func portfolio(symbols n: Int, factors k: Int,
                            factorTables: Int) -> PortfolioUpdateFields<FactorTableMatrix> {
        let indices = 0..<n
        let matrix = FactorTableMatrix(
            sigmaHorizon: indices.map { _ in wireDouble() },
            correlation: indices.map { _ in indices.map { _ in wireDouble() } },
            ready: indices.map { _ in indices.map { _ in Bool.random(using: &self) } },
            factors: k,
            loadings: (0..<(n * factorTables)).map { _ in wireDouble() },
            admitted: indices.map { _ in Bool.random(using: &self) },
            symbolReady: indices.map { _ in Bool.random(using: &self) },
            target: wireDouble())
        return PortfolioUpdateFields(
            publisherEpoch: wireUInt64(), asOfNs: wireInt64(), gridStep: wireUInt64(),
            symbols: indices.map { "S\($0)" + String(repeating: "x", count: Int.random(in: 0...3, using: &self)) },
            matrix: matrix, shrinkageIntensity: wireDouble(), horizonNs: wireInt64(), maxOffsetFraction: wireDouble(),
            coverageEpsilon: wireDouble(), configHash: wireUInt64())
    }
}

/// The generated message with the same field values: the triangle, or fields 13–17 in factor form.
private func generated(_ fields: PortfolioUpdateFields<FactorTableMatrix>) -> WirePortfolioUpdate {
    var message = WirePortfolioUpdate()
    message.publisherEpoch = fields.publisherEpoch
    message.asOfNs = fields.asOfNs
    message.gridStep = fields.gridStep
    message.symbols = fields.symbols
    message.sigmaHorizon = fields.matrix.sigmaHorizon
    let n = fields.symbols.count
    if fields.matrix.factors == 0 {
        for row in 0..<n {
            for column in row..<n {
                message.correlation.append(fields.matrix.correlation[row][column])
                message.pairReady.append(fields.matrix.ready[row][column])
            }
        }
    } else {
        message.factorCount = UInt32(fields.matrix.factors)
        message.correlationLoadings = fields.matrix.loadings
        message.correlationAdmitted = fields.matrix.admitted
        message.symbolReady = fields.matrix.symbolReady
        message.shrinkageTarget = fields.matrix.target
    }
    message.shrinkageIntensity = fields.shrinkageIntensity
    message.horizonNs = fields.horizonNs
    message.maxOffsetFraction = fields.maxOffsetFraction
    message.coverageEpsilon = fields.coverageEpsilon
    message.configHash = fields.configHash
    return message
}

private func encoded<Matrix: PortfolioMatrix>(_ fields: PortfolioUpdateFields<Matrix>, into buffer: inout [UInt8]) {
    var writer = ProtobufWriter(reusing: &buffer)
    fields.encode(into: &writer)
    writer.finish(into: &buffer)
}

@Suite("Hand-written encoding of the portfolio update in factor form")
struct FactorFormWireEncodingTests {
    static let shapes: [(symbols: Int, factors: Int)] = [0, 1, 7, 100].flatMap { n in [1, 3, 16].map { (n, $0) } }

    @Test("Factor form and full form: the bytes equal swift-protobuf's, and decode back",
          arguments: FactorFormWireEncodingTests.shapes)
    func matchesGeneratedEncoding(symbols: Int, factors: Int) throws {
        var random = SplitMix64(seed: UInt64(0xFAC7_0000 + symbols * 100 + factors))
        var buffer: [UInt8] = []
        for iteration in 0..<(symbols >= 100 ? 6 : 40) {
            // Every other message in the full form, with the factor tables filled all the same: they must not show.
            let k = iteration % 2 == 0 ? factors : 0
            let fields = random.portfolio(symbols: symbols, factors: k, factorTables: factors)
            encoded(fields, into: &buffer)
            let message = generated(fields)
            let expected: [UInt8] = try message.serializedBytes()
            #expect(buffer == expected,
                    "n \(symbols), k \(k), iteration \(iteration): \(buffer.count) bytes, expected \(expected.count)")
            #expect(try WirePortfolioUpdate(serializedBytes: buffer) == message)

            var raw: [UInt8] = []
            let rows = PortfolioUpdateFields(
                publisherEpoch: fields.publisherEpoch, asOfNs: fields.asOfNs, gridStep: fields.gridStep,
                symbols: fields.symbols, matrix: RawRowMatrix(table: fields.matrix),
                shrinkageIntensity: fields.shrinkageIntensity, horizonNs: fields.horizonNs,
                maxOffsetFraction: fields.maxOffsetFraction, coverageEpsilon: fields.coverageEpsilon,
                configHash: fields.configHash)
            encoded(rows, into: &raw)
            #expect(raw == expected, "n \(symbols), k \(k), iteration \(iteration): loadings written as raw rows")
            if buffer != expected { break }
        }
    }

    @Test("Factor form is O(n·k): its size against the triangle's at n = 100, k = 3")
    func size() throws {
        var random = SplitMix64(seed: 77)
        var fields = random.portfolio(symbols: 100, factors: 3, factorTables: 3)
        fields.shrinkageIntensity = 0
        fields.matrix.target = 0
        var factor: [UInt8] = []
        encoded(fields, into: &factor)
        fields.matrix.factors = 0
        var full: [UInt8] = []
        encoded(fields, into: &full)
        let header = full.count - (8 * 5050 + 4 + 5050 + 3)
        // Fields 13 (2 bytes), 14 (8·300 + 3), 15 (100 + 2) and 16 (100 + 3: tags from field 16 on take two bytes) in
        // place of 6 (8·5050 + 4) and 7 (5050 + 3).
        #expect(factor.count == header + 2 + 2403 + 102 + 103, "\(factor.count) bytes vs the triangle's \(full.count)")
    }

    @Test("A buffer handed back and forth keeps its storage once grown, in factor form")
    func bufferReused() {
        var random = SplitMix64(seed: 78)
        let fields = random.portfolio(symbols: 100, factors: 16, factorTables: 16)
        var buffer: [UInt8] = []
        encoded(fields, into: &buffer)
        let (storage, capacity) = buffer.withUnsafeBufferPointer { (UInt(bitPattern: $0.baseAddress), buffer.capacity) }
        for _ in 0..<50 { encoded(fields, into: &buffer) }
        let after = buffer.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        #expect(after == storage && buffer.capacity == capacity)
    }
}
