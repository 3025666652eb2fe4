import FulcrumEngine

/// When the ingest thread takes checkpoints: after the first grid step whose boundary enters a new multiple of
/// the interval (event time), and at shutdown. Lives on the ingest thread; costs one comparison per tick that
/// ran grid steps.
public struct CheckpointSchedule: Sendable {
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
        guard isDue(boundary: engine.lastBoundary) else { return }
        submit(engine.snapshot(throughExchangeTime: engine.latestExchangeTime ?? engine.lastBoundary ?? 0))
    }

    /// Whether a snapshot is due after a tick whose grid steps closed `boundary`; a due snapshot counts as taken.
    /// With a pipelined step the ingest thread asks, and the step thread takes the snapshot once it has run those
    /// steps (``RiskEngine/snapshot(ingestSide:)``).
    public mutating func isDue(boundary: Int64?) -> Bool {
        guard let boundary else { return false }
        guard let last = lastBoundary else {
            lastBoundary = boundary
            return false
        }
        guard boundary / interval > last / interval else { return false }
        lastBoundary = boundary
        return true
    }

    /// Hands `snapshot` to the writer thread (nothing for `nil`).
    public func submit(_ snapshot: RiskEngine.Snapshot?) {
        if let snapshot { writer.submit(snapshot) }
    }

    /// The final checkpoint, written before returning (graceful shutdown).
    public func finish(_ engine: RiskEngine) {
        finish(engine.snapshot(throughExchangeTime: engine.latestExchangeTime ?? 0))
    }

    /// Writes `snapshot` as the final checkpoint before returning (nothing for `nil`).
    public func finish(_ snapshot: RiskEngine.Snapshot?) {
        if let snapshot { writer.writeNow(snapshot) }
    }
}
