import FulcrumEngine
import FulcrumProtocol
import MarginModel
import Testing

/// One vocabulary for reasons: each wire code's word is its protobuf name without `REASON_`, in lower case.
@Suite("The reasons' readable form")
struct ReasonVocabularyTests {
    @Test("Every reason code's word is its protobuf enum name, lower case, without the prefix; each has a meaning")
    func wordsAreTheWireNames() throws {
        let known = Fulcrum_V1_Reason.allCases.filter { $0 != .unspecified }
        var message = Fulcrum_V1_RiskParameters()
        message.reasons = known
        // SwiftProtobuf's JSON writes each enum value by its name in the .proto: the wire's own spelling.
        let json = try message.jsonString()
        for reason in known {
            let protoName = "REASON_" + reason.label.uppercased()
            #expect(json.contains("\"\(protoName)\""), "\(reason): \(reason.label) is not \(protoName)")
            #expect(!reason.meaning.isEmpty && reason.meaning != Fulcrum_V1_Reason.unspecified.meaning)
        }
        #expect(Fulcrum_V1_Reason.legend.map(\.label) == known.map(\.label))
        #expect(Set(known.map(\.label)).count == known.count)
        #expect(Fulcrum_V1_Reason.UNRECOGNIZED(99).label == "unknown_99")
    }

    @Test("The reasons an HTTP reader gets are those the wire message carries")
    func wireReasons() {
        let reasons: MarginReasons = [.stepLimited, .circuitBreakerShock, .circuitBreakerOverride, .liquidityUnknown]
        #expect(RiskEngine.wireReasons(reasons, status: .warming).map(\.label)
                    == ["warming", "step_limit", "circuit_breaker", "liquidity_unknown"])
        #expect(RiskEngine.wireReasons([.circuitBreakerStale], status: .stale).map(\.label) == ["stale_feed"])
    }
}
