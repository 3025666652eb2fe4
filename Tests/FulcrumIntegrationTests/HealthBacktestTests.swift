import Foundation
import FulcrumService
import FulcrumTestSupport
import Testing

/// Protocol health along real history: a position profile on the S&P 500 and the NASDAQ Composite (the `arch`
/// package's daily bars, here 2006–2009: a calm year of warm-up, then 2008) opened afresh every session, stressed
/// at the published margins, and the session's realized moves run through the same cascade, through
/// `fulcrum backtest --positions`.
@Suite("Protocol health backtested on real history", .serialized, .timeLimit(.minutes(6)))
struct HealthBacktestTests {
    /// 40 accounts, 2× to 15× leverage, long and short, cross (both markets) and isolated; notional 10 k–400 k.
    static var profile: String {
        var positions: [String] = []
        var collateral: [String] = []
        for account in 1...40 {
            let leverage = 2 + Double((account * 13) % 14)
            let notional = 10_000 + Double((account * 7_919) % 390_000)
            let isolated = account % 3 == 0
            let symbols = isolated ? [account % 2 == 0 ? "SPX" : "NDX"] : ["SPX", "NDX"]
            for (index, symbol) in symbols.enumerated() {
                let side = (account + index) % 4 == 0 ? -1.0 : 1.0
                let entry = symbol == "SPX" ? 1_000.0 : 2_000.0
                var fields = ["\"account\": \"\(account)\"", "\"symbol\": \"\(symbol)\"",
                              "\"size\": \(side * notional / entry)", "\"entryPrice\": \(entry)"]
                if isolated {
                    fields += ["\"mode\": \"MARGIN_MODE_ISOLATED\"", "\"isolatedCollateral\": \(notional / leverage)"]
                }
                positions.append("{" + fields.joined(separator: ", ") + "}")
            }
            if !isolated { collateral.append("{\"account\": \"\(account)\", \"amount\": \(2 * notional / leverage)}") }
        }
        return "{\"sourceEpoch\": \"1\", \"positions\": [\(positions.joined(separator: ", "))], "
            + "\"collateral\": [\(collateral.joined(separator: ", "))]}"
    }

    @Test("Every session a window: predicted against realized bad debt, exceptions counted, the proposals priced")
    func realHistory() async throws {
        let directory = try TemporaryDirectory(prefix: "fulcrum-health-backtest")
        defer { directory.remove() }
        let export = try await Python.run(["-m", "fulcrum_tools.backtest.arch_history", directory.path("bars")],
                                          timeout: .seconds(120))
        try #require(export.status == 0, "exporting arch's data failed: \(export.error)")
        var configuration = BacktestRealDataTests.configuration
        // Drawn scenarios only: with the hypothetical −30 % among a few hundred, it alone would be the 99 % quantile.
        configuration.health.scenarios = 200
        configuration.health.hypotheticalShocks = []
        configuration.health.insuranceFund = 200_000
        let config = try directory.write(configuration, to: "daily.yaml")
        let positions = try directory.write(Self.profile, to: "positions.json")
        for symbol in ["SPX", "NDX"] {
            let lines = try String(contentsOfFile: directory.path("bars/\(symbol).csv"), encoding: .utf8)
                .split(separator: "\n")
            let kept = [lines[0]] + lines.dropFirst().filter { $0 >= "2006-01-01" && $0 < "2010-01-01" }
            _ = try directory.write(kept.joined(separator: "\n") + "\n", to: "\(symbol).csv")
        }
        let run = try await FulcrumCommandLine.run(
            ["backtest", directory.path("SPX.csv"), directory.path("NDX.csv"), "--config", config,
             "--positions", positions, "--out", directory.path("out"), "--no-series",
             "--no-anti-procyclicality-comparison"], timeout: .seconds(300))
        try #require(run.status == 0, "backtest failed: \(run.error)")

        let report = try directory.json("out/report.json")
        let health = try #require(report["health"] as? [String: Any], "no health section")
        let windows = try #require(health["windows"] as? [[String: Any]])
        #expect(health["positions"] as? Int == 67)
        #expect(windows.count > 900, "\(windows.count) windows")
        func value(_ window: [String: Any], _ key: String) -> Double { (window[key] as? Double) ?? Double(window[key] as? Int ?? -1) }
        // Consecutive windows of one session each, predicted before realized.
        for (previous, next) in zip(windows, windows.dropFirst()) {
            #expect(value(previous, "endNs") == value(next, "startNs"))
        }
        let exceptions = windows.filter { value($0, "realizedBadDebt") > value($0, "predictedBadDebtAtRisk") }.count
        #expect(health["exceptions"] as? Int == exceptions)
        let realized = windows.reduce(0) { $0 + value($1, "realizedBadDebt") }
        #expect(realized > 0, "2008 with 15× accounts and no bad debt")
        #expect(abs(value(health, "realizedBadDebt") - realized) <= 1e-9 * max(realized, 1))
        // The worst sessions (2008) leave bad debt; the realized moves there are large.
        let worst = try #require(windows.max { value($0, "realizedBadDebt") < value($1, "realizedBadDebt") })
        #expect(abs(value(worst, "largestMove")) > 0.03, "\(worst)")
        // Health-constrained margins raise some windows and never leave more realized bad debt in total.
        #expect((health["constrainedWindows"] as? Int ?? 0) > 0)
        #expect(value(health, "realizedBadDebtProposed") <= realized)
        let pValue = value(health, "kupiecPValue")
        #expect(pValue >= 0 && pValue <= 1)
        #expect(run.output.contains("protocol health: \(exceptions) exceptions in \(windows.count) windows"),
                "\(run.output)")
        let markdown = try String(contentsOfFile: directory.path("out/report.md"), encoding: .utf8)
        #expect(markdown.contains("## Protocol health"))
        print("health backtest: \(windows.count) windows, \(exceptions) exceptions (target "
              + "\(health["targetRate"] ?? "?")), Kupiec p \(pValue), realized bad debt \(realized), "
              + "with health-constrained margins \(value(health, "realizedBadDebtProposed")), constrained in "
              + "\(health["constrainedWindows"] ?? "?") windows")
    }
}
