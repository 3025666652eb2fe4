import Backtesting

/// Settings a backtest takes from its data rather than from the service defaults, so that a replay of bars
/// cannot silently run on a grid, a staleness or a horizon made for a live one-second feed.
///
/// Applied to bar inputs (daily OHLC, or CSV whose prices come at a regular interval Δ_bar), only where the
/// configuration does not already fit the data:
/// - grid Δ: raised to Δ_bar when below it (a finer grid only adds zero returns and stale steps);
/// - horizon H: raised to Δ when shorter, else rounded up to a whole number of grid steps (per-asset overrides
///   likewise);
/// - staleness (`circuitBreaker.staleAfterNs`): at least 4 bars, so that a missing session or bar is not a
///   stale feed;
/// - EWMA half-life: at least ``barHalfLifeSteps`` grid steps when the configured one is shorter than two
///   steps (a half-life under a step makes σ the last return alone);
/// - residuals for FHS: for daily bars FHS starts after at most 250 (`minimumResidualCount`, one trading
///   year, not four) and uses at most the last 1,000 (`residualCapacity`, four trading years). The window
///   matters: with an expanding window (the live default of 10,000 steps is 40 years of sessions) the long side
///   of S&P 500 and NASDAQ 1999–2018 sees 1.5–1.7 % exceptions at ε = 1 %, because the left tail of the
///   standardized residuals grew heavier over the period and an all-history quantile lags it; a four-year window
///   gives 1.1 % (both by backtest, and by an independent pandas recomputation);
/// - the cross-venue price filter: off for daily bars and for bars of a single venue (settled closes with
///   nothing to confirm them against: a bar that moves beyond the band would be quarantined until the next bar
///   confirms it, which on simulated 15-minute crypto bars held back 0.03–0.7 % of real closes).
///
/// Every change is listed in the report (``BacktestSettingsSummary/gridSource`` and the notes).
public enum BacktestAdaptation {
    /// The EWMA half-life in grid steps a bar replay uses when the configured one is shorter than two steps:
    /// 11 steps, RiskMetrics' λ = 0.94 (half-life ln ½ / ln 0.94 = 11.2).
    public static let barHalfLifeSteps: Int64 = 11

    /// Bars without a price after which an asset is stale.
    public static let staleBars: Int64 = 4

    /// Residuals FHS needs before it replaces the fallback on daily bars (one trading year).
    public static let dailyMinimumResiduals = 250

    /// The FHS residual window on daily bars (four trading years).
    public static let dailyResidualWindow = 1_000

    /// Adapts `configuration` to bars of interval `bar` (ns); `daily` for OHLC sessions, `singleVenue` when every
    /// price comes from one venue. Returns what changed.
    public static func adapt(_ configuration: inout FulcrumConfiguration, barInterval bar: Int64, daily: Bool,
                             singleVenue: Bool = true) -> [String] {
        var notes: [String] = []
        var estimation = configuration.estimation
        if estimation.gridInterval < bar {
            notes.append("grid \(text(estimation.gridInterval)) → \(text(bar)) (the bar interval)")
            estimation.gridInterval = bar
        }
        let grid = estimation.gridInterval
        if estimation.halfLife < 2 * grid {
            let halfLife = barHalfLifeSteps * grid
            notes.append("EWMA half-life \(text(estimation.halfLife)) → \(text(halfLife)) (\(barHalfLifeSteps) steps)")
            estimation.halfLife = halfLife
        }
        if estimation.stressedHalfLife < 2 * grid {
            estimation.stressedHalfLife = 250 * grid
            notes.append("stressed half-life → 250 steps")
        }
        if daily && estimation.residualCapacity > dailyResidualWindow {
            notes.append("FHS window \(estimation.residualCapacity) → \(dailyResidualWindow) residuals (4 trading years)")
            estimation.residualCapacity = dailyResidualWindow
        }
        configuration.estimation = estimation
        var model = configuration.model
        model.coverage.liquidationHorizonNs = fitted(model.coverage.liquidationHorizonNs, grid: grid, notes: &notes,
                                                     name: "horizon")
        for (symbol, overrides) in model.assetOverrides {
            if let horizon = overrides.liquidationHorizonNs {
                model.assetOverrides[symbol]?.liquidationHorizonNs = fitted(horizon, grid: grid, notes: &notes,
                                                                            name: "\(symbol) horizon")
            }
        }
        if model.circuitBreaker.staleAfterNs < staleBars * bar {
            notes.append("stale after \(text(model.circuitBreaker.staleAfterNs)) → \(text(staleBars * bar)) "
                + "(\(staleBars) bars)")
            model.circuitBreaker.staleAfterNs = staleBars * bar
        }
        if daily && model.coverage.minimumResidualCount > dailyMinimumResiduals {
            notes.append("FHS from \(model.coverage.minimumResidualCount) → \(dailyMinimumResiduals) residuals")
            model.coverage.minimumResidualCount = dailyMinimumResiduals
        }
        configuration.model = model
        if (daily || singleVenue) && configuration.ingest.filter.deviationThreshold < 1_000 {
            notes.append("price filter off (bar closes of one venue)")
            configuration.ingest.filter.deviationThreshold = 1_000
        }
        return notes
    }

    /// A duration in its largest whole unit (`1d`, `15m`, `2700s`…).
    static func text(_ nanoseconds: Int64) -> String { BacktestReport.duration(nanoseconds) }

    /// H raised to Δ, or rounded up to a whole number of steps.
    static func fitted(_ horizon: Int64, grid: Int64, notes: inout [String], name: String) -> Int64 {
        let steps = max((horizon + grid - 1) / grid, 1)
        let fitted = steps * grid
        if fitted != horizon {
            notes.append("\(name) \(text(horizon)) → \(text(fitted)) (\(steps) step\(steps == 1 ? "" : "s"))")
        }
        return fitted
    }
}
