import FulcrumProtocol
import SwiftProtobuf

/// Renders outbound protobuf payloads in the JSON encoding (proto3 JSON mapping, proto field names).
public enum PayloadRendering {
    /// Options of the JSON encoding: `snake_case` names as in the .proto, 64-bit integers as numbers.
    public static let jsonOptions: JSONEncodingOptions = {
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        options.alwaysPrintInt64sAsNumbers = true
        options.useDeterministicOrdering = true
        return options
    }()

    /// The JSON rendition of a protobuf `payload` published under `topic`, or `nil` for unknown topics.
    public static func json(topic: String, payload: [UInt8]) -> [UInt8]? {
        do {
            switch Topic.kind(of: topic) {
            case .risk:
                return try Fulcrum_V1_RiskParameters(serializedBytes: payload).jsonUTF8Bytes(options: jsonOptions)
            case .portfolio:
                return try Fulcrum_V1_PortfolioUpdate(serializedBytes: payload).jsonUTF8Bytes(options: jsonOptions)
            case .heartbeat:
                return try Fulcrum_V1_Heartbeat(serializedBytes: payload).jsonUTF8Bytes(options: jsonOptions)
            case .snapshotEnd:
                return try Fulcrum_V1_SnapshotEnd(serializedBytes: payload).jsonUTF8Bytes(options: jsonOptions)
            case .unknown:
                return nil
            }
        } catch {
            return nil
        }
    }
}
