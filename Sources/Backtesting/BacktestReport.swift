import MarginModel

/// Everything a backtest found: per-asset and per-portfolio coverage of the published margins, margin levels,
/// procyclicality and publication counts, with the step-by-step history behind them.
///
/// Rendered as JSON (``json()``), Markdown (``markdown(chartDirectory:)``) and SVG charts
/// (``assetChart(_:)``, ``portfolioChart(_:)``); every rendering is a pure function of the report, so the same
/// backtest gives the same bytes.
public struct BacktestReport: Sendable {
    /// Title of the human-readable report.
    public var title: String
    /// What was read.
    public var input: BacktestInputSummary
    /// The settings in force.
    public var settings: BacktestSettingsSummary
    /// Per asset, in engine order.
    public var assets: [AssetReport]
    /// Per configured portfolio.
    public var portfolios: [PortfolioReport]
    /// The session calendar of daily-bar inputs (labels boundaries with dates).
    public var calendar: SessionCalendar?
    /// Warnings about the run that a reader must not miss (see ``notReadyLimit``), also printed by the command.
    public var warnings: [String] = []
    /// Protocol health of a position book along the replay, when one was given (`--positions`).
    public var health: HealthBacktestReport?

    /// The share of priced steps not `ready` above which a report warns (and `--strict` fails): 5 %.
    public static let notReadyLimit = 0.05

    /// The look-back windows of the procyclicality measures: 1 day and 5 days.
    public static let procyclicalityWindows: [Int64] = [CivilTime.nanosecondsPerDay, 5 * CivilTime.nanosecondsPerDay]

    /// Builds the report from a ledger that kept its history.
    public init(title: String, input: BacktestInputSummary, settings: BacktestSettingsSummary,
                ledger: CoverageLedger, calendar: SessionCalendar?) {
        self.title = title
        self.input = input
        self.settings = settings
        self.calendar = calendar
        let scored = ledger.isEligible
        assets = ledger.symbols.indices.map { index in
            AssetReport(symbol: ledger.symbols[index], tracker: ledger.trackers[index],
                        series: index < ledger.assetSeries.count ? ledger.assetSeries[index] : AssetSeries(),
                        scored: scored, procyclicalityWindows: Self.procyclicalityWindows)
        }
        portfolios = ledger.portfolios.indices.map { index in
            PortfolioReport(tracker: ledger.portfolios[index],
                            series: index < ledger.portfolioSeries.count ? ledger.portfolioSeries[index]
                                : PortfolioSeries(),
                            procyclicalityWindows: Self.procyclicalityWindows)
        }
        warnings = computedWarnings()
    }

    /// The warnings of the report's own figures: per asset, a share of steps not `ready` above
    /// ``notReadyLimit`` (naming how many were stale, stressed and warming), and ticks quarantined or rejected.
    public func computedWarnings() -> [String] {
        var warnings: [String] = []
        for asset in assets where asset.notReadyShare > Self.notReadyLimit {
            let parts = [MarginStatus.stale, .stressed, .warming].map {
                "\($0.rawValue) \(ReportNumber.percent(asset.share($0), 1))"
            }
            let steps = asset.pricedSteps > 0 ? asset.pricedSteps : asset.initialWarmupSteps
            warnings.append("\(asset.symbol): \(ReportNumber.percent(asset.notReadyShare, 1)) of \(steps) "
                + "steps after warm-up were not ready (\(parts.joined(separator: ", "))), above the "
                + "\(ReportNumber.percent(Self.notReadyLimit, 0)) limit: the margins scored are not the model's")
        }
        let dropped = input.rejected.values.reduce(0, +)
        if dropped > 0 {
            let reasons = input.rejected.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            warnings.append("\(dropped) of \(input.messages) ticks were quarantined or rejected "
                + "(\(reasons.joined(separator: ", ")))")
        }
        return warnings
    }

    /// The label of a grid boundary: the session date for daily bars, otherwise ISO 8601 UTC.
    public func label(_ boundary: Int64) -> String {
        calendar?.label(boundary: boundary) ?? CivilTime.iso8601(boundary)
    }

    /// A file-name-safe form of a name: `[A-Za-z0-9._-]` kept, anything else replaced by `_`.
    public static func fileName(_ name: String) -> String {
        String(name.unicodeScalars.map { scalar -> Character in
            let value = scalar.value
            let keep = (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A)
                || (value >= 0x61 && value <= 0x7A) || value == 0x2E || value == 0x5F || value == 0x2D
            return keep ? Character(scalar) : "_"
        })
    }

    /// Relative path of an asset's chart inside the output directory.
    public func assetChartPath(_ index: Int) -> String { "plots/\(Self.fileName(assets[index].symbol)).svg" }

    /// Relative path of a portfolio's chart inside the output directory.
    public func portfolioChartPath(_ index: Int) -> String {
        "plots/portfolio-\(Self.fileName(portfolios[index].name)).svg"
    }
}
