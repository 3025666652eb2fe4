import DedicatedThreads
import Foundation
import FulcrumCheckpoint
import FulcrumEngine
import FulcrumOperations
import FulcrumProtocol
import FulcrumRecording
import Logging
import MarketData
import RiskFeed
import ServiceLifecycle
import ZeroMQ

/// The ingest thread as a lifecycle service: receives from every feed socket and runs the ``RiskEngine``'s ingest
/// side; the grid steps it closes run on the step thread (``StepPipeline``), or inline with `stepThread` off, and
/// their updates go to the publisher thread.
///
/// On graceful shutdown it stops intake, lets the queued steps run, republishes every asset's latest parameters as
/// the final update, tells the publisher the stream ended, and closes its sockets.
public struct EngineService: Service {
    let configuration: FulcrumConfiguration
    let context: ZMQContext
    let outboxEndpoint: String
    let epoch: UInt64
    let logger: Logger
    let status: EngineStatus
    /// Checkpointing, when enabled: the engine resumes from the loaded checkpoint and writes new ones.
    public var checkpointing: CheckpointResume?
    /// CURVE on the feed sockets, when enabled.
    public var security: SecurityContext?
    /// Where protocol health raises targets (health-constrained margins), when it may.
    public var healthConstraint: HealthConstraint?

    /// Creates the service; sockets open when it runs.
    public init(configuration: FulcrumConfiguration, context: ZMQContext, outboxEndpoint: String, epoch: UInt64,
                status: EngineStatus, logger: Logger) {
        self.configuration = configuration
        self.context = context
        self.outboxEndpoint = outboxEndpoint
        self.epoch = epoch
        self.status = status
        self.logger = logger
    }

    public func run() async throws {
        try await DedicatedService.run(name: "fulcrum-engine") { [self] stop in
            // Opened first, so that whatever fails after it, the publisher hears that the stream ended instead of
            // waiting for it.
            let outbox = try UpdateOutbox(context: context, endpoint: outboxEndpoint)
            defer { outbox.close() }
            do {
                var engine = try checkpointing?.makeEngine(configuration: configuration.engine, epoch: epoch)
                    ?? RiskEngine(configuration: configuration.engine, epoch: epoch)
                engine.healthConstraint = healthConstraint
                var loop = try IngestLoop(engine: engine, service: self, outbox: outbox)
                try loop.run(until: stop)
            } catch {
                try? outbox.finish()
                throw error
            }
        }
    }
}

/// The sockets and the engine of the ingest thread.
struct IngestLoop {
    var engine: RiskEngine
    let service: EngineService
    let feeds: [Socket]
    let poller: Poller
    let outbox: UpdateOutbox
    let frames = FeedFrames()
    let recorder: RecordingWriter?
    /// Wall-clock silence of the feeds and the feed-silence rule.
    var staleness: FeedStaleness
    /// Rate-limited log of rejected messages.
    var rejections: RejectionLog
    var statusRefreshed = ContinuousClock.now
    /// When to hand snapshots to the checkpoint writer (`nil`: checkpointing off).
    var checkpoints: CheckpointSchedule?
    /// The step thread, once ingest has started, unless `stepThread` is off (then the steps run here).
    var pipeline: StepPipeline<PublishingStepWorker>?

    init(engine: RiskEngine, service: EngineService, outbox: UpdateOutbox) throws {
        self.engine = engine
        self.service = service
        self.outbox = outbox
        var sockets: [Socket] = []
        for feed in service.configuration.ingest.feeds {
            sockets.append(try Self.openFeed(feed, context: service.context, logger: service.logger,
                                             security: service.security))
        }
        feeds = sockets
        poller = try Poller(readable: sockets)
        recorder = try RecordingHook.open(configuration: service.configuration, epoch: service.epoch,
                                          logger: service.logger)
        let ingest = service.configuration.ingest
        staleness = FeedStaleness(feedCount: ingest.feeds.count, staleAfter: ingest.$feedSilenceStaleAfter,
                                  started: WallClock.now)
        rejections = RejectionLog(feedCount: ingest.feeds.count,
                                  interval: service.configuration.logging.rateLimitInterval)
        checkpoints = service.checkpointing.map(CheckpointSchedule.init(resume:))
    }

    static func openFeed(_ feed: FeedConfiguration, context: ZMQContext, logger: Logger,
                         security: SecurityContext? = nil) throws -> Socket {
        let socket = try Socket(context: context, type: .sub)
        try socket.setLinger(milliseconds: 0)
        try socket.setReceiveHighWaterMark(1_000_000)
        // Far above the feed's own limit: a frame too big for the feed must reach the ingestor to be counted as
        // oversized_frame, not cost the connection and the messages queued behind it (see socketFrameLimit).
        try socket.setMaxMessageSize(Int64(FeedConfiguration.socketFrameLimit))
        // Every topic: the ingestor applies the feed's topic prefixes, so that foreign topics are counted.
        try socket.subscribe("")
        try security?.apply(to: socket, feed: feed)
        if feed.bind { try socket.bind(feed.endpoint) } else { try socket.connect(feed.endpoint) }
        logger.info("feed open", metadata: [
            "fulcrum.feed": "\(feed.name)", "fulcrum.feed.endpoint": "\(feed.endpoint)",
            "fulcrum.feed.encoding": "\(feed.encoding.rawValue)", "fulcrum.feed.bind": "\(feed.bind)",
        ])
        return socket
    }

    /// Ingests until `stop`, then finishes (final update, end of stream, final checkpoint); a failure of the loop
    /// finishes too before it is rethrown, so the checkpoint of a run that ended badly is not lost.
    mutating func run(until stop: StopSignal) throws {
        defer {
            for socket in feeds { socket.close() }
            RecordingHook.close(recorder, logger: service.logger)
        }
        do {
            try ingest(until: stop)
        } catch {
            finish()
            throw error
        }
        finish()
    }

    mutating func ingest(until stop: StopSignal) throws {
        if service.checkpointing?.resumed != nil {
            // Resumed: the restored parameters go out at once (new epoch), so snapshots serve them before any tick.
            let outbox = self.outbox
            try engine.republishAll { try outbox.send(topic: $0.topic, payload: $0.payload, eventTime: $0.eventTime) }
            try outbox.flush()
            service.status.publish(engine)
        }
        if service.configuration.stepThread {
            // The step side starts as a copy of this engine; from here on this one only closes intervals.
            let worker = PublishingStepWorker(engine: engine, outbox: outbox, checkpoints: checkpoints,
                                              status: service.status, logger: service.logger)
            pipeline = StepPipeline(worker: worker, logger: service.logger)
            service.status.publishStepThread(pipeline!.figures)
        }
        while !stop.isStopped {
            var received = 0
            for index in feeds.indices { received += try drain(feed: index, limit: 4_096) }
            try watch(now: ContinuousClock.now)
            if received == 0 {
                RecordingHook.poll(recorder, logger: service.logger)
                publishStatus()
                try poller.poll(timeoutMilliseconds: 100)
            }
        }
    }

    /// Receives and processes up to `limit` messages from one feed without blocking.
    mutating func drain(feed index: Int, limit: Int) throws -> Int {
        let socket = feeds[index]
        var count = 0
        while count < limit, try frames.receive(from: socket) {
            count += 1
            let first = frames.first.bytes, secondBytes = frames.secondBytes
            let receiptTime = WallClock.now
            recorder?.append(feed: index, frameCount: frames.count, first, secondBytes, receiptTime: receiptTime)
            let stepsBefore = engine.stepsRun
            let outcome = if let pipeline {
                engine.ingestDeferringSteps(feed: index, frameCount: frames.count, first, secondBytes,
                                            receiptTime: receiptTime, beforeClose: { pipeline.awaitSteps() }) {
                    pipeline.submit($0, receiptTime: receiptTime)
                }
            } else {
                try ingestInline(feed: index, first, secondBytes, receiptTime: receiptTime)
            }
            if case .accepted = outcome { staleness.recordAccepted(feed: index, at: receiptTime) }
            if engine.stepsRun != stepsBefore {
                if let pipeline {
                    if checkpoints?.isDue(boundary: engine.lastBoundary) == true {
                        pipeline.checkpoint(engine.ingestSide(
                            throughExchangeTime: engine.latestExchangeTime ?? engine.lastBoundary ?? 0))
                    }
                } else {
                    service.status.recordSteps(engine.stepsRun &- stepsBefore,
                                               nanoseconds: WallClock.now &- receiptTime)
                    service.status.recordPhases(engine.takeStepPhases())
                    checkpoints?.stepsRan(engine)
                }
            }
            // No status refresh here: it copies the whole correlation matrix, which would lengthen every step;
            // `watch` refreshes it every 250 ms.
        }
        return count
    }

    /// One message through the engine with its steps run here (`stepThread` off), their updates handed to the
    /// publisher as one batch per message.
    mutating func ingestInline(feed index: Int, _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer,
                               receiptTime: Int64) throws -> IngestOutcome {
        let outbox = self.outbox
        var sent = 0
        let outcome = try engine.ingest(feed: index, frameCount: frames.count, first, second,
                                        receiptTime: receiptTime) {
            try outbox.send(topic: $0.topic, payload: $0.payload, eventTime: $0.eventTime)
            sent += 1
        }
        // The step's updates leave as one batch: the publisher thread is woken once, not once per asset.
        if sent > 0 { try outbox.flush() }
        return outcome
    }

    /// The status: everything from this engine when the steps run here; with the step thread, the estimates, the
    /// counters and the queue from here, the parameters from the step thread.
    func publishStatus() {
        guard let pipeline else { return service.status.publish(engine) }
        service.status.publishEstimates(engine)
        service.status.publishCounters(engine)
        service.status.publishStepThread(pipeline.figures)
    }

    /// Once per loop iteration, never per message: the feed-silence rule, the rejection log, and a refresh of the
    /// observable status while messages keep the loop from idling.
    mutating func watch(now: ContinuousClock.Instant) throws {
        if let error = pipeline?.error { throw error }
        if case .publishStale(let silence) = staleness.evaluate(now: WallClock.now) {
            try republishStale(silence: silence)
        }
        let ingestor = engine.ingestor
        let feeds = service.configuration.ingest.feeds
        let logger = service.logger
        rejections.collect(counters: { ingestor.counters(feed: $0) }, now: now) { line in
            RejectionLog.log(line, feed: feeds[line.feed].name, logger: logger)
        }
        if now - statusRefreshed >= .milliseconds(250) {
            statusRefreshed = now
            publishStatus()
            service.status.publishFeeds(staleness)
        }
    }

    /// Every asset republished as stale after every feed was silent `silence` ns (by the step thread, after the
    /// steps queued before it, when there is one).
    mutating func republishStale(silence: Int64) throws {
        if let pipeline {
            return pipeline.republishStale(
                silence: silence, engine.ingestSide(throughExchangeTime: engine.latestExchangeTime ?? 0))
        }
        let outbox = self.outbox
        let sent = try FeedStaleness.republishStale(&engine) {
            try outbox.send(topic: $0.topic, payload: $0.payload, eventTime: $0.eventTime)
        }
        try outbox.flush()
        service.logger.warning("every feed silent: assets republished as stale", metadata: [
            "fulcrum.feeds.silence.ms": "\(silence / 1_000_000)", "fulcrum.updates": "\(sent)",
            "fulcrum.reason": "\(Fulcrum_V1_Reason.staleFeed.label)",
        ])
    }

    /// The final update (every asset's latest parameters), the end of the stream and the final checkpoint. Never
    /// blocks on the publisher (the outbox does not wait), and the checkpoint is written whatever became of the
    /// publication.
    mutating func finish() {
        if let pipeline {
            // The step thread runs what is queued, then the final update and checkpoint, and hands the outbox back.
            _ = pipeline.finish(engine.ingestSide(throughExchangeTime: engine.latestExchangeTime ?? 0))
            service.status.publishEstimates(engine)
            service.status.publishCounters(engine)
            service.status.publishStepThread(pipeline.figures)
        } else {
            finishInline()
        }
        service.status.publishFeeds(staleness)
        let ingestor = engine.ingestor
        let feeds = service.configuration.ingest.feeds
        let logger = service.logger
        rejections.flush(counters: { ingestor.counters(feed: $0) }, now: .now) { line in
            RejectionLog.log(line, feed: feeds[line.feed].name, logger: logger)
        }
        let totals = engine.ingestor.totals
        let rejected = RejectionReason.allCases.filter { totals[$0] > 0 }.map { "\($0.metricName)=\(totals[$0])" }
        service.logger.info("engine stopped", metadata: [
            "fulcrum.ticks.received": "\(totals.received)",
            "fulcrum.ticks.accepted": "\(totals.accepted)",
            "fulcrum.ticks.rejected": "\(rejected.joined(separator: ","))",
            "fulcrum.grid.steps": "\(engine.stepsRun)",
        ])
    }

    /// ``finish()`` when the steps run here.
    mutating func finishInline() {
        let outbox = self.outbox
        do {
            try engine.republishAll { try outbox.send(topic: $0.topic, payload: $0.payload, eventTime: $0.eventTime) }
            try outbox.finish()
        } catch {
            service.logger.error("final update not handed to the publisher", metadata: ["fulcrum.error": "\(error)"])
        }
        if outbox.droppedBatches > 0 {
            service.logger.warning("publisher gone: updates not published", metadata: [
                "fulcrum.batches.dropped": "\(outbox.droppedBatches)",
            ])
        }
        checkpoints?.finish(engine)
        service.status.publish(engine)
    }
}
