import FulcrumProtocol
import MarginModel
import RiskEstimation

extension RiskEngine {
    /// The engine's live coverage: per-asset and per-portfolio trackers (``CoverageLedger``) and the
    /// portfolio-margin calculator. Observers read it through ``EngineSnapshot/coverage``.
    struct CoverageState {
        var ledger: CoverageLedger
        let portfolioMargin: PortfolioMargin?

        init(configuration: EngineConfiguration) {
            let model = configuration.model
            ledger = CoverageLedger(configuration: configuration.coverage,
                                    portfolioHorizonNs: model.coverage.liquidationHorizonNs,
                                    portfolioTailProbability: model.portfolio.tailProbability)
            // The model configuration is validated before an engine is built, so this cannot fail.
            portfolioMargin = configuration.coverage.portfolios.isEmpty
                ? nil : try? PortfolioMargin(configuration: model.portfolio)
        }
    }

    /// Adds the coverage tracker of a newly registered asset (after the optimizer has it).
    mutating func registerCoverage(asset: Int, name: String) {
        let overrides = optimizer.overrides(ofAsset: asset)
        let model = configuration.model.coverage
        coverage.ledger.addAsset(symbol: name, horizonNs: overrides.liquidationHorizonNs ?? model.liquidationHorizonNs,
                                 tailProbability: overrides.tailProbability ?? model.tailProbability)
    }

    /// The σ multiplier of the coverage widening rule for the asset's next update (1 when off or green).
    func coverageWidening(asset: Int) -> Double {
        coverage.ledger.wideningMultiplier(asset: asset)
    }

    /// Scores the asset's step after its update: closes the horizon opened one H ago if due, opens the next.
    mutating func observeCoverage(asset: Int, step: GridStep, parameters: AssetParameters, widening: Double) {
        guard configuration.coverage.enabled else { return }
        coverage.ledger.observe(
            asset: asset, timeNs: step.boundary, price: estimator.sampledPrice(asset) ?? .nan,
            sigmaAnnual: estimator.annualizedVolatility(asset), parameters: parameters, widening: widening)
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
    @inline(__always)
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
}
