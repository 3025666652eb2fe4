import FulcrumProtocol

/// Where a grid step's time went: the estimator closing the interval (returns, volatility,
/// correlation) and the optimizer with the encoding of its updates. Accumulated over the steps one
/// tick closes, read and reset by the ingest loop for the two latency histograms.
public struct StepPhases: Sendable, Equatable {
    /// Grid steps accumulated.
    public var steps: UInt64 = 0
    /// Nanoseconds in the estimator.
    public var estimatorNanoseconds: Int64 = 0
    /// Nanoseconds in the optimizer, including encoding and handing over the updates.
    public var optimizerNanoseconds: Int64 = 0

    /// Nothing accumulated.
    public init() {}

    /// A monotonic clock reading in nanoseconds, read only at grid steps (never per tick).
    static var now: Int64 { WallClock.monotonic }
}
