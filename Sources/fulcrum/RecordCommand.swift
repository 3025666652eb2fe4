import ArgumentParser
import Backtesting
import Foundation
import FulcrumRecording
import FulcrumService
import Logging
import MarketData

/// `fulcrum record`: writes what arrives on the bus to a recording a backtest can replay.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record market-data messages from the bus to a compact, append-only file.",
        discussion: """
            Subscribes to each --feed (or the feeds of --config) with a SUB socket and appends every message \
            with its receipt time to --out, until SIGTERM/SIGINT or --duration. A crash leaves at most a torn \
            last record, which readers detect and skip. `fulcrum backtest FILE` replays it. With --from, \
            converts CSV ticks or OHLC bars into a recording instead (no sockets).
            """
    )

    @Option(name: .shortAndLong, help: "The recording to write.")
    var out: String

    @Option(name: .customLong("feed"), help: "[NAME=]ENDPOINT of a feed to record (repeat for several).")
    var feeds: [String] = []

    @Flag(help: "Bind the feed endpoints (publishers connect), as a cryptofeed backend expects.")
    var bind = false

    @Option(help: "Encoding of the --feed messages: fulcrum-protobuf or cryptofeed.")
    var encoding: String = FeedEncoding.fulcrumProtobuf.rawValue

    @Option(name: .customLong("topic"), help: "Topic prefix to subscribe to (repeat; default everything).")
    var topics: [String] = []

    @Option(name: .shortAndLong, help: "YAML configuration: feeds to record; grid for OHLC bars.")
    var config: String?

    @Option(help: "When to fsync: never, interval, always.")
    var fsync: String = "interval"

    @Flag(help: "Replace an existing file.")
    var overwrite = false

    @Option(help: "Stop after this many seconds.")
    var duration: Double?

    @Option(name: .customLong("from"), help: "Convert these CSV or OHLC files instead of subscribing.")
    var sources: [String] = []

    @Option(help: "With --from: csv or ohlc (default: from the header).")
    var format: BacktestFormatArgument = .auto

    @Option(name: .customLong("symbol"), help: "With --from OHLC: the instrument of each file, in order.")
    var symbols: [String] = []

    @Option(help: "With --from OHLC: the column replayed as the session price.")
    var priceColumn: String = "Close"

    func run() async throws {
        var standardError = FileHandle.standardError
        do {
            if !sources.isEmpty {
                try convert()
                return
            }
            var recording = RecordingConfiguration()
            recording.path = out
            recording.overwrite = overwrite
            guard let policy = RecordingSyncPolicy(rawValue: fsync) else {
                throw ValidationError("--fsync must be never, interval or always")
            }
            recording.fsync = policy
            let feeds = try resolveFeeds()
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = .info
                return handler
            }
            try await RecordingService.run(feeds: feeds, recording: recording,
                                           duration: duration.map { .nanoseconds(Int64($0 * 1e9)) },
                                           logger: Logger(label: "fulcrum.record"))
        } catch let error as ValidationError {
            throw error
        } catch {
            print("record failed: \(error)", to: &standardError)
            throw ExitCode(2)
        }
    }

    func resolveFeeds() throws -> [FeedConfiguration] {
        var feeds: [FeedConfiguration] = []
        if let config { feeds = try RunCommand.loadConfiguration(path: config).ingest.feeds }
        guard let feedEncoding = FeedEncoding(rawValue: encoding) else {
            throw ValidationError("--encoding must be fulcrum-protobuf or cryptofeed")
        }
        for (index, spec) in self.feeds.enumerated() {
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            let named = parts.count == 2 && !parts[0].contains(":")
            try EndpointArgument.check(named ? parts[1] : spec, name: "--feed", binding: bind)
            feeds.append(FeedConfiguration(name: named ? parts[0] : "feed\(index)", endpoint: named ? parts[1] : spec,
                                           bind: bind, topicPrefixes: topics, encoding: feedEncoding))
        }
        guard !feeds.isEmpty else { throw ValidationError("give at least one --feed, or --config with feeds") }
        for (index, feed) in feeds.enumerated() { try feed.validate(keyPrefix: "feed[\(index)]") }
        return feeds
    }

    func convert() throws {
        let kind = format == .auto ? try BacktestRunner.detectFormat(sources[0]) : format.value
        let table: PriceTable
        switch kind {
        case .ohlc:
            let interval = try RunCommand.loadConfiguration(path: config).estimation.gridInterval
            table = try PriceTable.loadDailyBars(paths: sources, symbols: symbols, priceColumn: priceColumn,
                                                 interval: interval)
        case .csv:
            table = try PriceTable.loadTicks(paths: sources)
        case .recording, .auto:
            throw ValidationError("--from takes CSV or OHLC files")
        }
        let records = try table.writeRecording(to: out, overwrite: overwrite)
        print("wrote \(records) records to \(out)")
    }
}
