import FulcrumSettings

/// Bounds a tick must satisfy before it reaches the robust price filter. Times are nanoseconds.
public struct ValidationConfiguration: Sendable, Hashable, Codable {
    /// Smallest accepted price (and bid/ask). Default: 1e-12, below any traded crypto or fiat price quoted in a
    /// sane unit, above denormal garbage. Allowed: finite, > 0.
    public var minimumPrice: Double
    /// Largest accepted price (and bid/ask). Default: 1e12. Allowed: finite, > ``minimumPrice``.
    public var maximumPrice: Double
    /// How far the exchange timestamp may be ahead of Fulcrum's receipt time (clock skew between venue and
    /// host). Default: 5 s. Allowed: ≥ 0.
    public var maximumFutureSkew: Int64
    /// How far the exchange timestamp may be behind Fulcrum's receipt time (feed delay). Older ticks describe a
    /// market that no longer exists and would distort event-time estimates. Default: 60 s. Allowed: > 0.
    public var maximumAge: Int64
    /// A feed sequence number at or below the stream's last one marks a duplicate, unless the tick's exchange
    /// time is at least this much newer than the stream's last tick: that is read as the publisher having
    /// restarted its counter, and the stream continues from the new number. Default: 1 s. Allowed: > 0.
    public var sequenceRestartGap: Int64

    /// Creates a configuration; see each property for its default.
    public init(
        minimumPrice: Double = 1e-12,
        maximumPrice: Double = 1e12,
        maximumFutureSkew: Int64 = 5_000_000_000,
        maximumAge: Int64 = 60_000_000_000,
        sequenceRestartGap: Int64 = 1_000_000_000
    ) {
        self.minimumPrice = minimumPrice
        self.maximumPrice = maximumPrice
        self.maximumFutureSkew = maximumFutureSkew
        self.maximumAge = maximumAge
        self.sequenceRestartGap = sequenceRestartGap
    }

    /// Checks every setting; `keyPrefix`, the path of the section, prefixes the key in the error.
    ///
    /// - Throws: ``ConfigurationError`` naming the bad key, its value and what is allowed.
    public func validate(keyPrefix: String = "validation") throws(ConfigurationError) {
        func key(_ name: String) -> String { ConfigurationError.key(name, under: keyPrefix) }
        guard minimumPrice.isFinite, minimumPrice > 0 else {
            throw ConfigurationError(
                key: key("minimumPrice"), value: "\(minimumPrice)", allowed: "finite, > 0")
        }
        guard maximumPrice.isFinite, maximumPrice > minimumPrice else {
            throw ConfigurationError(
                key: key("maximumPrice"), value: "\(maximumPrice)", allowed: "finite, > minimumPrice")
        }
        guard maximumFutureSkew >= 0 else {
            throw ConfigurationError(
                key: key("maximumFutureSkew"), value: "\(maximumFutureSkew)", allowed: "≥ 0 ns")
        }
        guard maximumAge > 0 else {
            throw ConfigurationError(key: key("maximumAge"), value: "\(maximumAge)", allowed: "> 0 ns")
        }
        guard sequenceRestartGap > 0 else {
            throw ConfigurationError(
                key: key("sequenceRestartGap"), value: "\(sequenceRestartGap)", allowed: "> 0 ns")
        }
    }
}
