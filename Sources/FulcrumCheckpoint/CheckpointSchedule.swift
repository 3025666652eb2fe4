import FulcrumEngine

/// When the ingest thread takes checkpoints: after the first grid step whose boundary enters a new multiple of
/// the interval (event time), and at shutdown. Lives on the ingest thread; costs one comparison per tick that
/// ran grid steps.
public struct CheckpointSchedule {
    let writer: CheckpointWriter
    let interval: Int64
    /// Boundary of the last snapshot taken (or of the checkpoint resumed from, or of the first step).
    var lastBoundary: Int64?

    /// The schedule of `resume`'s writer and interval.
    public init(resume: CheckpointResume) {
        writer = resume.writer
        interval = resume.interval
        lastBoundary = resume.resumed?.boundary
    }

    /// Called after a tick that ran grid steps: hands a snapshot to the writer when one is due.
    public mutating func stepsRan(_ engine: RiskEngine) {
        guard let boundary = engine.lastBoundary else { return }
        guard let last = lastBoundary else {
            lastBoundary = boundary
            return
        }
        guard boundary / interval > last / interval,
              let snapshot = engine.snapshot(
                throughExchangeTime: engine.latestExchangeTime ?? boundary) else { return }
        lastBoundary = boundary
        writer.submit(snapshot)
    }

    /// The final checkpoint, written before returning (graceful shutdown).
    public func finish(_ engine: RiskEngine) {
        guard let snapshot = engine.snapshot(
            throughExchangeTime: engine.latestExchangeTime ?? 0) else { return }
        writer.writeNow(snapshot)
    }
}
