/// How long ago, in event time, an asset last ticked, as of the last closed boundary.
public struct Staleness: Sendable, Hashable, Codable {
    /// Closed grid steps since the step whose interval held the asset's last tick (0: it ticked in the last one).
    public var steps: Int64
    /// Last closed boundary minus the timestamp of the asset's last tick before it, in nanoseconds.
    public var nanoseconds: Int64

    /// Creates a staleness value.
    public init(steps: Int64, nanoseconds: Int64) {
        self.steps = steps
        self.nanoseconds = nanoseconds
    }
}
