/// The result of closing grid boundaries with `RiskEstimator.closeNextInterval(upTo:)`.
public struct GridStep: Sendable, Hashable, Codable {
    /// Zero-based index of the last boundary this call closed (equals `stepCount − 1` right after the call).
    public var index: Int64
    /// Time of that boundary in nanoseconds since the Unix epoch (a whole multiple of the grid interval).
    public var boundary: Int64
    /// Number of boundaries closed by this call: 1, or more when a long gap was fast-forwarded in closed form.
    public var closedBoundaries: Int64

    /// Creates a step description.
    public init(index: Int64, boundary: Int64, closedBoundaries: Int64) {
        self.index = index
        self.boundary = boundary
        self.closedBoundaries = closedBoundaries
    }
}
