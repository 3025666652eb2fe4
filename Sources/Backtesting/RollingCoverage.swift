import MarginModel

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
