import MarginModel

extension BacktestReport {
    /// The human-readable report as Markdown, with the charts (written under `plots/`) embedded as images.
    public func markdown() -> String {
        var lines: [String] = ["# \(title)", ""]
        lines.append(overview)
        if let tail = input.recordingTail {
            lines += ["", "> **Recording ended early:** \(tail.problem.rawValue) record at byte \(tail.offset); "
                + "\(tail.skippedBytes) bytes skipped" + (tail.isTornTail ? " (a torn final append)." : ".")]
        }
        lines += ["", "## Coverage of the maintenance margin", "", Self.definitions, ""]
        lines.append("| Asset | Horizons | Exceptions | Rate | Target | Kupiec LR (p) | Independence LR (p) "
            + "| Cond. coverage LR (p) | Zone | Verdict |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
        for asset in assets {
            lines.append(Self.coverageRow(asset.symbol, asset.coverage))
        }
        lines += ["", "## Margin levels and procyclicality", ""]
        lines.append("| Asset | Mean MMF | Max MMF | Mean IMF | Max IMF | IMF exceptions | Largest 1-day MMF rise "
            + "| Largest 5-day MMF rise | Published changes | Updates |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for asset in assets {
            lines.append("| \(asset.symbol) | \(ReportNumber.percent(asset.meanMaintenance)) "
                + "| \(ReportNumber.percent(asset.maxMaintenance)) | \(ReportNumber.percent(asset.meanInitial)) "
                + "| \(ReportNumber.percent(asset.maxInitial)) | \(asset.initialExceptions) "
                + "(\(ReportNumber.percent(asset.initialExceptionRate))) "
                + "| \(Self.rise(asset.procyclicality.first)) | \(Self.rise(asset.procyclicality.last)) "
                + "| \(asset.publishedChanges) | \(asset.updatesPublished) |")
        }
        if !portfolios.isEmpty {
            lines += ["", "## Portfolios", "",
                      "The portfolio margin is scored against the loss of the whole portfolio over the horizon, "
                          + "both as fractions of gross notional; the target is the portfolio measure's ε.", ""]
            lines.append("| Portfolio | Horizons | Exceptions | Rate | Target | Kupiec LR (p) | Independence LR (p) "
                + "| Cond. coverage LR (p) | Zone | Verdict |")
            lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
            for portfolio in portfolios { lines.append(Self.coverageRow(portfolio.name, portfolio.coverage)) }
            lines += ["", "| Portfolio | Positions | Mean margin | Max margin | Mean standalone sum "
                + "| Largest 1-day rise | Largest 5-day rise | Margin changes |",
                      "|---|---|---:|---:|---:|---:|---:|---:|"]
            for portfolio in portfolios {
                let positions = portfolio.positions.map { "\($0.symbol) \(ReportNumber.general($0.notional))" }
                    .joined(separator: ", ")
                lines.append("| \(portfolio.name) | \(positions) | \(ReportNumber.percent(portfolio.meanMargin)) "
                    + "| \(ReportNumber.percent(portfolio.maxMargin)) "
                    + "| \(ReportNumber.percent(portfolio.meanStandalone)) "
                    + "| \(Self.rise(portfolio.procyclicality.first)) | \(Self.rise(portfolio.procyclicality.last)) "
                    + "| \(portfolio.marginChanges) |")
            }
        }
        lines += ["", "## Per asset"]
        for (index, asset) in assets.enumerated() {
            lines += ["", "### \(asset.symbol)", "", "![\(asset.symbol)](\(assetChartPath(index)))", ""]
            lines.append("Long positions: \(Self.sideSentence(asset.long)). "
                + "Short positions: \(Self.sideSentence(asset.short)). "
                + "Widened σ on \(asset.wideningSteps) of \(asset.series.count) steps.")
            let worst = asset.series.observations.filter(\.isException)
                .sorted { $0.excess != $1.excess ? $0.excess > $1.excess : $0.startNs < $1.startNs }.prefix(10)
            if !worst.isEmpty {
                lines += ["", "Largest exceptions:", "", "| Start | End | Move | MMF | Excess | Side |",
                          "|---|---|---:|---:|---:|---|"]
                for observation in worst {
                    lines.append("| \(label(observation.startNs)) | \(label(observation.endNs)) "
                        + "| \(ReportNumber.percent(observation.move)) "
                        + "| \(ReportNumber.percent(observation.maintenanceMargin)) "
                        + "| \(ReportNumber.percent(observation.excess)) "
                        + "| \(observation.longException ? "long" : "short") |")
                }
            }
        }
        for (index, portfolio) in portfolios.enumerated() {
            lines += ["", "### Portfolio \(portfolio.name)", "",
                      "![\(portfolio.name)](\(portfolioChartPath(index)))"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var overview: String {
        var text = "Backtest of \(input.kind) input " + input.paths.map { "`\($0)`" }.joined(separator: ", ")
            + ": \(input.messages) messages, \(input.accepted) ticks accepted"
        let rejected = input.rejected.values.reduce(0, +)
        if rejected > 0 {
            text += " (\(rejected) rejected: "
                + input.rejected.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                + ")"
        }
        text += ", \(input.gridSteps) grid steps, \(input.updatesPublished) updates published"
        if let calendar, let first = calendar.days.first, let last = calendar.days.last {
            text += ", \(calendar.days.count) trading sessions from \(CivilTime.dateString(days: first)) to "
                + "\(CivilTime.dateString(days: last)) replayed one per grid interval"
        }
        text += ". Grid Δ = \(Self.duration(settings.gridIntervalNs)), "
            + "horizon H = \(Self.duration(settings.horizonNs)), "
            + "ε = \(ReportNumber.percent(settings.tailProbability)) per side, risk measure "
            + "\(settings.riskMeasure), configuration hash `\(Self.hex(settings.configurationHash))`."
        return text
    }

    static let definitions = """
        An exception is a horizon over which a position opened at its start lost more than the maintenance \
        margin published then: a fall beyond MMF for a long, a rise beyond MMF for a short. Horizons do not \
        overlap; the first starts once an asset has left warm-up. The two sides are exclusive events with \
        target ε each, so the target of the table is 2ε. Kupiec's test (LR_uc ~ χ²₁) checks the exception \
        rate, Christoffersen's (LR_ind ~ χ²₁) that exceptions do not cluster, conditional coverage \
        (LR_cc = LR_uc + LR_ind ~ χ²₂) both; p-values below 5 % reject. The zone is the Basel traffic light at \
        the target rate: green while P(X ≤ x) < 95 % under Binomial(n, target), yellow below 99.99 %, red above.
        """

    static func coverageRow(_ name: String, _ summary: CoverageSummary) -> String {
        func test(_ test: LikelihoodRatioTest) -> String {
            "\(ReportNumber.fixed(test.statistic, 3)) (\(ReportNumber.general(test.pValue, significant: 3)))"
        }
        return "| \(name) | \(summary.observations) | \(summary.exceptions) "
            + "| \(ReportNumber.percent(summary.exceptionRate)) | \(ReportNumber.percent(summary.targetRate)) "
            + "| \(test(summary.kupiec)) | \(test(summary.independence)) | \(test(summary.conditionalCoverage)) "
            + "| \(summary.zone.rawValue) | \(summary.verdict) |"
    }

    static func sideSentence(_ summary: CoverageSummary) -> String {
        "\(summary.exceptions) exceptions in \(summary.observations) horizons "
            + "(\(ReportNumber.percent(summary.exceptionRate)) vs \(ReportNumber.percent(summary.targetRate)), "
            + "Kupiec p = \(ReportNumber.general(summary.kupiec.pValue, significant: 3)), \(summary.zone.rawValue))"
    }

    static func rise(_ measure: ProcyclicalityMeasure?) -> String {
        guard let measure, let absolute = measure.largestIncrease,
              let relative = measure.largestRelativeIncrease else { return "–" }
        return "\(ReportNumber.fixed(absolute * 100, 2)) pp / \(ReportNumber.percent(relative, 1))"
    }
}
