import Dispatch
import Foundation
import FulcrumCheckpoint
import FulcrumEngine
import FulcrumProtocol
import Logging
import RiskFeed
import Synchronization

/// What the ingest thread hands to the step thread, in order.
enum StepCommand: Sendable {
    /// A closed grid step, and the receipt time of the tick that closed it.
    case step(StepInput, receiptTime: Int64)
    /// A checkpoint is due: the ingest side's part, after the tick whose steps precede it.
    case checkpoint(RiskEngine.IngestSide)
    /// Every feed has been silent `silence` ns: republish every asset as stale (at the ingest side's prices).
    case republishStale(silence: Int64, RiskEngine.IngestSide)
    /// The end: the final update (and, in the service, the end of the stream and the final checkpoint).
    case finish(RiskEngine.IngestSide)
}

/// What a step thread does with the commands: the service's worker publishes (``PublishingStepWorker``), a
/// backtest's collects (``BacktestStepWorker``).
protocol StepWorking: SendableMetatype {
    /// Runs one command other than `.finish`.
    mutating func execute(_ command: StepCommand) throws
    /// After each command, and when none came for 50 ms; `caughtUp` when no command is waiting.
    mutating func executed(caughtUp: Bool)
    /// The end, after every command before it.
    mutating func finish(_ side: RiskEngine.IngestSide)
}

/// The step thread of a pipelined engine: it runs, in order, the grid steps the ingest thread closed (every
/// asset's optimizer update, coverage and encoding) on the second core, while the ingest thread goes on.
///
/// The ingest thread's engine defers its steps (``RiskEngine/ingestDeferringSteps(feed:frameCount:_:_:receiptTime:handOff:)``)
/// and the worker's engine, a copy of it taken when the pipeline started, runs them
/// (``RiskEngine/runDeferredStep(_:emit:)``): the same steps, in the same order, on the same inputs, so the updates
/// are those of the steps run inline, byte for byte. Everything else that reads the step side's state comes
/// through the same queue, so that it sees the state after exactly the steps before it: checkpoints, the
/// feed-silence republication and the final update.
///
/// A step's input shares the estimator's storage (N × `residualCapacity` residuals, the N² moments) until the
/// step thread lets it go; the ingest thread, about to close the next interval, waits in ``awaitSteps()`` for the
/// step thread to finish the steps handed to it rather than copy all of it (counted). A failure of the worker (the
/// publisher's channel) is kept for the ingest thread, which ends the run; commands after it are dropped until
/// the finish.
///
/// `@unchecked Sendable`: besides its `Sendable` parts it holds the worker handed back at the end, written by the
/// step thread before it signals `finished` and read by the ingest thread only after waiting for that signal,
/// and the count of steps submitted, which only the ingest thread touches.
final class StepPipeline<Worker: StepWorking>: @unchecked Sendable {
    /// Commands that may wait: steps wait one at a time (``awaitSteps()``), the others are rare.
    static var capacity: Int { 16 }
    private let queue = StepQueue<StepCommand>(capacity: StepPipeline.capacity)
    private let finished = DispatchSemaphore(value: 0)
    private let failure = Mutex<(any Error)?>(nil)
    /// Steps the step thread has finished and let go of.
    private let completed = Atomic<UInt64>(0)
    /// Signalled after each finished step.
    private let progress = DispatchSemaphore(value: 0)
    private let waits = Atomic<UInt64>(0)
    /// Steps submitted (ingest thread only).
    private var submitted: UInt64 = 0
    private var handedBack: Worker?

    /// Starts the step thread with `worker`, which the step thread alone uses from now on until ``finish(_:)``
    /// hands it back.
    init(worker: Worker, logger: Logger) {
        nonisolated(unsafe) let worker = worker
        let thread = Thread { [self] in
            var worker = worker
            run(&worker, logger: logger)
        }
        thread.name = "fulcrum-step"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Hands a closed step to the step thread.
    func submit(_ input: StepInput, receiptTime: Int64) {
        submitted += 1
        queue.put(.step(input, receiptTime: receiptTime))
    }

    /// Returns once the step thread has finished every step submitted (at once when it has), counting a wait.
    func awaitSteps() {
        guard completed.load(ordering: .acquiring) < submitted else { return }
        waits.add(1, ordering: .relaxed)
        repeat { progress.wait() } while completed.load(ordering: .acquiring) < submitted
    }

    /// Asks for a checkpoint after the steps submitted so far.
    func checkpoint(_ side: RiskEngine.IngestSide) {
        queue.put(.checkpoint(side))
    }

    /// Asks for every asset to be republished as stale after the steps submitted so far.
    func republishStale(silence: Int64, _ side: RiskEngine.IngestSide) {
        queue.put(.republishStale(silence: silence, side))
    }

    /// Lets the step thread run what is queued and its worker's finish, waits for the thread to end, and returns
    /// the worker.
    func finish(_ side: RiskEngine.IngestSide) -> Worker {
        queue.put(.finish(side))
        finished.wait()
        return handedBack!
    }

    /// The first error of the step thread, if it failed.
    var error: (any Error)? { failure.withLock { $0 } }

    /// The figures for the status (read on the ingest thread).
    var figures: EngineSnapshot.StepThread {
        var figures = EngineSnapshot.StepThread()
        figures.enabled = true
        figures.stepsHandedOff = submitted
        figures.waits = waits.load(ordering: .relaxed)
        return figures
    }

    private func run(_ worker: inout Worker, logger: Logger) {
        var failed = false
        while true {
            guard let command = queue.take(timeout: .milliseconds(50)) else {
                worker.executed(caughtUp: true)
                continue
            }
            if case .finish(let side) = command {
                worker.finish(side)
                handedBack = worker
                finished.signal()
                return
            }
            let isStep = if case .step = command { true } else { false }
            // Consumed: the input is let go when `execute` returns, before the ingest thread hears the step is done
            // (it must then find the estimator's storage no longer shared).
            let owned = consume command
            if !failed {
                do { try worker.execute(owned) } catch {
                    failure.withLock { $0 = error }
                    failed = true
                    logger.error("grid step failed: the run ends", metadata: ["fulcrum.error": "\(error)"])
                }
            }
            _ = consume owned
            if isStep {
                completed.add(1, ordering: .releasing)
                progress.signal()
            }
            worker.executed(caughtUp: queue.depth == 0)
        }
    }
}

/// The service's step thread: the step side's engine, the publisher's channel, the checkpoint schedule and the
/// observable status.
struct PublishingStepWorker: StepWorking {
    var engine: RiskEngine
    let outbox: UpdateOutbox
    let checkpoints: CheckpointSchedule?
    let status: EngineStatus
    let logger: Logger
    var statusRefreshed = ContinuousClock.now

    mutating func execute(_ command: StepCommand) throws {
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
            var phases = engine.takeStepPhases()
            phases.steps = 1
            phases.estimatorNanoseconds = input.closeNanoseconds
            status.recordSteps(1, nanoseconds: WallClock.now &- receiptTime)
            status.recordPhases(phases)
        case .checkpoint(let side):
            checkpoints?.submit(engine.snapshot(ingestSide: side))
        case .republishStale(let silence, let side):
            engine.adopt(side)
            defer { engine.releaseEstimator() }
            let outbox = self.outbox
            let sent = try FeedStaleness.republishStale(&engine) {
                try outbox.send(topic: $0.topic, payload: $0.payload, eventTime: $0.eventTime)
            }
            try outbox.flush()
            logger.warning("every feed silent: assets republished as stale", metadata: [
                "fulcrum.feeds.silence.ms": "\(silence / 1_000_000)", "fulcrum.updates": "\(sent)",
                "fulcrum.reason": "\(Fulcrum_V1_Reason.staleFeed.label)",
            ])
        case .finish:
            break
        }
    }

    /// The parameters in the status follow the last step whenever the step thread has caught up, as the updates
    /// leave (a scrape right after an update sees its coverage); while steps wait they refresh every 250 ms. Each
    /// refresh shares the array of parameters, which the next step then copies (N × about 1 KB).
    mutating func executed(caughtUp: Bool) {
        let now = ContinuousClock.now
        guard caughtUp || now - statusRefreshed >= .milliseconds(250) else { return }
        statusRefreshed = now
        status.publishParameters(engine)
    }

    /// The final update (every asset's latest parameters), the end of the stream and the final checkpoint.
    mutating func finish(_ side: RiskEngine.IngestSide) {
        engine.adopt(side)
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
        status.publishParameters(engine)
    }
}
