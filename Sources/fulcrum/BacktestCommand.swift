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
            timestamp,symbol,price[,venue,size] rows, or daily OHLC bars (one instrument per file). Bars need no \
            configuration: daily bars are replayed one trading session per 1-day grid step, CSV prices at a \
            regular interval on a grid of that interval; the horizon is fitted to whole grid steps (at least one), \
            staleness to 4 bars, a half-life shorter than two steps to 11 steps, and for daily bars FHS starts \
            after 250 sessions and the cross-venue filter is off (--no-adapt keeps the configuration as given; \
            every fitted setting is listed in the report). A replay whose messages were all rejected exits with 1 and \
            names the top rejection reasons and the settings that decide them. Writes report.json, report.md and plots/*.svg into \
            --out: per asset and side (long, short) the exceptions where the loss over the horizon exceeded the \
            margin less its liquidation cost — against the published MMF and the side's own fraction —, Kupiec, \
            Christoffersen independence and conditional coverage, the traffic-light zone, capital efficiency \
            (mean margin / hindsight-minimal margin), the share of steps not ready, the cost of \
            anti-procyclicality, margin levels and procyclicality. Warns when more than 5 % of an asset's steps \
            were not ready (stale, stressed, warming) or ticks were quarantined; --strict then exits with 3. \
            The same input and configuration always give the same files.
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

    @Option(help: "A position book (fulcrum.v1.PositionSnapshot, binary or JSON) to value and stress along the replay: predicted against realized bad debt per liquidation horizon, and what health-constrained margins would have changed.")
    var positions: String?

    @Option(help: "Title of the report.")
    var title: String = "Fulcrum backtest"

    @Option(help: "Write every published update as JSON lines (topic, eventTimeNs, base64 payload) to this file.")
    var updatesOut: String?

    @Option(help: "Publisher epoch stamped on updates (default: the recording's, else 0).")
    var epoch: UInt64?

    @Flag(help: "Leave the per-step series out of report.json.")
    var noSeries = false

    @Flag(help: "Exit with status 3 when the report warns (more than 5 % of steps not ready, ticks quarantined).")
    var strict = false

    @Flag(help: "Replay bars with the configuration exactly as given (no grid, horizon or staleness from the data).")
    var noAdapt = false

    @Flag(help: "Skip the second replay without the anti-procyclicality tool (its cost is then not reported).")
    var noAntiProcyclicalityComparison = false

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
            options.adaptToData = !noAdapt
            options.compareAntiProcyclicality = !noAntiProcyclicalityComparison
            options.positionsPath = positions
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
                for (side, summary) in [("long", asset.long), ("short", asset.short), ("long model", asset.longSide),
                                        ("short model", asset.shortSide)] {
                    print("\(asset.symbol) \(side): \(summary.exceptions) exceptions in \(summary.observations) "
                        + "horizons (rate \(Self.percent(summary.exceptionRate)), target "
                        + "\(Self.percent(summary.targetRate))), Kupiec p = \(Self.number(summary.kupiec.pValue)), "
                        + "independence p = \(Self.number(summary.independence.pValue)), "
                        + "conditional coverage p = \(Self.number(summary.conditionalCoverage.pValue)), "
                        + "zone \(summary.zone.rawValue), \(summary.verdict)")
                }
                print("\(asset.symbol): efficiency \(Self.number(asset.efficiency.published.ratio)) "
                    + "(mean MMF / hindsight-minimal MMF), not ready \(Self.percent(asset.notReadyShare)) of steps")
            }
            for portfolio in report.portfolios {
                let coverage = portfolio.coverage
                print("portfolio \(portfolio.name): \(coverage.exceptions) exceptions in \(coverage.observations) "
                    + "horizons (target \(Self.percent(coverage.targetRate))), zone \(coverage.zone.rawValue)")
            }
            if let health = report.health {
                print("protocol health: \(health.exceptions) exceptions in \(health.windows.count) windows "
                    + "(realized bad debt above the predicted \(Self.percent(health.confidence)) bad debt at risk; target "
                    + "rate \(Self.percent(health.targetRate))), Kupiec p = \(Self.number(health.kupiecPValue)); realized "
                    + "bad debt \(Self.number(health.realizedBadDebt)), with health-constrained margins "
                    + "\(Self.number(health.realizedBadDebtProposed)) (raised in \(health.constrainedWindows) windows)")
            }
            fflush(nil)  // nil flushes every stream without touching the global `stdout`
            print("replayed \(outcome.messages) messages, \(report.input.gridSteps) grid steps in "
                + "\(Self.number(outcome.replaySeconds)) s: \(Self.number(outcome.messagesPerSecond)) messages/s",
                  to: &standardError)
            for note in report.settings.adaptations { print("fitted to the data: \(note)", to: &standardError) }
            for warning in report.warnings { print("warning: \(warning)", to: &standardError) }
            if let out { print("report written to \(out)/report.md", to: &standardError) }
            // A replay that accepted nothing measured nothing: fail, naming what to change, even without --strict.
            if let shortfall = outcome.shortfall {
                print("backtest failed: \(shortfall)", to: &standardError)
                throw ExitCode(1)
            }
            if strict && !report.warnings.isEmpty {
                print("backtest failed --strict: \(report.warnings.count) warning(s)", to: &standardError)
                throw ExitCode(3)
            }
        } catch let exit as ExitCode {
            throw exit
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
