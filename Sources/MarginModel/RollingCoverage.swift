
/// Exception counts over the last `capacity` observations, with Kupiec's test and the traffic light of that
/// window: what a running service publishes beside its parameters.
///
/// A ring of exception flags; recording is O(1) and allocation-free. The test and the zone are refreshed when
/// an observation is recorded (once per horizon), so reading them costs nothing.
public struct RollingCoverage: Sendable, Hashable {
    /// Window length in observations (250 is the Basel convention: a year of daily observations).
    public let capacity: Int
    /// The exception probability p the window is tested against.
    public let targetRate: Double
    /// Observations in the window (≤ capacity).
    public private(set) var observations = 0
    /// Exceptions in the window.
    public private(set) var exceptions = 0
    /// Kupiec's proportion-of-failures test of the window (χ²₁).
    public private(set) var kupiec = LikelihoodRatioTest(statistic: 0, degreesOfFreedom: 1)
    /// The traffic-light zone of the window's exception count.
    public private(set) var zone: TrafficLightZone = .green
    private var flags: [Bool]
    private var next = 0

    /// An empty window of `capacity` ≥ 1 observations tested against `targetRate`.
    public init(capacity: Int, targetRate: Double) {
        self.capacity = max(capacity, 1)
        self.targetRate = targetRate
        flags = Array(repeating: false, count: max(capacity, 1))
    }

    /// The window's exception rate x/n (0 when empty).
    public var exceptionRate: Double { observations > 0 ? Double(exceptions) / Double(observations) : 0 }

    /// Records one observation, dropping the oldest once the window is full.
    public mutating func record(exception: Bool) {
        if observations == capacity {
            if flags[next] { exceptions -= 1 }
        } else {
            observations += 1
        }
        flags[next] = exception
        if exception { exceptions += 1 }
        next = next + 1 == capacity ? 0 : next + 1
        kupiec = LikelihoodRatioTest(
            statistic: CoverageStatistics.kupiecStatistic(observations: observations, exceptions: exceptions,
                                                          targetRate: targetRate),
            degreesOfFreedom: 1)
        zone = CoverageStatistics.trafficLight(observations: observations, exceptions: exceptions,
                                               targetRate: targetRate)
    }
}

extension RollingCoverage: Codable {
    enum CodingKeys: String, CodingKey {
        case capacity, targetRate, observations, exceptions, kupiec, zone, flags, next
    }

    /// Encodes the complete window (ring, position, counts and the derived test), for checkpoints.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(capacity, forKey: .capacity)
        try container.encode(targetRate, forKey: .targetRate)
        try container.encode(observations, forKey: .observations)
        try container.encode(exceptions, forKey: .exceptions)
        try container.encode(kupiec, forKey: .kupiec)
        try container.encode(zone, forKey: .zone)
        try container.encode(flags, forKey: .flags)
        try container.encode(next, forKey: .next)
    }

    /// Decodes a window written by `encode(to:)`. Throws `MarginModelError.incompatibleState` when the ring, its
    /// position and the counts do not fit together.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        capacity = try container.decode(Int.self, forKey: .capacity)
        targetRate = try container.decode(Double.self, forKey: .targetRate)
        observations = try container.decode(Int.self, forKey: .observations)
        exceptions = try container.decode(Int.self, forKey: .exceptions)
        kupiec = try container.decode(LikelihoodRatioTest.self, forKey: .kupiec)
        zone = try container.decode(TrafficLightZone.self, forKey: .zone)
        flags = try container.decode([Bool].self, forKey: .flags)
        next = try container.decode(Int.self, forKey: .next)
        let counted = flags.prefix(observations).reduce(0) { $0 + ($1 ? 1 : 0) }
        guard capacity >= 1, flags.count == capacity, (0..<capacity).contains(next),
              (0...capacity).contains(observations), observations == capacity || next == observations,
              exceptions == counted else {
            throw MarginModelError(
                code: .incompatibleState,
                message: "rolling coverage window does not fit together: capacity \(capacity), \(flags.count) flags, "
                    + "next \(next), \(observations) observations, \(exceptions) exceptions (\(counted) flagged)",
                context: ["field": "rolling"])
        }
    }
}
