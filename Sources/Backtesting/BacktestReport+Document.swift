import Foundation
import MarginModel

extension BacktestReport {
    /// The machine-readable report: a `Codable` document written with `JSONEncoder` (sorted keys, two-space
    /// indentation by Foundation's pretty printer, non-finite numbers as `null` via ``ReportJSONNumber``), so the
    /// same backtest gives the same bytes.
    ///
    /// Top level: `format` (`fulcrum-backtest-report`), `version` (2), `title`, `input`, `settings`, `assets`,
    /// `portfolios`, `warnings`. Each asset has `coverage` (two-sided, target 2ε), `long` and `short` (the
    /// published MMF per side, target ε) and `longSide` and `shortSide` (each side's own model fraction, target ε),
    /// each with `observations`, `exceptions`, `exceptionRate`, `targetRate`, `kupiec`, `independence`,
    /// `conditionalCoverage` (each `statistic`, `degreesOfFreedom`, `pValue`, `rejects` at 5 %), `zone`,
    /// `verdict` (by conditional coverage), `calibrated` and `kupiecBand`; `bindingSide`, `efficiency`,
    /// `status` (shares of steps not ready), `antiProcyclicality`, `initialMargin`, `margin`, `procyclicality`,
    /// counts, every exception, and — with `includeSeries` — the per-step `series`. With a position book, `health`
    /// holds every window of ``HealthBacktestReport``.
    public struct Document: Codable, Sendable {
        public var format = "fulcrum-backtest-report"
        public var version = 2
        public var title: String
        public var input: Input
        public var settings: Settings
        public var assets: [Asset]
        public var portfolios: [Portfolio]
        public var warnings: [String]
        /// Protocol health along the replay (``HealthBacktestReport``), when a position book was given.
        public var health: HealthBacktestReport?
    }

    /// The JSON document of the report.
    public func document(includeSeries: Bool = true) -> Document {
        Document(title: title, input: Document.Input(self), settings: Document.Settings(settings),
                 assets: assets.map { Document.Asset($0, report: self, includeSeries: includeSeries) },
                 portfolios: portfolios.map { Document.Portfolio($0, includeSeries: includeSeries) },
                 warnings: warnings, health: health)
    }

    /// `report.json`: the document encoded by `JSONEncoder` with sorted keys and pretty printing, and a final
    /// newline.
    public func json(includeSeries: Bool = true) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var bytes = Array(try encoder.encode(document(includeSeries: includeSeries)))
        bytes.append(0x0A)
        return bytes
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

extension BacktestReport.Document {
    /// What was read.
    public struct Input: Codable, Sendable {
        public var kind: String
        public var paths: [String]
        public var messages: UInt64
        public var accepted: UInt64
        public var rejected: [String: UInt64]
        public var gridSteps: UInt64
        public var updatesPublished: UInt64
        public var recordingTail: RecordingTailInfo?
        public var sessions: Sessions?

        init(_ report: BacktestReport) {
            let input = report.input
            kind = input.kind
            paths = input.paths
            messages = input.messages
            accepted = input.accepted
            rejected = input.rejected
            gridSteps = input.gridSteps
            updatesPublished = input.updatesPublished
            recordingTail = input.recordingTail.map {
                RecordingTailInfo(problem: $0.problem.rawValue, offset: Int64($0.offset),
                                  skippedBytes: Int64($0.skippedBytes), tornTail: $0.isTornTail)
            }
            sessions = report.calendar.map {
                Sessions(first: CivilTime.dateString(days: $0.days.first ?? 0),
                         last: CivilTime.dateString(days: $0.days.last ?? 0), count: $0.days.count)
            }
        }
    }

    /// Why a recording stopped early.
    public struct RecordingTailInfo: Codable, Sendable {
        public var problem: String
        public var offset: Int64
        public var skippedBytes: Int64
        public var tornTail: Bool
    }

    /// The session calendar of daily bars.
    public struct Sessions: Codable, Sendable {
        public var first: String
        public var last: String
        public var count: Int
    }

    /// The settings in force.
    public struct Settings: Codable, Sendable {
        public var gridIntervalNs: Int64
        public var gridSource: String
        public var horizonNs: Int64
        public var tailProbability: ReportJSONNumber
        public var riskMeasure: String
        public var antiProcyclicality: String
        public var staleAfterNs: Int64
        public var adaptations: [String]
        public var configurationHash: String
        public var coverageWindow: Int
        public var includeWarming: Bool
        public var widening: Widening

        init(_ settings: BacktestSettingsSummary) {
            gridIntervalNs = settings.gridIntervalNs
            gridSource = settings.gridSource
            horizonNs = settings.horizonNs
            tailProbability = ReportJSONNumber(settings.tailProbability)
            riskMeasure = settings.riskMeasure
            antiProcyclicality = settings.antiProcyclicality
            staleAfterNs = settings.staleAfterNs
            adaptations = settings.adaptations
            configurationHash = BacktestReport.hex(settings.configurationHash)
            coverageWindow = settings.coverage.window
            includeWarming = settings.coverage.includeWarming
            widening = Widening(enabled: settings.coverage.widening.enabled,
                                yellowMultiplier: ReportJSONNumber(settings.coverage.widening.yellowMultiplier),
                                redMultiplier: ReportJSONNumber(settings.coverage.widening.redMultiplier))
        }
    }

    /// The coverage widening rule.
    public struct Widening: Codable, Sendable {
        public var enabled: Bool
        public var yellowMultiplier: ReportJSONNumber
        public var redMultiplier: ReportJSONNumber
    }

    /// One likelihood-ratio test.
    public struct Test: Codable, Sendable {
        public var statistic: ReportJSONNumber
        public var degreesOfFreedom: Int
        public var pValue: ReportJSONNumber
        public var rejects: Bool

        init(_ test: LikelihoodRatioTest) {
            statistic = ReportJSONNumber(test.statistic)
            degreesOfFreedom = test.degreesOfFreedom
            pValue = ReportJSONNumber(test.pValue)
            rejects = test.rejects(atSignificance: CoverageSummary.significance)
        }
    }

    /// The coverage figures of one exception series.
    public struct Summary: Codable, Sendable {
        public var observations: Int
        public var exceptions: Int
        public var exceptionRate: ReportJSONNumber
        public var targetRate: ReportJSONNumber
        public var kupiec: Test
        public var independence: Test
        public var conditionalCoverage: Test
        public var zone: String
        public var verdict: String
        public var calibrated: Bool
        public var kupiecBand: [Int]?

        init(_ summary: CoverageSummary) {
            observations = summary.observations
            exceptions = summary.exceptions
            exceptionRate = ReportJSONNumber(summary.exceptionRate)
            targetRate = ReportJSONNumber(summary.targetRate)
            kupiec = Test(summary.kupiec)
            independence = Test(summary.independence)
            conditionalCoverage = Test(summary.conditionalCoverage)
            zone = summary.zone.rawValue
            verdict = summary.verdict
            calibrated = summary.isCalibrated
            kupiecBand = summary.kupiecBand.map { [$0.lowerBound, $0.upperBound] }
        }
    }

    /// k* and the efficiency ratio 1/k*.
    public struct Efficiency: Codable, Sendable {
        public var multiplier: ReportJSONNumber
        public var ratio: ReportJSONNumber

        init(_ efficiency: CapitalEfficiency) {
            multiplier = ReportJSONNumber(efficiency.multiplier)
            ratio = ReportJSONNumber(efficiency.ratio)
        }
    }

    /// Capital efficiency of the published MMF and of the side fractions.
    public struct Efficiencies: Codable, Sendable {
        public var published: Efficiency
        public var long: Efficiency
        public var short: Efficiency
        public var longSide: Efficiency
        public var shortSide: Efficiency
    }

    /// Shares of priced steps by status.
    public struct Status: Codable, Sendable {
        public var initialWarmupSteps: Int
        public var pricedSteps: Int
        public var notReadyShare: ReportJSONNumber
        public var counts: [String: Int]
    }

    /// The anti-procyclicality tool's cost.
    public struct AntiProcyclicality: Codable, Sendable {
        public var mode: String
        public var meanMaintenanceWith: ReportJSONNumber
        public var meanMaintenanceWithout: ReportJSONNumber
        public var marginIncrease: ReportJSONNumber
        public var exceptionRateWith: ReportJSONNumber
        public var exceptionRateWithout: ReportJSONNumber
        public var longRateWith: ReportJSONNumber
        public var longRateWithout: ReportJSONNumber
        public var shortRateWith: ReportJSONNumber
        public var shortRateWithout: ReportJSONNumber
        public var largestFiveDayRiseWith: ReportJSONNumber
        public var largestFiveDayRiseWithout: ReportJSONNumber

        init(_ cost: AntiProcyclicalityCost) {
            mode = cost.mode
            meanMaintenanceWith = ReportJSONNumber(cost.meanMaintenanceWith)
            meanMaintenanceWithout = ReportJSONNumber(cost.meanMaintenanceWithout)
            marginIncrease = ReportJSONNumber(cost.marginIncrease)
            exceptionRateWith = ReportJSONNumber(cost.exceptionRateWith)
            exceptionRateWithout = ReportJSONNumber(cost.exceptionRateWithout)
            longRateWith = ReportJSONNumber(cost.longRateWith)
            longRateWithout = ReportJSONNumber(cost.longRateWithout)
            shortRateWith = ReportJSONNumber(cost.shortRateWith)
            shortRateWithout = ReportJSONNumber(cost.shortRateWithout)
            largestFiveDayRiseWith = ReportJSONNumber(cost.largestRiseWith)
            largestFiveDayRiseWithout = ReportJSONNumber(cost.largestRiseWithout)
        }
    }

    /// A procyclicality measure.
    public struct Procyclicality: Codable, Sendable {
        public var windowNs: Int64
        public var largestIncrease: ReportJSONNumber
        public var largestRelativeIncrease: ReportJSONNumber
        public var relativeIncreaseEndNs: Int64?
        public var relativeIncreaseEnd: String?

        init(_ measure: ProcyclicalityMeasure, report: BacktestReport?) {
            windowNs = measure.windowNs
            largestIncrease = ReportJSONNumber(measure.largestIncrease)
            largestRelativeIncrease = ReportJSONNumber(measure.largestRelativeIncrease)
            relativeIncreaseEndNs = measure.relativeIncreaseEndNs
            relativeIncreaseEnd = report.flatMap { report in measure.relativeIncreaseEndNs.map { report.label($0) } }
        }
    }

    /// One exception of an asset.
    public struct Exception: Codable, Sendable {
        public var startNs: Int64
        public var endNs: Int64
        public var start: String
        public var end: String
        public var startPrice: ReportJSONNumber
        public var endPrice: ReportJSONNumber
        public var move: ReportJSONNumber
        public var maintenanceMargin: ReportJSONNumber
        public var initialMargin: ReportJSONNumber
        public var liquidationCost: ReportJSONNumber
        public var longMaintenance: ReportJSONNumber
        public var shortMaintenance: ReportJSONNumber
        /// `long` or `short`: the side that lost.
        public var side: String
        /// Whether the published MMF was exceeded (else only the side's own fraction was).
        public var published: Bool

        init(_ observation: CoverageObservation, report: BacktestReport) {
            startNs = observation.startNs
            endNs = observation.endNs
            start = report.label(observation.startNs)
            end = report.label(observation.endNs)
            startPrice = ReportJSONNumber(observation.startPrice)
            endPrice = ReportJSONNumber(observation.endPrice)
            move = ReportJSONNumber(observation.move)
            maintenanceMargin = ReportJSONNumber(observation.maintenanceMargin)
            initialMargin = ReportJSONNumber(observation.initialMargin)
            liquidationCost = ReportJSONNumber(observation.liquidationCost)
            longMaintenance = ReportJSONNumber(observation.longMaintenance)
            shortMaintenance = ReportJSONNumber(observation.shortMaintenance)
            side = observation.move < 0 ? "long" : "short"
            published = observation.isException
        }
    }

    /// Margin levels over scored steps.
    public struct Margin: Codable, Sendable {
        public var scoredSteps: Int
        public var meanMaintenance: ReportJSONNumber
        public var maxMaintenance: ReportJSONNumber
        public var meanInitial: ReportJSONNumber
        public var maxInitial: ReportJSONNumber
    }

    /// Initial-margin exceptions.
    public struct InitialMargin: Codable, Sendable {
        public var exceptions: Int
        public var exceptionRate: ReportJSONNumber
    }

    /// The per-step history of an asset, in columns.
    public struct AssetSeriesColumns: Codable, Sendable {
        public var timeNs: [Int64]
        public var label: [String]?
        public var price: [ReportJSONNumber]
        public var sigmaAnnual: [ReportJSONNumber]
        public var maintenance: [ReportJSONNumber]
        public var initial: [ReportJSONNumber]
        public var maintenanceTarget: [ReportJSONNumber]
        public var longMaintenance: [ReportJSONNumber]
        public var shortMaintenance: [ReportJSONNumber]
        public var liquidationCost: [ReportJSONNumber]
        public var maxLeverage: [Int32]
        public var status: [String]
        public var published: [Bool]
        public var widening: [ReportJSONNumber]
    }

    /// One asset.
    public struct Asset: Codable, Sendable {
        public var symbol: String
        public var horizonNs: Int64
        public var tailProbability: ReportJSONNumber
        public var coverage: Summary
        public var long: Summary
        public var short: Summary
        public var longSide: Summary
        public var shortSide: Summary
        public var bindingSide: String
        public var longBindingShare: ReportJSONNumber
        public var efficiency: Efficiencies
        public var status: Status
        public var antiProcyclicality: AntiProcyclicality?
        public var initialMargin: InitialMargin
        public var margin: Margin
        public var procyclicality: [Procyclicality]
        public var publishedChanges: Int
        public var updatesPublished: Int
        public var wideningSteps: Int
        public var exceptions: [Exception]
        public var series: AssetSeriesColumns?

        init(_ asset: AssetReport, report: BacktestReport, includeSeries: Bool) {
            symbol = asset.symbol
            horizonNs = asset.horizonNs
            tailProbability = ReportJSONNumber(asset.tailProbability)
            coverage = Summary(asset.coverage)
            long = Summary(asset.long)
            short = Summary(asset.short)
            longSide = Summary(asset.longSide)
            shortSide = Summary(asset.shortSide)
            bindingSide = asset.bindingSide
            longBindingShare = ReportJSONNumber(asset.longBindingShare)
            efficiency = Efficiencies(published: Efficiency(asset.efficiency.published),
                                      long: Efficiency(asset.efficiency.long),
                                      short: Efficiency(asset.efficiency.short),
                                      longSide: Efficiency(asset.sideEfficiency.long),
                                      shortSide: Efficiency(asset.sideEfficiency.short))
            var counts: [String: Int] = [:]
            for (status, count) in asset.statusCounts { counts[status.rawValue] = count }
            status = Status(initialWarmupSteps: asset.initialWarmupSteps, pricedSteps: asset.pricedSteps, notReadyShare: ReportJSONNumber(asset.notReadyShare),
                            counts: counts)
            antiProcyclicality = asset.antiProcyclicality.map(AntiProcyclicality.init)
            initialMargin = InitialMargin(exceptions: asset.initialExceptions,
                                          exceptionRate: ReportJSONNumber(asset.initialExceptionRate))
            margin = Margin(scoredSteps: asset.scoredSteps, meanMaintenance: ReportJSONNumber(asset.meanMaintenance),
                            maxMaintenance: ReportJSONNumber(asset.maxMaintenance),
                            meanInitial: ReportJSONNumber(asset.meanInitial),
                            maxInitial: ReportJSONNumber(asset.maxInitial))
            procyclicality = asset.procyclicality.map { Procyclicality($0, report: report) }
            publishedChanges = asset.publishedChanges
            updatesPublished = asset.updatesPublished
            wideningSteps = asset.wideningSteps
            exceptions = asset.series.observations
                .filter { $0.isException || $0.longSideException || $0.shortSideException }
                .map { Exception($0, report: report) }
            guard includeSeries else {
                series = nil
                return
            }
            let steps = asset.series
            series = AssetSeriesColumns(
                timeNs: steps.times,
                label: report.calendar.map { calendar in steps.times.map { calendar.label(boundary: $0) ?? "" } },
                price: .init(steps.prices), sigmaAnnual: .init(steps.sigmaAnnual),
                maintenance: .init(steps.maintenance), initial: .init(steps.initial),
                maintenanceTarget: .init(steps.maintenanceTarget), longMaintenance: .init(steps.longMaintenance),
                shortMaintenance: .init(steps.shortMaintenance), liquidationCost: .init(steps.liquidationCost),
                maxLeverage: steps.maxLeverage,
                status: steps.statuses.map(\.rawValue), published: steps.published,
                widening: .init(steps.widening))
        }
    }

    /// One portfolio exception.
    public struct PortfolioException: Codable, Sendable {
        public var startNs: Int64
        public var endNs: Int64
        public var margin: ReportJSONNumber
        public var loss: ReportJSONNumber
    }

    /// Portfolio margin levels.
    public struct PortfolioMarginLevels: Codable, Sendable {
        public var meanMargin: ReportJSONNumber
        public var maxMargin: ReportJSONNumber
        public var meanStandalone: ReportJSONNumber
    }

    /// A portfolio's per-step history.
    public struct PortfolioSeriesColumns: Codable, Sendable {
        public var timeNs: [Int64]
        public var margin: [ReportJSONNumber]
        public var standalone: [ReportJSONNumber]
    }

    /// One portfolio.
    public struct Portfolio: Codable, Sendable {
        public var name: String
        public var positions: [String: ReportJSONNumber]
        public var horizonNs: Int64
        public var coverage: Summary
        public var margin: PortfolioMarginLevels
        public var procyclicality: [Procyclicality]
        public var marginChanges: Int
        public var exceptions: [PortfolioException]
        public var series: PortfolioSeriesColumns?

        init(_ portfolio: PortfolioReport, includeSeries: Bool) {
            name = portfolio.name
            var positions: [String: ReportJSONNumber] = [:]
            for position in portfolio.positions { positions[position.symbol] = ReportJSONNumber(position.notional) }
            self.positions = positions
            horizonNs = portfolio.horizonNs
            coverage = Summary(portfolio.coverage)
            margin = PortfolioMarginLevels(meanMargin: ReportJSONNumber(portfolio.meanMargin),
                                           maxMargin: ReportJSONNumber(portfolio.maxMargin),
                                           meanStandalone: ReportJSONNumber(portfolio.meanStandalone))
            procyclicality = portfolio.procyclicality.map { Procyclicality($0, report: nil) }
            marginChanges = portfolio.marginChanges
            exceptions = portfolio.series.observations.filter(\.isException).map {
                PortfolioException(startNs: $0.startNs, endNs: $0.endNs, margin: ReportJSONNumber($0.margin),
                                   loss: ReportJSONNumber($0.loss))
            }
            series = includeSeries
                ? PortfolioSeriesColumns(timeNs: portfolio.series.times, margin: .init(portfolio.series.margin),
                                         standalone: .init(portfolio.series.standalone))
                : nil
        }
    }
}
