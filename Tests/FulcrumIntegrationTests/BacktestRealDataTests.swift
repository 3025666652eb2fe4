import Foundation
import FulcrumService
import FulcrumTestSupport
import Testing

/// A backtest of real market history: the daily S&P 500 and NASDAQ Composite bars (1999–2018) that ship with the
/// Python `arch` package, exported at test time, replayed one trading session per grid interval with a one-day
/// horizon. The report's figures are checked against `fulcrum_tools.backtest.check_coverage`, which recomputes the
/// exceptions from the raw closes and the report's published margin series and Kupiec's test with scipy.
@Suite("Backtest of real market history", .serialized, .timeLimit(.minutes(5)))
struct BacktestRealDataTests {
    /// One grid interval per trading session, a one-day horizon, no liquidation costs.
    static var configuration: FulcrumConfiguration {
        let day = FulcrumConfiguration.day
        var configuration = FulcrumConfiguration()
        configuration.ingest.symbols.allowList = ["SPX", "NDX"]
        configuration.ingest.filter.deviationThreshold = 1_000
        configuration.estimation.gridInterval = day
        configuration.estimation.halfLife = 20 * day
        configuration.estimation.warmupESS = 20
        configuration.estimation.residualCapacity = 1_000
        configuration.model.coverage.tailProbability = 0.01
        configuration.model.coverage.riskMeasure = .valueAtRisk
        configuration.model.coverage.liquidationHorizonNs = day
        configuration.model.coverage.minimumResidualCount = 250
        configuration.model.liquidation.fixedCostFraction = 0
        configuration.model.liquidation.unknownLiquidityCostFraction = 0
        configuration.model.circuitBreaker.staleAfterNs = 4 * day
        return configuration
    }

    @Test("S&P 500 and NASDAQ 1999–2018: exceptions, rate and Kupiec verdict agree with an independent computation")
    func archHistory() async throws {
        let directory = try TemporaryDirectory(prefix: "fulcrum-backtest")
        defer { directory.remove() }
        let export = try await Python.run(["-m", "fulcrum_tools.backtest.arch_history", directory.path("bars")],
                                          timeout: .seconds(120))
        let install = "python3 -m pip install -e tools"
        try #require(export.status == 0, "exporting arch's data failed (\(install)): \(export.error)")
        let spx = directory.path("bars/SPX.csv")
        let ndx = directory.path("bars/NDX.csv")
        let config = try directory.write(Self.configuration, to: "daily.yaml")
        let run = try await FulcrumCommandLine.run(["backtest", spx, ndx, "--config", config,
                                                    "--out", directory.path("out"), "--title", "S&P 500 and NASDAQ"])
        try #require(run.status == 0, "backtest failed: \(run.error)")
        let check = try await Python.run(["-m", "fulcrum_tools.backtest.check_coverage", directory.path("out/report.json"),
                                          "SPX=\(spx)", "NDX=\(ndx)"], timeout: .seconds(120))
        try #require(check.status == 0, "check_coverage failed: \(check.error)")
        let independent = try #require(try JSONSerialization.jsonObject(with: Data(check.output.utf8))
            as? [String: [String: Any]])

        let report = try directory.json("out/report.json")
        let assets = try #require(report["assets"] as? [[String: Any]])
        #expect(assets.map { $0["symbol"] as? String } == ["SPX", "NDX"])
        for asset in assets {
            let symbol = try #require(asset["symbol"] as? String)
            let coverage = try #require(asset["coverage"] as? [String: Any])
            let kupiec = try #require(coverage["kupiec"] as? [String: Any])
            let expected = try #require(independent[symbol])
            let observations = try #require(coverage["observations"] as? Int)
            #expect(observations == expected["observations"] as? Int, "\(symbol) horizons")
            #expect(coverage["exceptions"] as? Int == expected["exceptions"] as? Int, "\(symbol) exceptions")
            let rate = try #require(coverage["exceptionRate"] as? Double)
            #expect(rate.isApproximatelyEqual(to: try #require(expected["rate"] as? Double), relativeTolerance: 1e-12))
            let statistic = try #require(kupiec["statistic"] as? Double)
            #expect(statistic.isApproximatelyEqual(to: try #require(expected["kupiec"] as? Double),
                                                   relativeTolerance: 1e-9),
                    "\(symbol) Kupiec LR")
            let pValue = try #require(kupiec["pValue"] as? Double)
            #expect(pValue.isApproximatelyEqual(to: try #require(expected["pValue"] as? Double),
                                                relativeTolerance: 1e-6),
                    "\(symbol) Kupiec p-value")
            #expect(kupiec["rejects"] as? Bool == expected["rejects"] as? Bool, "\(symbol) Kupiec verdict")
            // Every replayed price was the close of its session, and two decades were scored.
            #expect((expected["pricesChecked"] as? Int ?? 0) >= 5_000)
            #expect(observations > 4_500)
            #expect(rate > 0.002 && rate < 0.1, "\(symbol): a daily VaR margin should see some exceptions")
            // Per side, against the published MMF and the side's own fraction: counts, Kupiec, Christoffersen
            // independence and conditional coverage, statistics and p-values, all recomputed with scipy.
            let sides = try #require(expected["sides"] as? [String: [String: Any]])
            for key in ["coverage", "long", "short", "longSide", "shortSide"] {
                let summary = try #require(asset[key] as? [String: Any], "\(symbol) \(key)")
                let reference = try #require(sides[key], "\(symbol) \(key)")
                #expect(summary["observations"] as? Int == reference["observations"] as? Int, "\(symbol) \(key)")
                #expect(summary["exceptions"] as? Int == reference["exceptions"] as? Int, "\(symbol) \(key)")
                for (test, name) in [("kupiec", "kupiec"), ("independence", "independence"),
                                     ("conditionalCoverage", "conditionalCoverage")] {
                    let figures = try #require(summary[test] as? [String: Any])
                    let statistic = try #require(figures["statistic"] as? Double)
                    let expectedStatistic = try #require(reference[name] as? Double)
                    #expect(statistic.isApproximatelyEqual(to: expectedStatistic, absoluteTolerance: 1e-9,
                                                           relativeTolerance: 1e-9), "\(symbol) \(key) \(test)")
                    let p = try #require(figures["pValue"] as? Double)
                    let expectedP = try #require(reference[name == "kupiec" ? "kupiecP" : name + "P"] as? Double)
                    #expect(p.isApproximatelyEqual(to: expectedP, absoluteTolerance: 1e-12, relativeTolerance: 1e-6),
                            "\(symbol) \(key) \(test) p")
                }
            }
        }
        let markdown = try String(contentsOfFile: directory.path("out/report.md"), encoding: .utf8)
        #expect(markdown.contains("| SPX |") && markdown.contains("![NDX](plots/NDX.svg)"))
        let svg = try String(contentsOfFile: directory.path("out/plots/SPX.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<svg ") && svg.contains("</svg>"))
    }
}
