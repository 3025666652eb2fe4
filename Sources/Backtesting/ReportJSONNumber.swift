/// A number of the JSON report: written as itself when finite and as `null` when NaN or infinite (JSON has no
/// non-finite numbers; `JSONEncoder` would otherwise throw). Decodes `null` as NaN.
public struct ReportJSONNumber: Sendable, Hashable, Codable {
    /// The value (NaN for `null`).
    public var value: Double

    /// Wraps a value.
    public init(_ value: Double) { self.value = value }

    /// Wraps an optional value (nil becomes `null`).
    public init(_ value: Double?) { self.value = value ?? .nan }

    /// Writes the number, or `null` when it is not finite.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if value.isFinite { try container.encode(value) } else { try container.encodeNil() }
    }

    /// Reads a number or `null` (NaN).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        value = container.decodeNil() ? .nan : try container.decode(Double.self)
    }
}

extension Array where Element == ReportJSONNumber {
    /// Wraps every value.
    init(_ values: [Double]) { self = values.map(ReportJSONNumber.init) }
}
