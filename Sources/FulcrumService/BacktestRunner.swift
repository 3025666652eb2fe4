import Backtesting
import Foundation
import FulcrumEngine
import FulcrumProtocol
import FulcrumRecording
import Logging
import MarketData
import ProtocolHealth

/// Runs the live pipeline — the same ``RiskEngine``, estimator, optimizer and coverage tracking — over recorded
/// or historical data in event time, as fast as the machine allows, and builds the ``BacktestReport``.
///
/// A recording is replayed message by message with its receipt times and feed indices, so a backtest of a
/// session recorded by `fulcrum run` (with `recording.path`) under the same configuration publishes exactly the
/// updates the service published, byte for byte. CSV rows and daily bars become protobuf ticks on one feed whose
/// receipt time is the row's time.
public enum BacktestRunner {
    /// Runs a backtest.
    ///
    /// - Parameters:
    ///   - configuration: the service configuration to test; its feeds are replaced by the recording's (or by
    ///     the replay feed for CSV), the simulator is off and coverage tracking on.
    ///   - onUpdate: called with every update the engine publishes, in order, including the final republication
    ///     of every asset that `fulcrum run` sends when it stops.
    public static func run(configuration: FulcrumConfiguration, options: BacktestOptions,
                           onUpdate: ((RiskEngine.Update) -> Void)? = nil) throws -> BacktestOutcome {
        guard !options.inputs.isEmpty else {
            throw BacktestingError(code: .invalidInput, message: "no input file given")
        }
        var configuration = configuration.forBacktest
        let positions = try options.positionsPath.map(PositionFile.load(path:))
        let format = options.format == .auto ? try detectFormat(options.inputs[0]) : options.format
        var adaptations: [String] = []
        var outcome: BacktestOutcome
        var withoutTool: BacktestReport?
        let compare = options.compareAntiProcyclicality && configuration.model.antiProcyclicality.mode != .off
        switch format {
        case .recording, .auto:
            guard options.inputs.count == 1 else {
                throw BacktestingError(code: .invalidInput, message: "a backtest replays one recording at a time",
                                       context: ["inputs": "\(options.inputs.count)"])
            }
            let reader = try RecordingReader(path: options.inputs[0])
            configuration.ingest.feeds = reader.metadata.feedConfigurations
            try configuration.validate()
            let epoch = options.epoch ?? reader.metadata.epoch
            func replay(_ configuration: FulcrumConfiguration, onUpdate: ((RiskEngine.Update) -> Void)?) throws
                -> BacktestOutcome {
                var run = try Run(configuration: configuration, epoch: epoch, positions: positions)
                var sink = UpdateSink(onUpdate: onUpdate)
                let started = ContinuousClock.now
                run.startStepThread(sink: sink)
                let tail = try reader.withRecords { parser -> RecordingTail? in
                    while let message = parser.next() {
                        run.ingest(feed: message.feed, frameCount: message.frameCount, message.first,
                                   message.second, receiptTime: message.receiptTime, sink: &sink)
                    }
                    return parser.tail
                }
                try run.endReplay(sink: &sink)
                let elapsed = started.duration(to: .now)
                if let tail, !tail.isTornTail {
                    throw BacktestingError(code: .corruptRecording,
                                           message: "record at byte \(tail.offset) fails its \(tail.problem.rawValue) "
                                               + "check and is followed by \(tail.skippedBytes) more bytes",
                                           context: ["path": options.inputs[0]])
                }
                return run.finish(kind: "recording", options: options, tail: tail, calendar: nil, elapsed: elapsed,
                                  sink: &sink, gridSource: "configuration")
            }
            outcome = try replay(configuration, onUpdate: onUpdate)
            if compare { withoutTool = try replay(configuration.withoutAntiProcyclicality, onUpdate: nil).report }
        case .csv, .ohlc:
            let day = CivilTime.nanosecondsPerDay
            if format == .ohlc, options.adaptToData, configuration.estimation.gridInterval < day {
                configuration.estimation.gridInterval = day
                adaptations.append("grid → 1 day (one trading session per step)")
            }
            let table = format == .csv
                ? try PriceTable.loadTicks(paths: options.inputs)
                : try PriceTable.loadDailyBars(paths: options.inputs, symbols: options.symbols,
                                               priceColumn: options.priceColumn,
                                               interval: configuration.estimation.gridInterval)
            if options.adaptToData, let bar = table.barInterval {
                adaptations += BacktestAdaptation.adapt(&configuration, barInterval: bar, daily: format == .ohlc,
                                                        singleVenue: table.venues.count <= 1)
            }
            configuration.ingest.feeds = [PriceTable.feed]
            try configuration.validate()
            let gridSource = adaptations.isEmpty ? "configuration" : "data"
            func replay(_ configuration: FulcrumConfiguration, onUpdate: ((RiskEngine.Update) -> Void)?) throws
                -> BacktestOutcome {
                var run = try Run(configuration: configuration, epoch: options.epoch ?? 0, positions: positions)
                var sink = UpdateSink(onUpdate: onUpdate)
                let started = ContinuousClock.now
                run.startStepThread(sink: sink)
                table.forEachTickFrame { topic, payload, time in
                    run.ingest(feed: 0, frameCount: 2, topic, payload, receiptTime: time, sink: &sink)
                }
                try run.endReplay(sink: &sink)
                let elapsed = started.duration(to: .now)
                return run.finish(kind: format.rawValue, options: options, tail: nil, calendar: table.calendar,
                                  elapsed: elapsed, sink: &sink, gridSource: gridSource)
            }
            outcome = try replay(configuration, onUpdate: onUpdate)
            if compare { withoutTool = try replay(configuration.withoutAntiProcyclicality, onUpdate: nil).report }
        }
        outcome.report.settings.adaptations = adaptations
        if let withoutTool {
            let mode = configuration.model.antiProcyclicality.mode.rawValue
            for index in outcome.report.assets.indices where index < withoutTool.assets.count {
                outcome.report.assets[index].antiProcyclicality = AntiProcyclicalityCost(
                    mode: mode, with: outcome.report.assets[index], without: withoutTool.assets[index])
            }
        }
        return outcome
    }

    /// The format of `path` from its first bytes.
    public static func detectFormat(_ path: String) throws -> BacktestOptions.Format {
        let file = try MappedFile(path: path)
        return withExtendedLifetime(file) {
            let bytes = file.bytes
            if bytes.count >= 8, Array(bytes[0..<8]) == RecordingFormat.magic { return .recording }
            let head = String(decoding: bytes[0..<min(bytes.count, 4_096)], as: UTF8.self)
            let header = head.split(separator: "\n", maxSplits: 1).first.map { $0.lowercased() } ?? ""
            let columns = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            return columns.contains("date") && columns.contains("close") ? .ohlc : .csv
        }
    }

    /// The update callback and the count of updates it was given, held in one variable for a whole replay.
    ///
    /// The closure handed to the engine for each message captures this variable by address; capturing the
    /// callback itself would copy it into the closure, a retain and a release per message.
    struct UpdateSink {
        let onUpdate: ((RiskEngine.Update) -> Void)?
        var published: UInt64 = 0

        mutating func take(_ update: RiskEngine.Update) {
            published += 1
            onUpdate?(update)
        }
    }

    /// One replay: the engine and what the report needs besides it.
    ///
    /// The update callback is passed to each call (in an ``UpdateSink``) rather than stored: a stored closure
    /// would have to be copied out of `self` (a retain and a release per message) before the engine, also in
    /// `self`, can be mutated.
    struct Run {
        var engine: RiskEngine
        let configuration: FulcrumConfiguration
        var messages: UInt64 = 0
        /// Protocol health of a position book along the replay, when one is given.
        var health: HealthBacktest?
        /// The step thread (`stepThread`, unless protocol health runs: it reads the step side after every tick).
        var pipeline: StepPipeline<BacktestStepWorker>?
        /// The ingest side's counters, kept when the step thread hands its engine back.
        var ingestTotals: IngestCounters?

        init(configuration: FulcrumConfiguration, epoch: UInt64,
             positions: (snapshot: Fulcrum_V1_PositionSnapshot, symbols: [String])? = nil) throws {
            engine = try RiskEngine(configuration: configuration.engine, epoch: epoch)
            engine.keepCoverageHistory()
            self.configuration = configuration
            health = try positions.map {
                try HealthBacktest(configuration: configuration, profile: $0.snapshot, symbols: $0.symbols)
            }
        }

        /// Starts the step thread when the configuration asks for one; from then on `sink` is the step thread's.
        mutating func startStepThread(sink: UpdateSink) {
            guard configuration.stepThread, health == nil else { return }
            pipeline = StepPipeline(worker: BacktestStepWorker(engine: engine, sink: sink),
                                    logger: Logger(label: "fulcrum.backtest"))
        }

        @inline(__always)
        mutating func ingest(feed: Int, frameCount: Int, _ first: UnsafeRawBufferPointer,
                             _ second: UnsafeRawBufferPointer, receiptTime: Int64,
                             sink: inout UpdateSink) {
            messages += 1
            if let pipeline {
                engine.ingestDeferringSteps(feed: feed, frameCount: frameCount, first, second, receiptTime: receiptTime,
                                            beforeClose: { pipeline.awaitSteps() }) {
                    pipeline.submit($0, receiptTime: receiptTime)
                }
                return
            }
            engine.ingest(feed: feed, frameCount: frameCount, first, second, receiptTime: receiptTime) { update in
                sink.take(update)
            }
            if health != nil { health!.observe(engine) }
        }

        /// The end of the input: the step thread runs what is queued and the final update, and hands back its
        /// engine (the parameters, coverage and governance the report reads) and the sink.
        mutating func endReplay(sink: inout UpdateSink) throws {
            guard let pipeline else { return }
            let worker = pipeline.finish(engine.ingestSide(throughExchangeTime: engine.latestExchangeTime ?? 0))
            if let error = pipeline.error { throw error }
            ingestTotals = engine.ingestor.totals
            engine = worker.engine
            sink = worker.sink
        }

        mutating func finish(kind: String, options: BacktestOptions, tail: RecordingTail?,
                             calendar: SessionCalendar?, elapsed: Duration,
                             sink: inout UpdateSink, gridSource: String) -> BacktestOutcome {
            // With a step thread, its finish gave the final update.
            if pipeline == nil { engine.republishAll { update in sink.take(update) } }
            let updates = sink.published
            let totals = ingestTotals ?? engine.ingestor.totals
            var rejected: [String: UInt64] = [:]
            for reason in RejectionReason.allCases where totals[reason] > 0 {
                rejected[reason.metricName] = totals[reason]
            }
            let coverage = configuration.model.coverage
            var settings = BacktestSettingsSummary(
                gridIntervalNs: configuration.estimation.gridInterval, horizonNs: coverage.liquidationHorizonNs,
                tailProbability: coverage.tailProbability, riskMeasure: coverage.riskMeasure.rawValue,
                configurationHash: engine.optimizer.configurationHash, coverage: configuration.coverage)
            settings.gridSource = gridSource
            settings.antiProcyclicality = configuration.model.antiProcyclicality.mode.rawValue
            settings.staleAfterNs = configuration.model.circuitBreaker.staleAfterNs
            let input = BacktestInputSummary(kind: kind, paths: options.inputs, messages: messages,
                                             accepted: totals.accepted, rejected: rejected,
                                             gridSteps: engine.stepsRun, updatesPublished: updates,
                                             recordingTail: tail)
            var report = BacktestReport(title: options.title, input: input, settings: settings,
                                        ledger: engine.coverageLedger, calendar: calendar)
            if let health {
                report.health = health.report
                if let failure = health.failure { report.warnings.append(failure) }
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            return BacktestOutcome(report: report, messages: messages, replaySeconds: seconds, ingestTotals: totals)
        }
    }
}

extension FulcrumConfiguration {
    /// The configuration as a backtest runs it: simulator and recording off, coverage tracking on, and — until
    /// the input supplies its own — the replay feed of CSV and bar inputs (``PriceTable/feed``), so that
    /// `fulcrum config check --backtest` validates exactly what `fulcrum backtest` will run.
    public var forBacktest: FulcrumConfiguration {
        var configuration = self
        configuration.simulator.enabled = false
        configuration.recording = RecordingConfiguration()
        configuration.coverage.enabled = true
        configuration.ingest.feeds = [PriceTable.feed]
        return configuration
    }

    /// The same configuration with the anti-procyclicality tool off.
    var withoutAntiProcyclicality: FulcrumConfiguration {
        var configuration = self
        configuration.model.antiProcyclicality.mode = .off
        return configuration
    }
}

/// A backtest's step thread: the step side's engine and the update sink, handed back at the end.
struct BacktestStepWorker: StepWorking {
    var engine: RiskEngine
    var sink: BacktestRunner.UpdateSink

    mutating func execute(_ command: StepCommand) throws {
        guard case .step(let input, _) = command else { return }
        // The sink leaves `self` for the step, so that the closure does not reach into `self` while `engine` is
        // being mutated.
        var sink = self.sink
        defer { self.sink = sink }
        try engine.runDeferredStep(input) { sink.take($0) }
    }

    mutating func executed(caughtUp: Bool) {}

    mutating func finish(_ side: RiskEngine.IngestSide) {
        engine.adopt(side)
        var sink = self.sink
        engine.republishAll { sink.take($0) }
        self.sink = sink
    }
}
