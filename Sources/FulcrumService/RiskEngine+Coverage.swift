import Backtesting
import FulcrumProtocol
import MarginModel
import Metrics
import RiskEstimation

extension RiskEngine {
    /// The engine's live coverage: per-asset and per-portfolio trackers (``CoverageLedger``), the gauges they
    /// feed, and the portfolio-margin calculator.
    struct CoverageState {
        var ledger: CoverageLedger
        var gauges: [CoverageGauges] = []
        let portfolioMargin: PortfolioMargin?

        init(configuration: FulcrumConfiguration) {
            let model = configuration.model
            ledger = CoverageLedger(configuration: configuration.coverage,
                                    portfolioHorizonNs: model.coverage.liquidationHorizonNs,
                                    portfolioTailProbability: model.portfolio.tailProbability)
            // The model configuration is validated before an engine is built, so this cannot fail.
            portfolioMargin = configuration.coverage.portfolios.isEmpty
                ? nil : try? PortfolioMargin(configuration: model.portfolio)
        }
    }

    /// The rolling coverage of one asset as metrics, recorded once per completed horizon (never per tick):
    /// `fulcrum.coverage.observations`, `.exceptions`, `.exception.rate`, `.kupiec.statistic`,
    /// `.kupiec.p.value` and `.zone` (0 green, 1 yellow, 2 red), each with the `symbol` dimension.
    struct CoverageGauges {
        let observations: Gauge
        let exceptions: Gauge
        let rate: Gauge
        let kupiec: Gauge
        let pValue: Gauge
        let zone: Gauge

        init(symbol: String) {
            let dimensions = [("symbol", symbol)]
            observations = Gauge(label: "fulcrum.coverage.observations", dimensions: dimensions)
            exceptions = Gauge(label: "fulcrum.coverage.exceptions", dimensions: dimensions)
            rate = Gauge(label: "fulcrum.coverage.exception.rate", dimensions: dimensions)
            kupiec = Gauge(label: "fulcrum.coverage.kupiec.statistic", dimensions: dimensions)
            pValue = Gauge(label: "fulcrum.coverage.kupiec.p.value", dimensions: dimensions)
            zone = Gauge(label: "fulcrum.coverage.zone", dimensions: dimensions)
        }

        func record(_ window: RollingCoverage) {
            observations.record(window.observations)
            exceptions.record(window.exceptions)
            rate.record(window.exceptionRate)
            kupiec.record(window.kupiec.statistic)
            pValue.record(window.kupiec.pValue)
            zone.record(window.zone == .green ? 0 : window.zone == .yellow ? 1 : 2)
        }
    }

    /// Adds the coverage tracker of a newly registered asset (after the optimizer has it).
    mutating func registerCoverage(asset: Int, name: String) {
        let overrides = optimizer.overrides(ofAsset: asset)
        let model = configuration.model.coverage
        coverage.ledger.addAsset(symbol: name, horizonNs: overrides.liquidationHorizonNs ?? model.liquidationHorizonNs,
                                 tailProbability: overrides.tailProbability ?? model.tailProbability)
        if configuration.coverage.enabled { coverage.gauges.append(CoverageGauges(symbol: name)) }
    }

    /// The σ multiplier of the coverage widening rule for the asset's next update (1 when off or green).
    func coverageWidening(asset: Int) -> Double {
        coverage.ledger.wideningMultiplier(asset: asset)
    }

    /// `inputs` with σ and the stressed σ scaled by `multiplier`.
    static func widened(_ inputs: AssetRiskInputs, by multiplier: Double) -> AssetRiskInputs {
        guard multiplier != 1 else { return inputs }
        var widened = inputs
        widened.sigmaStep *= multiplier
        widened.stressedSigmaStep = inputs.stressedSigmaStep.map { $0 * multiplier }
        return widened
    }

    /// Scores the asset's step after its update: closes the horizon opened one H ago if due, opens the next.
    mutating func observeCoverage(asset: Int, step: GridStep, parameters: AssetParameters, widening: Double) {
        guard configuration.coverage.enabled else { return }
        let observation = coverage.ledger.observe(
            asset: asset, timeNs: step.boundary, price: estimator.sampledPrice(asset) ?? .nan,
            sigmaAnnual: estimator.annualizedVolatility(asset), parameters: parameters, widening: widening)
        if observation != nil { coverage.gauges[asset].record(coverage.ledger.trackers[asset].rolling) }
    }

    /// Scores every configured portfolio after a step: its margin from the members' published maintenance
    /// margins, horizon volatilities and correlations (``PortfolioMargin``), and its loss over the horizon.
    mutating func observePortfolioCoverage(step: GridStep) {
        guard configuration.coverage.enabled, let calculator = coverage.portfolioMargin else { return }
        let horizon = configuration.model.coverage.liquidationHorizonNs
        for index in coverage.ledger.portfolios.indices where coverage.ledger.portfolios[index].isResolved {
            let portfolio = coverage.ledger.portfolios[index]
            let members = portfolio.assets
            let prices = members.map { estimator.sampledPrice($0) ?? .nan }
            var margin: PortfolioMarginResult?
            let ready = members.allSatisfy { member in
                latest[member].map { coverage.ledger.isEligible($0.status) } ?? false
            }
            if ready {
                let count = members.count
                var correlations = [Double](repeating: 1, count: count * count)
                for row in 0..<count {
                    for column in 0..<count where row != column {
                        correlations[row * count + column] = estimator.correlation(members[row], members[column])
                    }
                }
                let standalone = members.indices.map { member in
                    abs(portfolio.notionals[member]) * (latest[members[member]]?.published.maintenanceMarginFraction
                        ?? .nan)
                }
                margin = calculator.compute(
                    notionals: portfolio.notionals,
                    horizonSigmas: members.map { estimator.horizonVolatility($0, horizon: horizon) },
                    correlations: CorrelationMatrix(dimension: count, layout: .rowMajor, values: correlations),
                    standaloneMargins: standalone,
                    pairReady: { estimator.pairStatus(members[$0], members[$1]) == .ready })
            }
            coverage.ledger.observePortfolio(index, timeNs: step.boundary, prices: prices, margin: margin)
        }
    }

    /// The asset's rolling coverage as `fulcrum.v1.Coverage`: two-sided maintenance-margin exceptions over the
    /// last `coverage.window` horizons, target 2ε.
    func wireCoverage(asset: Int) -> Fulcrum_V1_Coverage {
        let window = coverage.ledger.trackers[asset].rolling
        var wire = Fulcrum_V1_Coverage()
        wire.observations = UInt64(window.observations)
        wire.exceptions = UInt64(window.exceptions)
        wire.exceptionRate = window.exceptionRate
        wire.targetRate = window.targetRate
        wire.kupiecLr = window.kupiec.statistic
        wire.kupiecPValue = window.kupiec.pValue
        switch window.zone {
        case .green: wire.zone = .green
        case .yellow: wire.zone = .yellow
        case .red: wire.zone = .red
        }
        return wire
    }

    /// Whether the asset's last update was computed with a widened σ (`REASON_COVERAGE_WIDENING`).
    func isCoverageWidened(asset: Int) -> Bool {
        coverage.ledger.isWidened(asset: asset)
    }
}
