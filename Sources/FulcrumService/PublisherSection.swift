import RiskFeed

/// The `publisher` section of a configuration file: the publisher's own settings, RiskFeed's
/// `PublisherConfiguration`, and beside its keys the engine's `portfolioEverySteps`.
///
/// The publisher's settings read as the file writes them, `configuration.publisher.lingerMilliseconds`, through
/// dynamic member lookup; the application hands ``configuration`` to the publisher as it is.
@dynamicMemberLookup
public struct PublisherSection: Sendable, Codable {
    /// The publisher's settings, coded at the top level of the section.
    public var configuration: PublisherConfiguration = PublisherConfiguration()
    /// Publish the portfolio (correlation) update every this many grid steps: the engine's
    /// `EngineConfiguration.portfolioEverySteps`, kept under `publisher` in the file. Allowed: ≥ 1.
    public var portfolioEverySteps: Int = 1

    /// The defaults.
    public init() {}

    /// The publisher's setting at `keyPath`.
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<PublisherConfiguration, Value>) -> Value {
        get { configuration[keyPath: keyPath] }
        set { configuration[keyPath: keyPath] = newValue }
    }

    /// The one key of the section that is not the publisher's.
    private enum CodingKeys: String, CodingKey {
        case portfolioEverySteps
    }

    /// Decodes the publisher's settings and `portfolioEverySteps` from the same section.
    public init(from decoder: any Decoder) throws {
        configuration = try PublisherConfiguration(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        portfolioEverySteps = try container.decode(Int.self, forKey: .portfolioEverySteps)
    }

    /// Encodes the publisher's settings and `portfolioEverySteps` into the same section.
    public func encode(to encoder: any Encoder) throws {
        try configuration.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(portfolioEverySteps, forKey: .portfolioEverySteps)
    }
}
