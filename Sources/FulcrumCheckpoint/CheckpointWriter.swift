import DedicatedThreads
import Foundation
import FulcrumEngine
import FulcrumProtocol
import Logging
import Synchronization

/// Encodes and stores engine snapshots off the ingest thread.
///
/// The ingest thread hands over a ``RiskEngine/Snapshot`` with ``submit(_:)`` and goes on: the writer's
/// thread (``run(until:)``, see ``CheckpointService``) encodes it and replaces the stored checkpoint in one
/// transaction. One snapshot waits at most: a newer one replaces it (the older is counted as superseded), so a
/// slow disk delays checkpoints but never holds more than two copies of the state or slows ingest. A write that
/// fails is logged and counted; the previous checkpoint stays in place. Writes are serialized and never go
/// backwards: a snapshot of fewer grid steps than the stored one is not written, and that is counted
/// (``skipped``) and logged as a warning, never dropped in silence.
public final class CheckpointWriter: Sendable {
    /// The database.
    public let store: CheckpointStore
    /// Checkpoints stored.
    public let written = Atomic<UInt64>(0)
    /// Writes that failed.
    public let failed = Atomic<UInt64>(0)
    /// Snapshots not written because the stored checkpoint has run more grid steps (writes never go backwards).
    public let skipped = Atomic<UInt64>(0)
    /// Snapshots replaced by a newer one before they were written.
    public let superseded = Atomic<UInt64>(0)
    /// Grid boundary of the last stored checkpoint (`Int64.min` before the first).
    public let lastBoundary = Atomic<Int64>(.min)
    private let pending = Mutex<RiskEngine.Snapshot?>(nil)
    private let writing = Mutex<UInt64?>(nil)
    private let logger: Logger

    /// A writer to `store`; `lastStepsRun` is the step count of the checkpoint already there, if any.
    public init(store: CheckpointStore, logger: Logger, lastStepsRun: UInt64? = nil) {
        self.store = store
        self.logger = logger
        writing.withLock { $0 = lastStepsRun }
    }

    /// Queues a snapshot for the writer thread, replacing one still waiting. Never blocks on disk.
    public func submit(_ snapshot: RiskEngine.Snapshot) {
        let replaced = pending.withLock { slot -> Bool in
            defer { slot = snapshot }
            return slot != nil
        }
        if replaced { superseded.add(1, ordering: .relaxed) }
    }

    /// Writes `snapshot` now, on the calling thread (the final checkpoint at shutdown), after any write in
    /// progress; drops a waiting older snapshot.
    public func writeNow(_ snapshot: RiskEngine.Snapshot) {
        _ = pending.withLock { slot in slot.take() }
        write(snapshot)
    }

    /// Writes waiting snapshots until `stop` is set, then the last one waiting. Blocks: run it on a dedicated
    /// thread.
    public func run(until stop: StopSignal) {
        while !stop.isStopped {
            if let snapshot = pending.withLock({ $0.take() }) { write(snapshot) } else { usleep(20_000) }
        }
        if let snapshot = pending.withLock({ $0.take() }) { write(snapshot) }
    }

    private func write(_ snapshot: RiskEngine.Snapshot) {
        writing.withLock { lastSteps in
            if let last = lastSteps, snapshot.stepsRun < last {
                skipped.add(1, ordering: .relaxed)
                logger.warning("checkpoint not written: the stored one has run more grid steps", metadata: [
                    "fulcrum.checkpoint.path": "\(store.path)",
                    "fulcrum.checkpoint.steps": "\(snapshot.stepsRun)",
                    "fulcrum.checkpoint.stored.steps": "\(last)",
                    "fulcrum.checkpoint.boundary": "\(snapshot.boundary)",
                    "fulcrum.checkpoint.skipped": "\(skipped.load(ordering: .relaxed))",
                ])
                return
            }
            let started = ContinuousClock.now
            do {
                let (metadata, payload) = try snapshot.encoded(writtenAt: WallClock.now)
                try store.save(metadata, payload: payload)
                lastSteps = snapshot.stepsRun
                written.add(1, ordering: .relaxed)
                lastBoundary.store(snapshot.boundary, ordering: .relaxed)
                logger.debug("checkpoint written", metadata: [
                    "fulcrum.checkpoint.boundary": "\(snapshot.boundary)",
                    "fulcrum.checkpoint.through": "\(snapshot.throughExchangeTime)",
                    "fulcrum.checkpoint.bytes": "\(payload.count)",
                    "fulcrum.checkpoint.duration": "\(ContinuousClock.now - started)",
                ])
            } catch {
                failed.add(1, ordering: .relaxed)
                logger.error("checkpoint write failed", metadata: [
                    "fulcrum.checkpoint.path": "\(store.path)", "fulcrum.error": "\(error)",
                ])
            }
        }
    }

}
