/// What `RiskEstimator.record(asset:timestamp:price:)` did with a price.
public enum RecordOutcome: String, Sendable, Hashable, Codable {
    /// The price is in an open interval and was kept (a price older than one already kept for the same interval
    /// is accepted but superseded, as previous-tick sampling takes the latest timestamp).
    case accepted
    /// The timestamp lies in an interval that is already closed (or before the grid's first interval): dropped
    /// and counted in `lateTicks`.
    case late
    /// The price is not a finite positive number: dropped and counted in `invalidTicks`.
    case invalid
}
