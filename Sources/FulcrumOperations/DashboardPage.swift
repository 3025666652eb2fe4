/// The live dashboard served at `/`: one self-contained page (no external scripts, styles or fonts, so it works
/// on an isolated network) that polls `/parameters` and shows, per asset, price, annualized σ, IMF / MMF / max
/// leverage (published beside target), status, live coverage of the published margins (exceptions over the rolling
/// window against the target rate, Kupiec's statistic and p-value, traffic-light zone), a correlation heatmap, and
/// with protocol health on a "Protocol health" panel (`/parameters`' `health`: bad debt VaR, expected shortfall and
/// mean as the distribution's summary against the insurance fund, Liquidations at Risk, coverage ratio in red below
/// 1, deepest cascade, liquidatable units, sparklines of bad debt at risk and coverage over the last hour, and per
/// market open interest, liquidatable notional, tail bad debt and notional within 1/2/3 σ) — what a risk officer
/// keeps on a screen.
///
/// Every figure sits in an element with `data-symbol` and `data-field` attributes (and the heatmap cells with
/// `data-row` / `data-column`; the health panel's figures with `data-health`, its per-market cells with
/// `data-market` and `data-field`), so the page can be checked against `/parameters` by machine.
public enum DashboardPage {
    /// The page, with the polling period in milliseconds filled in.
    public static func html(refreshMilliseconds: Int) -> String {
        template.replacingOccurrences(of: "__REFRESH_MS__", with: "\(refreshMilliseconds)")
    }

    /// The page as shipped in `Resources/dashboard.html`, embedded in the binary at build time (SwiftPM's
    /// `embedInCode`), so a deployed binary needs no resource bundle beside it.
    static let template = String(decoding: PackageResources.dashboard_html, as: UTF8.self)
}
