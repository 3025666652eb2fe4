import FulcrumProtocol
import SwiftProtobuf

/// Renders outbound protobuf payloads in the JSON encoding: the proto3 JSON mapping, with the .proto field names.
///
/// As the mapping says: 64-bit integers (`int64`, `uint64`: epochs, sequences, nanosecond times) are JSON strings
/// (`"1796622852392719613"`), since a JSON number loses integers above 2^53 in most readers; 32-bit integers stay
/// numbers; infinities and NaN are the strings `"Infinity"`, `"-Infinity"` and `"NaN"`. Any proto3 JSON parser
/// (`google.protobuf.json_format`, SwiftProtobuf, protobuf-java's `JsonFormat`) reads it into the generated classes.
public enum PayloadRendering {
    /// Options of the JSON encoding: `snake_case` names as in the .proto, 64-bit integers as strings.
    public static let jsonOptions: JSONEncodingOptions = {
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        options.alwaysPrintInt64sAsNumbers = false
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
