import Foundation
import FulcrumTestSupport
import MarginModel
import Testing
@testable import Backtesting
@testable import FulcrumRecording
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("Backtest report")
struct ReportTests {
    static let day = CivilTime.nanosecondsPerDay

    /// A ledger fed with 300 daily steps of two assets: AAA ready from step 10 with an MMF of 2 %,
    /// BBB always warming. Prices follow a seeded random walk with occasional 3 % jumps.
    static func ledger() -> (ledger: CoverageLedger, prices: [Double]) {
        var configuration = CoverageConfiguration()
        configuration.portfolios = [PortfolioDefinition(name: "pair", positions: ["AAA": 1, "BBB": -1])]
        var ledger = CoverageLedger(configuration: configuration, portfolioHorizonNs: day,
                                    portfolioTailProbability: 0.01)
        ledger.addAsset(symbol: "AAA", horizonNs: day, tailProbability: 0.01)
        ledger.startHistory()
        ledger.addAsset(symbol: "BBB", horizonNs: day, tailProbability: 0.01)
        var random = SplitMix64(seed: 2_024)
        var price = 100.0
        var prices: [Double] = []
        for step in 0..<300 {
            let jump = random.nextHalfOpenUnit() < 0.05 ? (random.nextHalfOpenUnit() < 0.5 ? -0.03 : 0.03) : 0
            price *= 1 + (random.nextHalfOpenUnit() - 0.5) * 0.02 + jump
            prices.append(price)
            var parameters = AssetParameters.placeholder
            parameters.status = step >= 10 ? .ready : .warming
            parameters.published = MarginLevels(initialMarginFraction: 0.03 + Double(step % 7) * 0.001,
                                                maintenanceMarginFraction: 0.02, maxLeverage: 25)
            // Both sides need the published 2 % and no liquidation cost: side and published exceptions coincide.
            parameters.longMaintenanceMarginFraction = 0.02
            parameters.shortMaintenanceMarginFraction = 0.02
            parameters.longTailLoss = 0.02
            parameters.shortTailLoss = 0.02
            parameters.changed = step % 7 == 0
            let time = Int64(step + 1) * day
            ledger.observe(asset: 0, timeNs: time, price: price, sigmaAnnual: 0.3, parameters: parameters,
                           widening: 1)
            var warming = parameters
            warming.status = .warming
            ledger.observe(asset: 1, timeNs: time, price: 50, sigmaAnnual: 0.2, parameters: warming, widening: 1)
            ledger.observePortfolio(0, timeNs: time, prices: [price, 50], margin: nil)
        }
        return (ledger, prices)
    }

    static func report() -> (report: BacktestReport, prices: [Double]) {
        let (ledger, prices) = ledger()
        let input = BacktestInputSummary(kind: "csv", paths: ["ticks.csv"], messages: 600, accepted: 600,
                                         rejected: ["late": 2], gridSteps: 300, updatesPublished: 43,
                                         recordingTail: nil)
        let settings = BacktestSettingsSummary(gridIntervalNs: day, horizonNs: day, tailProbability: 0.01,
                                               riskMeasure: "valueAtRisk", configurationHash: 0xABCD,
                                               coverage: ledger.configuration)
        return (BacktestReport(title: "Test", input: input, settings: settings, ledger: ledger, calendar: nil),
                prices)
    }

    @Test("Exceptions, rate and Kupiec statistic agree with a direct count over the price series")
    func figures() throws {
        let (report, prices) = Self.report()
        let asset = report.assets[0]
        // Horizons run from step 10 to 11, 11 to 12, …: every consecutive pair from the first ready step.
        var exceptions = 0
        var count = 0
        for step in 10..<(prices.count - 1) {
            count += 1
            if abs(prices[step + 1] / prices[step] - 1) > 0.02 { exceptions += 1 }
        }
        #expect(asset.coverage.observations == count)
        #expect(asset.coverage.exceptions == exceptions)
        #expect(exceptions > 3, "the series should produce some exceptions")
        let rate = Double(exceptions) / Double(count)
        let p = 0.02
        let expected = 2 * (Double(count - exceptions) * log((1 - rate) / (1 - p)) + Double(exceptions) * log(rate / p))
        #expect(asset.coverage.kupiec.statistic.isApproximatelyEqual(to: expected, relativeTolerance: 1e-9))
        #expect(asset.long.exceptions + asset.short.exceptions == exceptions)
        #expect(asset.scoredSteps == 290)
        #expect(asset.meanMaintenance.isApproximatelyEqual(to: 0.02, relativeTolerance: 1e-12))
        #expect(asset.publishedChanges == 299)
        #expect(asset.updatesPublished == 43)
        #expect(report.assets[1].coverage.observations == 0)
        #expect(report.portfolios[0].coverage.observations == 0)
    }

    @Test("The report warns when steps were not ready or ticks were dropped, and only then")
    func warnings() {
        let (report, _) = Self.report()
        // AAA warms up for its first 10 steps and is ready for the other 290; BBB never leaves warm-up.
        #expect(report.assets[0].initialWarmupSteps == 10 && report.assets[0].pricedSteps == 290)
        #expect(report.assets[0].notReadyShare == 0)
        #expect(report.assets[1].notReadyShare == 1 && report.assets[1].share(.warming) == 1)
        #expect(report.warnings.count == 2)
        #expect(report.warnings.first?.hasPrefix("BBB: 100.0% of 300 steps after warm-up were not ready") == true)
        #expect(report.warnings.last == "2 of 600 ticks were quarantined or rejected (late 2)")
        #expect(report.markdown().contains("> **Warning:** BBB"))
    }

    @Test("JSON, Markdown and SVG renderings are deterministic and carry the figures")
    func renderings() throws {
        let (first, _) = Self.report()
        let (second, _) = Self.report()
        let json = String(decoding: try first.json(), as: UTF8.self)
        #expect(json == String(decoding: try second.json(), as: UTF8.self))
        #expect(first.markdown() == second.markdown())
        #expect(first.assetChart(0) == second.assetChart(0))

        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["format"] as? String == "fulcrum-backtest-report")
        let assets = try #require(object["assets"] as? [[String: Any]])
        let coverage = try #require(assets[0]["coverage"] as? [String: Any])
        #expect(coverage["exceptions"] as? Int == first.assets[0].coverage.exceptions)
        #expect(coverage["zone"] as? String == first.assets[0].coverage.zone.rawValue)
        let series = try #require(assets[0]["series"] as? [String: Any])
        #expect((series["maintenance"] as? [Double])?.count == 300)
        #expect((assets[0]["exceptions"] as? [Any])?.count == first.assets[0].coverage.exceptions)
        let settings = try #require(object["settings"] as? [String: Any])
        #expect(settings["configurationHash"] as? String == "000000000000abcd")
        // Non-finite numbers are written as null: BBB never scored a step, so its mean margin is NaN.
        let margin = try #require(assets[1]["margin"] as? [String: Any])
        #expect(margin["meanMaintenance"] is NSNull)
        #expect(json.hasSuffix("}\n") && !json.contains("NaN") && !json.contains("inf"))
        // Keys are sorted: the encoder's output does not depend on declaration order.
        let keys = try #require(object.keys.sorted() as [String]?)
        #expect(keys == ["assets", "format", "input", "portfolios", "settings", "title", "version", "warnings"])
        let long = try #require(assets[0]["long"] as? [String: Any])
        #expect(long["exceptions"] as? Int == first.assets[0].long.exceptions)
        #expect((long["conditionalCoverage"] as? [String: Any])?["degreesOfFreedom"] as? Int == 2)
        #expect(assets[0]["longSide"] is [String: Any] && assets[0]["efficiency"] is [String: Any])

        let markdown = first.markdown()
        #expect(markdown.contains("| AAA | both | published | \(first.assets[0].coverage.observations) | "
            + "\(first.assets[0].coverage.exceptions) |"))
        #expect(markdown.contains("| AAA | long | published"))
        #expect(markdown.contains("| AAA | short | MMF_short"))
        #expect(markdown.contains("![AAA](plots/AAA.svg)"))
        #expect(markdown.contains("late 2"))

        let svg = first.assetChart(0)
        // Each exception is marked twice: on the price and on the horizon move.
        #expect(svg.components(separatedBy: "<circle").count - 1 == 2 * first.assets[0].coverage.exceptions)
        #if canImport(FoundationXML) || canImport(Darwin)
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "SVG must be well-formed XML: \(String(describing: parser.parserError))")
        let portfolio = XMLParser(data: Data(first.portfolioChart(0).utf8))
        #expect(portfolio.parse())
        #endif
    }

    @Test("Report files are written under the output directory, byte-identical on a second run")
    func files() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (report, _) = Self.report()
        let written = try ReportFiles.write(report, to: directory.path("out/nested"))
        #expect(written.map { $0.replacingOccurrences(of: directory.path("out/nested") + "/", with: "") }
                == ["report.json", "report.md", "plots/AAA.svg", "plots/BBB.svg", "plots/portfolio-pair.svg"])
        let before = try written.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        try ReportFiles.write(Self.report().report, to: directory.path("out/nested"))
        let after = try written.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        #expect(before == after)
    }

    @Test("Chart downsampling keeps every column's extremes and bounds the point count")
    func downsampling() {
        let times = (0..<100_000).map { Int64($0) }
        var values = times.map { sin(Double($0) / 500) }
        values[54_321] = 9
        values[12_345] = -9
        let points = SVGChart.downsample(Array(zip(times, values)), start: 0, end: 99_999, columns: 800)
        #expect(points.count <= 4 * 801)
        #expect(points.contains { $0.1 == 9 } && points.contains { $0.1 == -9 })
        #expect(zip(points, points.dropFirst()).allSatisfy { $0.0 < $1.0 })
        #expect(SVGChart.niceTicks(low: 0.013, high: 0.087, count: 5) == [0.02, 0.04, 0.06, 0.08])
    }

    @Test("Scientific numbers and axis labels")
    func scientificAndAxis() {
        #expect(ReportNumber.scientific(9.047_671e-13, significant: 3) == "9.05e-13")
        #expect(ReportNumber.scientific(-0.000_099_96, significant: 3) == "-1.00e-4")
        #expect(ReportNumber.general(1.5e-7, significant: 2) == "1.5e-7")
        let time = CivilTime.days(year: 2024, month: 3, day: 9) * CivilTime.nanosecondsPerDay + 3_723_000_000_000
        #expect(CivilTime.axisLabel(time, spanNs: 10 * CivilTime.nanosecondsPerDay) == "2024-03-09")
        #expect(CivilTime.axisLabel(time, spanNs: CivilTime.nanosecondsPerDay) == "03-09 01:02")
        #expect(CivilTime.axisLabel(time, spanNs: 600_000_000_000) == "01:02:03")
    }

    @Test("Fixed-point numbers", arguments: [(2.5, 0, "3"), (-0.004, 2, "0.00"), (0.02349, 3, "0.023"),
                                              (-12.345, 1, "-12.3"), (1e-7, 2, "0.00")])
    func numbers(value: Double, decimals: Int, expected: String) {
        #expect(ReportNumber.fixed(value, decimals) == expected)
    }
}
