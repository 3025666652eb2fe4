/// A `Duration` written in configuration files as an integer of nanoseconds, the unit of every duration there.
///
/// As a property wrapper it keeps a setting a `Duration` in code while its `Codable` form stays the file's:
/// `heartbeatInterval: 500000000`. The projected value (`$heartbeatInterval`) is that integer, for messages
/// that quote the setting as written.
@propertyWrapper
public struct NanosecondDuration: Sendable, Hashable, Codable {
    /// The duration.
    public var wrappedValue: Duration

    /// Wraps `wrappedValue`.
    public init(wrappedValue: Duration) {
        self.wrappedValue = wrappedValue
    }

    /// The duration in whole nanoseconds, rounded toward zero, as a configuration file writes it.
    public var projectedValue: Int64 {
        let (seconds, attoseconds) = wrappedValue.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// Decodes an integer of nanoseconds.
    public init(from decoder: any Decoder) throws {
        wrappedValue = .nanoseconds(try decoder.singleValueContainer().decode(Int64.self))
    }

    /// Encodes the integer of nanoseconds, and records the key in a ``DurationKeyRecorder`` the encoder carries.
    public func encode(to encoder: any Encoder) throws {
        (encoder.userInfo[DurationKeyRecorder.userInfoKey] as? DurationKeyRecorder)?.record(encoder.codingPath)
        var container = encoder.singleValueContainer()
        try container.encode(projectedValue)
    }
}
