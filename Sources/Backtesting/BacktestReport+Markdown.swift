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
        if !settings.adaptations.isEmpty {
            lines += ["", "Fitted to the data: " + settings.adaptations.joined(separator: "; ") + "."]
        }
        if !warnings.isEmpty {
            lines.append("")
            for warning in warnings { lines.append("> **Warning:** \(warning)") }
        }
        lines += ["", "## Coverage of the maintenance margin", "", Self.definitions, ""]
        lines.append("| Asset | Side | Margin | Horizons | Exceptions | Rate | Target | Kupiec 95 % band "
            + "| Kupiec LR (p) | Independence LR (p) | Cond. coverage LR (p) | Zone | Verdict | Calibrated |")
        lines.append("|---|---|---|---:|---:|---:|---:|---|---:|---:|---:|---|---|---|")
        for asset in assets {
            let binding = asset.bindingSide
            lines.append(Self.coverageRow(asset.symbol, asset.long, side: "long",
                                          margin: binding == "long" ? "published (binding)" : "published"))
            lines.append(Self.coverageRow(asset.symbol, asset.short, side: "short",
                                          margin: binding == "short" ? "published (binding)" : "published"))
            lines.append(Self.coverageRow(asset.symbol, asset.longSide, side: "long", margin: "MMF_long"))
            lines.append(Self.coverageRow(asset.symbol, asset.shortSide, side: "short", margin: "MMF_short"))
            lines.append(Self.coverageRow(asset.symbol, asset.coverage, side: "both", margin: "published"))
        }
        lines += ["", "## Capital efficiency and steps not ready", "", Self.efficiencyDefinition, ""]
        lines.append("| Asset | Long binds | Efficiency published | long | short | MMF_long | MMF_short | Not ready "
            + "| Stale | Stressed | Warming |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for asset in assets {
            let ratio = { (efficiency: CapitalEfficiency) in ReportNumber.fixed(efficiency.ratio, 3) }
            lines.append("| \(asset.symbol) | \(ReportNumber.percent(asset.longBindingShare, 1)) "
                + "| \(ratio(asset.efficiency.published)) | \(ratio(asset.efficiency.long)) "
                + "| \(ratio(asset.efficiency.short)) | \(ratio(asset.sideEfficiency.long)) "
                + "| \(ratio(asset.sideEfficiency.short)) | \(ReportNumber.percent(asset.notReadyShare, 1)) "
                + "| \(ReportNumber.percent(asset.share(.stale), 1)) | \(ReportNumber.percent(asset.share(.stressed), 1)) "
                + "| \(ReportNumber.percent(asset.share(.warming), 1)) |")
        }
        let costs = assets.compactMap { asset in asset.antiProcyclicality.map { (asset.symbol, $0) } }
        if !costs.isEmpty {
            lines += ["", "## Cost of anti-procyclicality", "",
                      "The same input replayed with the tool off: what it adds to the mean published MMF, and what "
                          + "it buys (fewer exceptions, smaller 5-day rises).", "",
                      "| Asset | Tool | Mean MMF with | without | Margin added | Rate with (long/short) "
                          + "| without (long/short) | Largest 5-day rise with | without |",
                      "|---|---|---:|---:|---:|---|---|---:|---:|"]
            for (symbol, cost) in costs {
                let percent = { (value: Double?) in value.map { ReportNumber.percent($0, 1) } ?? "–" }
                lines.append("| \(symbol) | \(cost.mode) | \(ReportNumber.percent(cost.meanMaintenanceWith)) "
                    + "| \(ReportNumber.percent(cost.meanMaintenanceWithout)) "
                    + "| \(ReportNumber.percent(cost.marginIncrease, 1)) "
                    + "| \(ReportNumber.percent(cost.longRateWith)) / \(ReportNumber.percent(cost.shortRateWith)) "
                    + "| \(ReportNumber.percent(cost.longRateWithout)) / \(ReportNumber.percent(cost.shortRateWithout)) "
                    + "| \(percent(cost.largestRiseWith)) | \(percent(cost.largestRiseWithout)) |")
            }
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
            lines.append("| Portfolio | Side | Margin | Horizons | Exceptions | Rate | Target | Kupiec 95 % band "
                + "| Kupiec LR (p) | Independence LR (p) | Cond. coverage LR (p) | Zone | Verdict | Calibrated |")
            lines.append("|---|---|---|---:|---:|---:|---:|---|---:|---:|---:|---|---|---|")
            for portfolio in portfolios {
                lines.append(Self.coverageRow(portfolio.name, portfolio.coverage, side: "loss", margin: "portfolio"))
            }
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
        if let health { lines += Self.healthSection(health, label: label) }
        lines += ["", "## Per asset"]
        for (index, asset) in assets.enumerated() {
            lines += ["", "### \(asset.symbol)", "", "![\(asset.symbol)](\(assetChartPath(index)))", ""]
            lines.append("Long positions: \(Self.sideSentence(asset.long)). "
                + "Short positions: \(Self.sideSentence(asset.short)). "
                + "Widened σ on \(asset.wideningSteps) of \(asset.series.count) steps.")
            let worst = asset.series.observations.filter(\.isException)
                .sorted { $0.excess != $1.excess ? $0.excess > $1.excess : $0.startNs < $1.startNs }.prefix(10)
            if !worst.isEmpty {
                lines += ["", "Largest exceptions (excess over MMF − liquidation cost):", "",
                          "| Start | End | Move | MMF | Excess | Side |",
                          "|---|---|---:|---:|---:|---|"]
                for observation in worst {
                    lines.append("| \(label(observation.startNs)) | \(label(observation.endNs)) "
                        + "| \(ReportNumber.percent(observation.move)) "
                        + "| \(ReportNumber.percent(observation.maintenanceMargin)) "
                        + "| \(ReportNumber.percent(observation.excess)) "
                        + "| \(observation.move < 0 ? "long" : "short") |")
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
            + "\(settings.riskMeasure), anti-procyclicality \(settings.antiProcyclicality), stale after "
            + "\(Self.duration(settings.staleAfterNs)), grid from the \(settings.gridSource), configuration hash "
            + "`\(Self.hex(settings.configurationHash))`."
        return text
    }

    static let definitions = """
        An exception is the model's: a horizon over which a position opened at its start lost more than the \
        margin less the liquidation cost c inside it (the optimizer sets MMF_side = tail loss + c and targets \
        P(loss > MMF − c) = ε): a fall beyond MMF − c for a long, a rise beyond it for a short. Each side is \
        scored against the published MMF, which is the larger side's requirement and so over-covers the side that \
        did not set it, and against its own model fraction MMF_long or MMF_short (the model's calibration). \
        Horizons do not overlap; the first starts once an asset has left warm-up. Each side has target ε; both \
        sides together 2ε. Kupiec's test (LR_uc ~ χ²₁) checks the rate, Christoffersen's (LR_ind ~ χ²₁) that \
        exceptions do not cluster, conditional coverage (LR_cc = LR_uc + LR_ind ~ χ²₂) both; the verdict is \
        conditional coverage's at 5 %. Calibrated means the count is inside Kupiec's 95 % band (neither too many \
        nor too few) and independence is not rejected at 1 %. The zone is the Basel traffic light at the target \
        rate: green while P(X ≤ x) < 95 % under Binomial(n, target), yellow below 99.99 %, red above.
        """

    static let efficiencyDefinition = """
        Efficiency = mean margin / hindsight-minimal margin = 1/k*, with k* the smallest constant such that k \
        times the margin series would have met ε (at most ⌊ε·n⌋ exceptions) over the run: 1 is exactly what \
        the target needed, 1.15 means 15 % more margin than needed, below 1 under-coverage. "Published" needs \
        both sides covered (the larger k*). Not ready: the share of steps after the initial warm-up whose \
        margins were stale, stressed or warming again, i.e. not the model's.
        """

    static func coverageRow(_ name: String, _ summary: CoverageSummary, side: String, margin: String) -> String {
        func test(_ test: LikelihoodRatioTest) -> String {
            "\(ReportNumber.fixed(test.statistic, 3)) (\(ReportNumber.general(test.pValue, significant: 3)))"
        }
        let band = summary.kupiecBand.map { "\($0.lowerBound)–\($0.upperBound)" } ?? "–"
        return "| \(name) | \(side) | \(margin) | \(summary.observations) | \(summary.exceptions) "
            + "| \(ReportNumber.percent(summary.exceptionRate)) | \(ReportNumber.percent(summary.targetRate)) "
            + "| \(band) | \(test(summary.kupiec)) | \(test(summary.independence)) "
            + "| \(test(summary.conditionalCoverage)) | \(summary.zone.rawValue) | \(summary.verdict) "
            + "| \(summary.isCalibrated ? "yes" : "no") |"
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

extension BacktestReport {
    /// "Protocol health": predicted against realized bad debt per window, and the proposals' effect.
    static func healthSection(_ health: HealthBacktestReport, label: (Int64) -> String) -> [String] {
        var lines = ["", "## Protocol health", "",
                     "\(health.positions) positions in \(health.units) margin units, valued and stressed "
                         + "(\(health.scenarios) scenarios) at the start of each of \(health.windows.count) windows of "
                         + "\(ReportNumber.general(Double(health.horizonNs) / 3.6e12)) h; the realized moves run through "
                         + "the same cascade at each window's end. Exceptions (realized bad debt above the predicted "
                         + "bad debt at \(ReportNumber.percent(health.confidence, 1))): \(health.exceptions) "
                         + "(target rate \(ReportNumber.percent(health.targetRate))), Kupiec p = "
                         + "\(ReportNumber.general(health.kupiecPValue)). Realized bad debt: "
                         + "\(ReportNumber.general(health.realizedBadDebt)) with the margins in force, "
                         + "\(ReportNumber.general(health.realizedBadDebtProposed)) with health-constrained margins "
                         + "(raised in \(health.constrainedWindows) windows).", "",
                     "| Start | End | Largest move | Predicted bad debt | ES | LaR | Realized bad debt "
                         + "| Multiplier | Proposed bad debt | Realized, proposed |",
                     "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for window in health.windows {
            lines.append("| \(label(window.startNs)) | \(label(window.endNs)) "
                + "| \(ReportNumber.percent(window.largestMove)) "
                + "| \(ReportNumber.general(window.predictedBadDebtAtRisk)) "
                + "| \(ReportNumber.general(window.predictedExpectedShortfall)) "
                + "| \(ReportNumber.general(window.predictedLiquidationsAtRisk)) "
                + "| \(ReportNumber.general(window.realizedBadDebt))\(window.isException ? " ⚠" : "") "
                + "| \(ReportNumber.general(window.proposedMultiplier)) "
                + "| \(ReportNumber.general(window.proposedBadDebtAtRisk)) "
                + "| \(ReportNumber.general(window.realizedBadDebtProposed)) |")
        }
        return lines
    }
}
