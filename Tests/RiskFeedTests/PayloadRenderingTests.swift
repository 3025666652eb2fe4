import Foundation
import FulcrumProtocol
import Testing
@testable import RiskFeed

/// The JSON encoding is the proto3 JSON mapping: 64-bit integers as strings, non-finite doubles as the mapping's
/// strings, and SwiftProtobuf (the Swift client's decoder) reads it back exactly.
@Suite("JSON renditions of published payloads")
struct PayloadRenderingTests {
    static var parameters: Fulcrum_V1_RiskParameters {
        var message = Fulcrum_V1_RiskParameters()
        message.symbol = "BTC-USD"
        message.publisherEpoch = 1_796_622_852_392_719_613  // above 2^53: a JSON number would lose it
        message.asOfNs = -1  // signed, negative
        message.gridStep = (1 << 53) + 1
        message.imf = 0.05
        message.inputs.stalenessNs = 9_007_199_254_740_993
        message.inputs.residualCount = 42
        var first = Fulcrum_V1_MarginTier(), last = Fulcrum_V1_MarginTier()
        first.notionalCap = 1e6
        last.notionalFloor = 1e6
        last.notionalCap = .infinity
        last.maintenanceDeduction = -.infinity
        message.tiers = [first, last]
        message.coverage.kupiecLr = .nan
        message.coverage.observations = UInt64.max
        return message
    }

    static func object(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test("64-bit integers are strings, 32-bit ones numbers; infinities and NaN are Infinity, -Infinity, NaN")
    func mapping() throws {
        let bytes = try #require(PayloadRendering.json(topic: "risk.BTC-USD",
                                                       payload: try Self.parameters.serializedBytes()))
        let json = try Self.object(bytes)
        #expect(json["publisher_epoch"] as? String == "1796622852392719613")
        #expect(json["as_of_ns"] as? String == "-1")
        #expect(json["grid_step"] as? String == "9007199254740993")
        let inputs = try #require(json["inputs"] as? [String: Any])
        #expect(inputs["staleness_ns"] as? String == "9007199254740993")
        #expect((inputs["residual_count"] as? NSNumber)?.intValue == 42 && !(inputs["residual_count"] is String))
        let tiers = try #require(json["tiers"] as? [[String: Any]])
        #expect(tiers.last?["notional_cap"] as? String == "Infinity")
        #expect(tiers.last?["maintenance_deduction"] as? String == "-Infinity")
        let coverage = try #require(json["coverage"] as? [String: Any])
        #expect(coverage["kupiec_lr"] as? String == "NaN")
        #expect(coverage["observations"] as? String == "18446744073709551615")

        let heartbeat = Fulcrum_V1_Heartbeat.with {
            $0.publisherEpoch = 7
            $0.sequence = 1 << 60
            $0.wallTimeNs = 1_796_622_852_392_719_613
            $0.intervalMs = 500
        }
        let beat = try Self.object(try #require(PayloadRendering.json(topic: "hb",
                                                                      payload: try heartbeat.serializedBytes())))
        #expect(beat["sequence"] as? String == "1152921504606846976")
        #expect(beat["wall_time_ns"] as? String == "1796622852392719613")
        #expect((beat["interval_ms"] as? NSNumber)?.intValue == 500)
    }

    @Test("The Swift client's decoder reads the rendition back exactly")
    func roundTrip() throws {
        let original = Self.parameters
        let bytes = try #require(PayloadRendering.json(topic: "risk.BTC-USD", payload: try original.serializedBytes()))
        let decoded = try Fulcrum_V1_RiskParameters(jsonUTF8Bytes: bytes)
        #expect(decoded.publisherEpoch == original.publisherEpoch && decoded.gridStep == original.gridStep)
        #expect(decoded.asOfNs == -1 && decoded.inputs.stalenessNs == original.inputs.stalenessNs)
        #expect(decoded.tiers.last?.notionalCap == .infinity)
        #expect(decoded.tiers.last?.maintenanceDeduction == -.infinity)
        #expect(decoded.coverage.kupiecLr.isNaN && decoded.coverage.observations == UInt64.max)
    }
}
