import MarginModel

extension BacktestReport {
    /// One asset's chart as SVG: price with the maintenance-margin band and exceptions, annualized volatility,
    /// and the published and target margins over time.
    ///
    /// The band at step t is P(s)·(1 ± MMF(s)) with s the last step at or before t − H: the range the margin set
    /// one horizon earlier covers. Where the price leaves it the margin was too tight (the exceptions, red); a
    /// band far wider than the price's moves shows where it was loose.
    public func assetChart(_ index: Int) -> String {
        let asset = assets[index]
        let series = asset.series
        let scored = { (step: Int) -> Bool in
            (settings.coverage.includeWarming || series.statuses[step] != .warming)
                && series.prices[step].isFinite && series.prices[step] > 0 && series.maintenance[step] > 0
        }
        var lower = [Double](repeating: .nan, count: series.count)
        var upper = [Double](repeating: .nan, count: series.count)
        var earlier = -1
        for step in series.times.indices {
            let cutoff = series.times[step] - asset.horizonNs
            while earlier + 1 < step, series.times[earlier + 1] <= cutoff { earlier += 1 }
            guard earlier >= 0, series.times[earlier] <= cutoff, scored(earlier) else { continue }
            lower[step] = series.prices[earlier] * (1 - series.maintenance[earlier])
            upper[step] = series.prices[earlier] * (1 + series.maintenance[earlier])
        }
        let observations = series.observations
        let longExceptions = observations.filter(\.longException)
        let shortExceptions = observations.filter(\.shortException)
        let percent = { (values: [Double]) in values.map { $0 * 100 } }
        let statusSpans = [
            SVGChart.Spans(name: "stale", ranges: Self.runs(of: .stale, in: series), color: "#a855f7"),
            SVGChart.Spans(name: "stressed", ranges: Self.runs(of: .stressed, in: series), color: "#f97316"),
            SVGChart.Spans(name: "warming", ranges: Self.runs(of: .warming, in: series), color: "#9ca3af",
                           opacity: 0.12),
        ]
        let price = SVGChart.Panel(
            title: "Price with the maintenance-margin band set one horizon earlier", height: 220,
            format: { ReportNumber.general($0) },
            lines: [SVGChart.Line(name: "price", times: series.times, values: series.prices, color: "#1f2937")],
            bands: [SVGChart.Band(name: "P(t−H)·(1 ± MMF)", times: series.times, lower: lower, upper: upper,
                                  color: "#3b82f6")],
            markers: [
                SVGChart.Markers(name: "long exception (\(longExceptions.count))",
                                 points: longExceptions.map { SVGChart.Marker(time: $0.endNs, value: $0.endPrice) },
                                 color: "#dc2626"),
                SVGChart.Markers(name: "short exception (\(shortExceptions.count))",
                                 points: shortExceptions.map { SVGChart.Marker(time: $0.endNs, value: $0.endPrice) },
                                 color: "#0891b2"),
            ],
            spans: statusSpans)
        let moves = SVGChart.Panel(
            title: "Move over each horizon against ± the MMF published at its start (%)", height: 190,
            format: { ReportNumber.general($0, significant: 3) },
            lines: [SVGChart.Line(name: "move", times: observations.map(\.endNs),
                                  values: observations.map { $0.move * 100 }, color: "#6b7280", width: 0.8)],
            bands: [SVGChart.Band(name: "± (MMF − cost)", times: observations.map(\.endNs),
                                  lower: observations.map { -($0.maintenanceMargin - $0.liquidationCost) * 100 },
                                  upper: observations.map { ($0.maintenanceMargin - $0.liquidationCost) * 100 },
                                  color: "#3b82f6")],
            markers: [
                SVGChart.Markers(name: "long exception", points: longExceptions.map {
                    SVGChart.Marker(time: $0.endNs, value: $0.move * 100)
                }, color: "#dc2626"),
                SVGChart.Markers(name: "short exception", points: shortExceptions.map {
                    SVGChart.Marker(time: $0.endNs, value: $0.move * 100)
                }, color: "#0891b2"),
            ],
            spans: statusSpans)
        let sigma = SVGChart.Panel(
            title: "Annualized volatility (%)", height: 130, format: { ReportNumber.general($0, significant: 3) },
            lines: [SVGChart.Line(name: "σ annualized", times: series.times, values: percent(series.sigmaAnnual),
                                  color: "#7c3aed")])
        let margins = SVGChart.Panel(
            title: "Margins (% of notional)", height: 170, format: { ReportNumber.general($0, significant: 3) },
            lines: [
                SVGChart.Line(name: "MMF target", times: series.times, values: percent(series.maintenanceTarget),
                              color: "#f59e0b", width: 1, dashed: true),
                SVGChart.Line(name: "IMF published", times: series.times, values: percent(series.initial),
                              color: "#9ca3af", stepped: true),
                SVGChart.Line(name: "MMF published", times: series.times, values: percent(series.maintenance),
                              color: "#2563eb", width: 1.5, stepped: true),
            ],
            spans: statusSpans)
        let subtitle = "H = \(Self.duration(asset.horizonNs)), ε = \(ReportNumber.percent(asset.tailProbability)) "
            + "per side · long \(asset.long.exceptions)/\(asset.long.observations) "
            + "(\(ReportNumber.percent(asset.long.exceptionRate))), short \(asset.short.exceptions)/"
            + "\(asset.short.observations) (\(ReportNumber.percent(asset.short.exceptionRate))) · "
            + "not ready \(ReportNumber.percent(asset.notReadyShare, 1)) of steps (shaded)"
        return SVGChart(title: "\(asset.symbol) — \(title)", subtitle: subtitle,
                        panels: [price, moves, sigma, margins], timeLabel: axisLabel).render()
    }

    /// The time ranges of consecutive steps with `status`: each runs from its first step to the step after its
    /// last (the interval the status held).
    static func runs(of status: MarginStatus, in series: AssetSeries) -> [(start: Int64, end: Int64)] {
        var ranges: [(start: Int64, end: Int64)] = []
        var index = 0
        let times = series.times
        while index < times.count {
            guard series.statuses[index] == status else {
                index += 1
                continue
            }
            var stop = index
            while stop < times.count, series.statuses[stop] == status { stop += 1 }
            ranges.append((times[index], stop < times.count ? times[stop] : times[stop - 1]))
            index = stop
        }
        return ranges
    }

    /// One portfolio's chart as SVG: its margin, the standalone sum without offsets, and the realized loss of
    /// each horizon with exceptions marked.
    public func portfolioChart(_ index: Int) -> String {
        let portfolio = portfolios[index]
        let series = portfolio.series
        let percent = { (values: [Double]) in values.map { $0 * 100 } }
        let observations = series.observations
        let panel = SVGChart.Panel(
            title: "Portfolio margin and realized loss (% of gross notional)", height: 260,
            format: { ReportNumber.general($0, significant: 3) },
            lines: [
                SVGChart.Line(name: "standalone sum", times: series.times, values: percent(series.standalone),
                              color: "#9ca3af", dashed: true),
                SVGChart.Line(name: "portfolio margin", times: series.times, values: percent(series.margin),
                              color: "#2563eb", width: 1.5, stepped: true),
                SVGChart.Line(name: "loss over H", times: observations.map(\.endNs),
                              values: observations.map { $0.loss * 100 }, color: "#6b7280", width: 0.8),
            ],
            markers: [SVGChart.Markers(name: "exception (\(portfolio.coverage.exceptions))",
                                       points: observations.filter(\.isException).map {
                                           SVGChart.Marker(time: $0.endNs, value: $0.loss * 100)
                                       }, color: "#dc2626")])
        let positions = portfolio.positions.map { "\($0.symbol) \(ReportNumber.general($0.notional))" }
            .joined(separator: ", ")
        let subtitle = "\(positions) · \(portfolio.coverage.exceptions) exceptions in "
            + "\(portfolio.coverage.observations) horizons "
            + "(target \(ReportNumber.percent(portfolio.coverage.targetRate))) · "
            + "zone \(portfolio.coverage.zone.rawValue)"
        return SVGChart(title: "Portfolio \(portfolio.name) — \(title)", subtitle: subtitle, panels: [panel],
                        timeLabel: axisLabel).render()
    }

    /// Axis labels: session dates for daily bars; otherwise as fine as the run's span needs.
    var axisLabel: (Int64) -> String {
        let times = assets.flatMap { [$0.series.times.first, $0.series.times.last] }.compactMap { $0 }
        let span = (times.max() ?? 0) - (times.min() ?? 0)
        let calendar = self.calendar
        return { time in
            if let calendar {
                let session = Int((time - calendar.origin) / max(calendar.interval, 1))
                let clamped = min(max(session, 0), max(calendar.days.count - 1, 0))
                return calendar.days.isEmpty ? "" : CivilTime.dateString(days: calendar.days[clamped])
            }
            return CivilTime.axisLabel(time, spanNs: span)
        }
    }

    /// A duration in the largest whole unit: `1d`, `8h`, `15m`, `30s`, `250ms`, else ns.
    public static func duration(_ nanoseconds: Int64) -> String {
        let units: [(Int64, String)] = [(86_400_000_000_000, "d"), (3_600_000_000_000, "h"), (60_000_000_000, "m"),
                                        (1_000_000_000, "s"), (1_000_000, "ms")]
        for (size, unit) in units where nanoseconds >= size && nanoseconds % size == 0 {
            return "\(nanoseconds / size)\(unit)"
        }
        return "\(nanoseconds)ns"
    }
}
