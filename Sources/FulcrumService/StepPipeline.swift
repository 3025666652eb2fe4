import Dispatch
import Foundation
import FulcrumCheckpoint
import FulcrumEngine
import FulcrumProtocol
import Logging
import RiskFeed
import Synchronization

/// The step thread of a pipelined engine: it runs, in order, the grid steps the ingest thread closed (every
/// asset's optimizer update, coverage and encoding) and hands their updates to the publisher, on the second core,
/// while the ingest thread goes on receiving.
///
/// The ingest thread's engine defers its steps (``RiskEngine/ingestDeferringSteps(feed:frameCount:_:_:receiptTime:handOff:)``)
/// and this thread's engine, a copy of it taken when the pipeline started, runs them
/// (``RiskEngine/runDeferredStep(_:emit:)``): the same steps, in the same order, on the same inputs, so the updates
/// are those of the steps run inline, byte for byte. Everything else that reads the step side's state comes
/// through the same queue, so that it sees the state after exactly the steps before it: checkpoints, the
/// feed-silence republication and the final update.
///
/// The ingest thread waits only while ``StepQueue/capacity`` steps wait (counted). A failure here (the publisher's
/// channel) is kept for the ingest thread, which ends the run; commands after it are dropped until the finish.
final class StepPipeline: Sendable {
    /// What the ingest thread hands over.
    enum Command: Sendable {
        /// A closed grid step, and the receipt time of the tick that closed it.
        case step(StepInput, receiptTime: Int64)
        /// A checkpoint is due: the ingest side's part, after the tick whose steps precede it.
        case checkpoint(RiskEngine.IngestSide)
        /// Every feed has been silent `silence` ns: republish every asset as stale (at the ingest side's prices).
        case republishStale(silence: Int64, RiskEngine.IngestSide)
        /// The end: the final update, the end of the stream and the final checkpoint.
        case finish(RiskEngine.IngestSide)
    }

    private let queue: StepQueue<Command>
    private let finished = DispatchSemaphore(value: 0)
    private let failure = Mutex<(any Error)?>(nil)
    private let queued = Atomic<UInt64>(0)
    private let status: EngineStatus
    private let logger: Logger

    /// Starts the step thread with `engine`, the step side's state from now on, and `outbox`, which this thread
    /// alone uses from now on until ``finish(_:)`` returns.
    init(engine: RiskEngine, outbox: UpdateOutbox, capacity: Int, checkpoints: CheckpointSchedule?,
         status: EngineStatus, logger: Logger) {
        queue = StepQueue(capacity: capacity)
        self.status = status
        self.logger = logger
        // Handed over: the ingest thread stops using its outbox until the step thread has finished (`finish`), and
        // the engine value is this thread's own copy.
        nonisolated(unsafe) let outbox = outbox
        nonisolated(unsafe) let engine = engine
        let thread = Thread { [self] in
            var worker = StepWorker(engine: engine, outbox: outbox, checkpoints: checkpoints, status: status,
                                    logger: logger)
            run(&worker)
        }
        thread.name = "fulcrum-step"
        thread.stackSize = 1 << 20
        thread.start()
        status.publishStepQueue(queueStatus)
    }

    /// Hands a closed step to the step thread; waits only while the queue is full.
    func submit(_ input: StepInput, receiptTime: Int64) {
        queue.put(.step(input, receiptTime: receiptTime))
        queued.add(1, ordering: .relaxed)
    }

    /// Asks for a checkpoint after the steps submitted so far.
    func checkpoint(_ side: RiskEngine.IngestSide) {
        queue.put(.checkpoint(side))
    }

    /// Asks for every asset to be republished as stale after the steps submitted so far.
    func republishStale(silence: Int64, _ side: RiskEngine.IngestSide) {
        queue.put(.republishStale(silence: silence, side))
    }

    /// Runs the steps still queued, the final update and the final checkpoint, and waits for the step thread to
    /// end; the outbox is the caller's again.
    func finish(_ side: RiskEngine.IngestSide) {
        queue.put(.finish(side))
        finished.wait()
    }

    /// The first error of the step thread, if it failed.
    var error: (any Error)? { failure.withLock { $0 } }

    /// The queue's figures for the status.
    var queueStatus: EngineSnapshot.StepQueue {
        var figures = EngineSnapshot.StepQueue()
        figures.capacity = queue.capacity
        figures.depth = queue.depth
        figures.fullWaits = queue.fullWaits
        figures.stepsQueued = queued.load(ordering: .relaxed)
        return figures
    }

    private func run(_ worker: inout StepWorker) {
        var failed = false
        var statusRefreshed = ContinuousClock.now
        while true {
            // Idle: the status catches up with the last step within 50 ms.
            guard let command = queue.take(timeout: .milliseconds(50)) else {
                status.publishEstimates(worker.engine)
                continue
            }
            if case .finish(let side) = command {
                worker.finish(side)
                finished.signal()
                return
            }
            guard !failed else { continue }
            do { try worker.execute(command) } catch {
                failure.withLock { $0 = error }
                failed = true
                logger.error("grid step failed: the run ends", metadata: ["fulcrum.error": "\(error)"])
            }
            // Under load the status refreshes every 250 ms (it copies the correlations), not at every step.
            let now = ContinuousClock.now
            if now - statusRefreshed >= .milliseconds(250) {
                statusRefreshed = now
                status.publishEstimates(worker.engine)
            }
        }
    }
}

/// The step thread's state: the step side's engine, the publisher's channel and the checkpoint schedule.
struct StepWorker {
    var engine: RiskEngine
    let outbox: UpdateOutbox
    let checkpoints: CheckpointSchedule?
    let status: EngineStatus
    let logger: Logger
    var published: UInt64 = 0

    mutating func execute(_ command: StepPipeline.Command) throws {
        switch command {
        case .step(let input, let receiptTime):
            let outbox = self.outbox
            var sent = 0
            try engine.runDeferredStep(input) {
                try outbox.send(topic: $0.topic, payload: $0.payload, eventTime: $0.eventTime)
                sent += 1
            }
            // The step's updates leave as one batch: the publisher thread is woken once, not once per asset.
            if sent > 0 { try outbox.flush() }
            published += UInt64(sent)
            var phases = engine.takeStepPhases()
            phases.steps = 1
            phases.estimatorNanoseconds = input.closeNanoseconds
            status.recordSteps(1, nanoseconds: WallClock.now &- receiptTime)
            status.recordPhases(phases)
        case .checkpoint(let side):
            checkpoints?.submit(engine.snapshot(ingestSide: side))
        case .republishStale(let silence, let side):
            engine.adoptPrices(of: side)
            let outbox = self.outbox
            let sent = try FeedStaleness.republishStale(&engine) {
                try outbox.send(topic: $0.topic, payload: $0.payload, eventTime: $0.eventTime)
            }
            try outbox.flush()
            published += UInt64(sent)
            logger.warning("every feed silent: assets republished as stale", metadata: [
                "fulcrum.feeds.silence.ms": "\(silence / 1_000_000)", "fulcrum.updates": "\(sent)",
                "fulcrum.reason": "\(Fulcrum_V1_Reason.staleFeed.label)",
            ])
        case .finish:
            break
        }
    }

    /// The final update (every asset's latest parameters), the end of the stream and the final checkpoint.
    mutating func finish(_ side: RiskEngine.IngestSide) {
        engine.adoptPrices(of: side)
        let outbox = self.outbox
        do {
            try engine.republishAll { try outbox.send(topic: $0.topic, payload: $0.payload, eventTime: $0.eventTime) }
            try outbox.finish()
        } catch {
            logger.error("final update not handed to the publisher", metadata: ["fulcrum.error": "\(error)"])
        }
        if outbox.droppedBatches > 0 {
            logger.warning("publisher gone: updates not published", metadata: [
                "fulcrum.batches.dropped": "\(outbox.droppedBatches)",
            ])
        }
        checkpoints?.finish(engine.snapshot(ingestSide: side))
        status.publishEstimates(engine)
    }
}
