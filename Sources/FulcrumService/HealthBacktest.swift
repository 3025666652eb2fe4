import Backtesting
import FulcrumEngine
import FulcrumProtocol
import ProtocolHealth

/// Protocol health over a backtest (``HealthBacktestReport``): a position profile opened afresh at the start of
/// each window (``PositionFile/book(_:symbols:marks:)``), valued and stressed there, and the realized moves run
/// through the same cascade at its end.
///
/// The engine is not touched: health-constrained margins are evaluated as a counterfactual (what the proposal
/// would have left), so a backtest with positions publishes the same updates as one without.
struct HealthBacktest {
    /// A window being watched.
    struct Open {
        var start: Int64
        var prices: [Double]
        var markets: [MarketConditions]
        var predicted: Fulcrum_V1_ProtocolHealth
        var multiplier: Double
        var proposedBadDebtAtRisk: Double
        var proposedMarkets: [MarketConditions]
        var proposedBook: PositionBook
        var assets: [Int]
        var book: PositionBook
    }

    let monitor: HealthMonitor
    let profile: Fulcrum_V1_PositionSnapshot
    let symbols: [String]
    /// The book of the last window opened.
    var book: PositionBook
    let settings: CascadeSettings
    /// Window length: the liquidation horizon, or `health.interval` when longer.
    let windowNs: Int64
    /// A status of its own, for the snapshots health reads (impact curves and residual rows included).
    let status = EngineStatus(keepsImpactCurves: true)
    var lastSteps: UInt64 = 0
    var open: Open?
    var windows: [HealthBacktestReport.Window] = []
    var scenarios = 0
    /// The first failure of an evaluation (reported as a warning; the replay goes on).
    var failure: String?

    init(configuration: FulcrumConfiguration, profile: Fulcrum_V1_PositionSnapshot, symbols: [String]) throws {
        monitor = HealthMonitor(settings: configuration.health, symbols: symbols, model: configuration.model)
        self.profile = profile
        self.symbols = symbols
        book = try PositionFile.book(profile, symbols: symbols)
        settings = CascadeSettings(liquidationFee: configuration.health.liquidationFee)
        windowNs = max(configuration.model.coverage.liquidationHorizonNs, configuration.health.$interval)
    }

    /// Called after every message the engine took: at the step that ends a window, scores it and opens the next.
    mutating func observe(_ engine: RiskEngine) {
        do {
            try step(engine)
        } catch {
            if failure == nil { failure = "protocol health at step \(engine.stepsRun): \(error)" }
            open = nil
        }
    }

    private mutating func step(_ engine: RiskEngine) throws {
        guard engine.stepsRun != lastSteps, let boundary = engine.lastBoundary else { return }
        lastSteps = engine.stepsRun
        if let open, boundary < open.start + windowNs { return }
        status.requestResidualRows()
        status.publish(engine)
        let snapshot = status.snapshot
        if let open {
            if let window = try Self.close(open, prices: snapshot.prices, end: boundary, settings: settings) {
                windows.append(window)
            }
            self.open = nil
        }
        guard let assets = HealthMonitor.assetIndices(symbols, in: snapshot) else { return }
        let marks = assets.map { $0 < snapshot.prices.count ? snapshot.prices[$0] : .nan }
        guard marks.allSatisfy({ $0.isFinite && $0 > 0 }) else { return }
        book = try PositionFile.book(profile, symbols: symbols, marks: marks)
        guard let assessment = try monitor.assess(snapshot, book: book, constraining: true),
              let decision = assessment.decision else { return }
        scenarios = Int(assessment.message.scenarios)
        open = Open(start: boundary, prices: assessment.assets.map { snapshot.prices[$0] },
                    markets: assessment.markets, predicted: assessment.message,
                    multiplier: decision.multipliers.max() ?? 1,
                    proposedBadDebtAtRisk: decision.proposed.badDebtAtRisk,
                    proposedMarkets: decision.proposedMarkets,
                    proposedBook: MarginProposal.deleveraged(book, markets: decision.proposedMarkets),
                    assets: assessment.assets, book: book)
    }

    /// The window's realized bad debt: each market's move P(end)/P(start) − 1 as one scenario, on the book in
    /// force and on the proposal's; `nil` when a price is missing.
    static func close(_ open: Open, prices: [Double], end: Int64, settings: CascadeSettings) throws
        -> HealthBacktestReport.Window? {
        let shocks = zip(open.assets, open.prices).map { asset, start in
            asset < prices.count ? prices[asset] / start - 1 : .nan
        }
        guard shocks.allSatisfy({ $0.isFinite && $0 > -1 }) else { return nil }
        let realized = try LiquidationCascade(book: open.book, markets: open.markets, settings: settings)
            .run(shocks: shocks)
        let proposed = try LiquidationCascade(book: open.proposedBook, markets: open.proposedMarkets,
                                              settings: settings).run(shocks: shocks)
        let largest = shocks.max { abs($0) < abs($1) } ?? 0
        return HealthBacktestReport.Window(
            startNs: open.start, endNs: end, predictedBadDebtAtRisk: open.predicted.badDebtAtRisk,
            predictedExpectedShortfall: open.predicted.badDebtExpectedShortfall,
            predictedLiquidationsAtRisk: open.predicted.liquidationsAtRisk, realizedBadDebt: realized.badDebt,
            realizedLiquidatedNotional: realized.liquidatedNotional, proposedMultiplier: open.multiplier,
            proposedBadDebtAtRisk: open.proposedBadDebtAtRisk, realizedBadDebtProposed: proposed.badDebt,
            largestMove: largest)
    }

    /// The report of the windows scored.
    var report: HealthBacktestReport {
        HealthBacktestReport(positions: book.positionCount, units: book.unitCount,
                             confidence: monitor.settings.confidence, horizonNs: windowNs, scenarios: scenarios,
                             windows: windows)
    }
}
