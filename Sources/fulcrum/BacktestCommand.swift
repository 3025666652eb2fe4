import ArgumentParser
import Backtesting
import Foundation
import FulcrumService

/// `fulcrum backtest`: replays recorded or historical data through the engine and reports margin coverage.
struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Replay a recording, tick CSV or daily bars through the engine and report margin coverage.",
        discussion: """
            Runs the same estimation and optimizer code as `fulcrum run`, in event time and as fast as the \
            machine allows, over a recording (`fulcrum record`, or `recording.path` of `fulcrum run`), a CSV of \
            timestamp,symbol,price[,venue,size] rows, or daily OHLC bars (one instrument per file, replayed one \
            trading session per grid interval: set estimation.gridInterval to 1d). Writes report.json, \
            report.md and plots/*.svg into --out: per asset the exceptions where the move over the horizon \
            exceeded the published margin, Kupiec and Christoffersen tests, the traffic-light zone, margin \
            levels and procyclicality. The same input and configuration always give the same files.
            """
    )

    @Argument(help: "Input files: one recording, or CSV / OHLC files.")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "YAML configuration to test (the service's; feeds are taken from the input).")
    var config: String?

    @Option(help: "Input format: auto, recording, csv, ohlc.")
    var format: BacktestFormatArgument = .auto

    @Option(name: .customLong("symbol"), help: "OHLC: the instrument of each file, in order (repeat the option).")
    var symbols: [String] = []

    @Option(help: "OHLC: the column replayed as the session price.")
    var priceColumn: String = "Close"

    @Option(name: .shortAndLong, help: "Directory for report.json, report.md and plots/.")
    var out: String?

    @Option(help: "Title of the report.")
    var title: String = "Fulcrum backtest"

    @Option(help: "Write every published update as JSON lines (topic, eventTimeNs, base64 payload) to this file.")
    var updatesOut: String?

    @Option(help: "Publisher epoch stamped on updates (default: the recording's, else 0).")
    var epoch: UInt64?

    @Flag(help: "Leave the per-step series out of report.json.")
    var noSeries = false

    func run() throws {
        var standardError = FileHandle.standardError
        do {
            let configuration = try FulcrumConfiguration.loadForReplay(
                path: config, environment: ProcessInfo.processInfo.environment)
            var options = BacktestOptions(inputs: inputs)
            options.format = format.value
            options.symbols = symbols
            options.priceColumn = priceColumn
            options.title = title
            options.epoch = epoch
            var lines: [UInt8] = []
            let collect = updatesOut != nil
            let outcome = try BacktestRunner.run(configuration: configuration, options: options) { update in
                guard collect else { return }
                let line = "{\"topic\":\"\(String(decoding: update.topic, as: UTF8.self))\",\"eventTimeNs\":"
                    + "\(update.eventTime),\"payload\":\"\(Data(update.payload).base64EncodedString())\"}\n"
                lines.append(contentsOf: line.utf8)
            }
            if let updatesOut { try Data(lines).write(to: URL(fileURLWithPath: updatesOut)) }
            let report = outcome.report
            if let out { try ReportFiles.write(report, to: out, includeSeries: !noSeries) }
            for asset in report.assets {
                let coverage = asset.coverage
                print("\(asset.symbol): \(coverage.exceptions) exceptions in \(coverage.observations) horizons "
                    + "(rate \(Self.percent(coverage.exceptionRate)), target \(Self.percent(coverage.targetRate))), "
                    + "Kupiec p = \(Self.number(coverage.kupiec.pValue)), zone \(coverage.zone.rawValue)")
            }
            for portfolio in report.portfolios {
                let coverage = portfolio.coverage
                print("portfolio \(portfolio.name): \(coverage.exceptions) exceptions in \(coverage.observations) "
                    + "horizons (target \(Self.percent(coverage.targetRate))), zone \(coverage.zone.rawValue)")
            }
            fflush(nil)  // nil flushes every stream without touching the global `stdout`
            print("replayed \(outcome.messages) messages, \(report.input.gridSteps) grid steps in "
                + "\(Self.number(outcome.replaySeconds)) s: \(Self.number(outcome.messagesPerSecond)) messages/s",
                  to: &standardError)
            if let out { print("report written to \(out)/report.md", to: &standardError) }
        } catch {
            print("backtest failed: \(error)", to: &standardError)
            throw ExitCode(2)
        }
    }

    static func percent(_ value: Double) -> String { String(format: "%.3f%%", value * 100) }
    static func number(_ value: Double) -> String { String(format: "%.4g", value) }
}

/// `--format` values of `fulcrum backtest`.
enum BacktestFormatArgument: String, ExpressibleByArgument, CaseIterable {
    case auto, recording, csv, ohlc

    var value: BacktestOptions.Format { BacktestOptions.Format(rawValue: rawValue) ?? .auto }
}
