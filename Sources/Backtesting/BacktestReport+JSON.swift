import MarginModel

extension BacktestReport {
    /// The machine-readable report (see ``JSONValue/rendered()`` for the layout rules).
    ///
    /// Top level: `format` (`fulcrum-backtest-report`), `version` (1), `title`, `input`, `settings`, `assets`,
    /// `portfolios`. Each asset has `coverage` (two-sided, target 2ε), `long` and `short` (target ε) with
    /// `observations`, `exceptions`, `exceptionRate`, `targetRate`, `kupiec`, `independence`,
    /// `conditionalCoverage` (each `statistic`, `degreesOfFreedom`, `pValue`, `rejects`) and `zone`; `initialMargin`,
    /// `margin`, `procyclicality`, counts, every exception, and — with `includeSeries` — the per-step `series`
    /// (`timeNs`, `label` for daily bars, `price`, `sigmaAnnual`, `maintenance`, `initial`,
    /// `maintenanceTarget`, `maxLeverage`, `status`, `published`).
    public func json(includeSeries: Bool = true) -> JSONValue {
        .object([
            ("format", .string("fulcrum-backtest-report")),
            ("version", .integer(1)),
            ("title", .string(title)),
            ("input", inputJSON),
            ("settings", settingsJSON),
            ("assets", .array(assets.map { assetJSON($0, includeSeries: includeSeries) })),
            ("portfolios", .array(portfolios.map { portfolioJSON($0, includeSeries: includeSeries) })),
        ])
    }

    var inputJSON: JSONValue {
        var members: [(String, JSONValue)] = [
            ("kind", .string(input.kind)),
            ("paths", .array(input.paths.map { .string($0) })),
            ("messages", .integer(Int64(clamping: input.messages))),
            ("accepted", .integer(Int64(clamping: input.accepted))),
            ("rejected", .object(input.rejected.sorted { $0.key < $1.key }.map {
                ($0.key, .integer(Int64(clamping: $0.value)))
            })),
            ("gridSteps", .integer(Int64(clamping: input.gridSteps))),
            ("updatesPublished", .integer(Int64(clamping: input.updatesPublished))),
        ]
        if let tail = input.recordingTail {
            members.append(("recordingTail", .object([
                ("problem", .string(tail.problem.rawValue)), ("offset", .integer(Int64(tail.offset))),
                ("skippedBytes", .integer(Int64(tail.skippedBytes))), ("tornTail", .bool(tail.isTornTail)),
            ])))
        }
        if let calendar {
            members.append(("sessions", .object([
                ("first", .string(CivilTime.dateString(days: calendar.days.first ?? 0))),
                ("last", .string(CivilTime.dateString(days: calendar.days.last ?? 0))),
                ("count", .integer(Int64(calendar.days.count))),
            ])))
        }
        return .object(members)
    }

    var settingsJSON: JSONValue {
        let coverage = settings.coverage
        return .object([
            ("gridIntervalNs", .integer(settings.gridIntervalNs)),
            ("horizonNs", .integer(settings.horizonNs)),
            ("tailProbability", .number(settings.tailProbability)),
            ("riskMeasure", .string(settings.riskMeasure)),
            ("configurationHash", .string(Self.hex(settings.configurationHash))),
            ("coverageWindow", .integer(Int64(coverage.window))),
            ("includeWarming", .bool(coverage.includeWarming)),
            ("widening", .object([
                ("enabled", .bool(coverage.widening.enabled)),
                ("yellowMultiplier", .number(coverage.widening.yellowMultiplier)),
                ("redMultiplier", .number(coverage.widening.redMultiplier)),
            ])),
        ])
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    static func summaryJSON(_ summary: CoverageSummary) -> JSONValue {
        func test(_ test: LikelihoodRatioTest) -> JSONValue {
            .object([
                ("statistic", .number(test.statistic)), ("degreesOfFreedom", .integer(Int64(test.degreesOfFreedom))),
                ("pValue", .number(test.pValue)),
                ("rejects", .bool(test.rejects(atSignificance: CoverageSummary.significance))),
            ])
        }
        return .object([
            ("observations", .integer(Int64(summary.observations))),
            ("exceptions", .integer(Int64(summary.exceptions))),
            ("exceptionRate", .number(summary.exceptionRate)),
            ("targetRate", .number(summary.targetRate)),
            ("kupiec", test(summary.kupiec)),
            ("independence", test(summary.independence)),
            ("conditionalCoverage", test(summary.conditionalCoverage)),
            ("zone", .string(summary.zone.rawValue)),
            ("verdict", .string(summary.verdict)),
        ])
    }

    func procyclicalityJSON(_ measures: [ProcyclicalityMeasure]) -> JSONValue {
        .array(measures.map { measure in
            .object([
                ("windowNs", .integer(measure.windowNs)),
                ("largestIncrease", .number(measure.largestIncrease)),
                ("largestRelativeIncrease", .number(measure.largestRelativeIncrease)),
                ("relativeIncreaseEndNs", measure.relativeIncreaseEndNs.map { .integer($0) } ?? .null),
                ("relativeIncreaseEnd", measure.relativeIncreaseEndNs.map { .string(label($0)) } ?? .null),
            ])
        })
    }

    func assetJSON(_ asset: AssetReport, includeSeries: Bool) -> JSONValue {
        let exceptions = asset.series.observations.filter(\.isException).map { observation -> JSONValue in
            .object([
                ("startNs", .integer(observation.startNs)), ("endNs", .integer(observation.endNs)),
                ("start", .string(label(observation.startNs))), ("end", .string(label(observation.endNs))),
                ("startPrice", .number(observation.startPrice)), ("endPrice", .number(observation.endPrice)),
                ("move", .number(observation.move)), ("maintenanceMargin", .number(observation.maintenanceMargin)),
                ("initialMargin", .number(observation.initialMargin)),
                ("side", .string(observation.longException ? "long" : "short")),
            ])
        }
        var members: [(String, JSONValue)] = [
            ("symbol", .string(asset.symbol)),
            ("horizonNs", .integer(asset.horizonNs)),
            ("tailProbability", .number(asset.tailProbability)),
            ("coverage", Self.summaryJSON(asset.coverage)),
            ("long", Self.summaryJSON(asset.long)),
            ("short", Self.summaryJSON(asset.short)),
            ("initialMargin", .object([
                ("exceptions", .integer(Int64(asset.initialExceptions))),
                ("exceptionRate", .number(asset.initialExceptionRate)),
            ])),
            ("margin", .object([
                ("scoredSteps", .integer(Int64(asset.scoredSteps))),
                ("meanMaintenance", .number(asset.meanMaintenance)),
                ("maxMaintenance", .number(asset.maxMaintenance)),
                ("meanInitial", .number(asset.meanInitial)),
                ("maxInitial", .number(asset.maxInitial)),
            ])),
            ("procyclicality", procyclicalityJSON(asset.procyclicality)),
            ("publishedChanges", .integer(Int64(asset.publishedChanges))),
            ("updatesPublished", .integer(Int64(asset.updatesPublished))),
            ("wideningSteps", .integer(Int64(asset.wideningSteps))),
            ("exceptions", .array(exceptions)),
        ]
        if includeSeries {
            let series = asset.series
            var columns: [(String, JSONValue)] = [("timeNs", .integers(series.times))]
            if let calendar {
                columns.append(("label", .array(series.times.map { .string(calendar.label(boundary: $0) ?? "") })))
            }
            columns += [
                ("price", .numbers(series.prices)),
                ("sigmaAnnual", .numbers(series.sigmaAnnual)),
                ("maintenance", .numbers(series.maintenance)),
                ("initial", .numbers(series.initial)),
                ("maintenanceTarget", .numbers(series.maintenanceTarget)),
                ("maxLeverage", .integers(series.maxLeverage)),
                ("status", .array(series.statuses.map { .string($0.rawValue) })),
                ("published", .array(series.published.map { .bool($0) })),
                ("widening", .numbers(series.widening)),
            ]
            members.append(("series", .object(columns)))
        }
        return .object(members)
    }

    func portfolioJSON(_ portfolio: PortfolioReport, includeSeries: Bool) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(portfolio.name)),
            ("positions", .object(portfolio.positions.map { ($0.symbol, .number($0.notional)) })),
            ("horizonNs", .integer(portfolio.horizonNs)),
            ("coverage", Self.summaryJSON(portfolio.coverage)),
            ("margin", .object([
                ("meanMargin", .number(portfolio.meanMargin)), ("maxMargin", .number(portfolio.maxMargin)),
                ("meanStandalone", .number(portfolio.meanStandalone)),
            ])),
            ("procyclicality", procyclicalityJSON(portfolio.procyclicality)),
            ("marginChanges", .integer(Int64(portfolio.marginChanges))),
            ("exceptions", .array(portfolio.series.observations.filter(\.isException).map { observation in
                .object([
                    ("startNs", .integer(observation.startNs)), ("endNs", .integer(observation.endNs)),
                    ("margin", .number(observation.margin)), ("loss", .number(observation.loss)),
                ])
            })),
        ]
        if includeSeries {
            members.append(("series", .object([
                ("timeNs", .integers(portfolio.series.times)),
                ("margin", .numbers(portfolio.series.margin)),
                ("standalone", .numbers(portfolio.series.standalone)),
            ])))
        }
        return .object(members)
    }
}
