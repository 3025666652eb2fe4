import FulcrumEngine
import FulcrumProtocol
import MarginModel
import ProtocolHealth

/// Values a position book at the engine's latest parameters and stresses it: one `ProtocolHealth` message.
///
/// Markets are the engine's assets: the mark is the latest grid price, σ the published parameters' horizon σ,
/// the schedule their published tiers (a single tier at the published MMF when there are none). Each book side
/// is the asset's smoothed impact curve from its live books when it has one (`depth_from_book`), as levels
/// (``DepthCurve/init(walkCosts:costs:offsetCap:)``). Without a book it is the fallback curve: the asset's
/// liquidation cost c (the part of its MMF that pays for closing the smallest tier) as the offset of a first level
/// holding the smallest tier's notional, extended past it by the square-root law — so a position the size of the
/// first tier closes at the cost the optimizer already assumes, and larger ones cost more.
struct HealthMonitor {
    let settings: HealthSettings
    /// The book's markets by name, in its market order.
    let symbols: [String]
    /// The IMF cap of each market (its override, else `model.leverage.maximumInitialMarginFraction`) and the
    /// leverage steps: what the optimizer scales a target with (health-constrained margins).
    var imfCaps: [Double] = []
    var leverageSteps: [Int] = []
    /// Where health-constrained margins are handed to the engine (`nil` while they are off).
    var constraint: HealthConstraint?

    init(settings: HealthSettings, symbols: [String], model: MarginModelConfiguration = MarginModelConfiguration(),
         constraint: HealthConstraint? = nil) {
        self.settings = settings
        self.symbols = symbols
        imfCaps = symbols.map {
            model.assetOverrides[$0]?.maximumInitialMarginFraction ?? model.leverage.maximumInitialMarginFraction
        }
        leverageSteps = model.leverage.leverageSteps
        self.constraint = settings.marginConstraint.enabled ? constraint : nil
    }

    /// One evaluation: the message, and what it was computed from.
    struct Assessment {
        var message: Fulcrum_V1_ProtocolHealth
        /// The markets as valued (published tiers, depth), in book order.
        var markets: [MarketConditions]
        /// The engine's index of each book market.
        var assets: [Int]
        /// Health-constrained margins' decision, when they were evaluated.
        var decision: ConstraintDecision?
    }

    /// The health of `book` at `snapshot`, or `nil` while one of its markets has no parameters or price yet;
    /// health-constrained margins are handed to the engine when they are on.
    func evaluate(_ snapshot: EngineSnapshot, book: PositionBook) throws -> Fulcrum_V1_ProtocolHealth? {
        guard let assessment = try assess(snapshot, book: book, constraining: constraint != nil) else { return nil }
        if let constraint, let decision = assessment.decision {
            constraint.set(Dictionary(uniqueKeysWithValues: zip(symbols, decision.multipliers)))
        }
        return assessment.message
    }

    /// The health of `book` at `snapshot`, with health-constrained margins' decision when `constraining`.
    func assess(_ snapshot: EngineSnapshot, book: PositionBook, constraining: Bool) throws -> Assessment? {
        guard let assets = Self.assetIndices(symbols, in: snapshot), let markets = Self.markets(snapshot, assets),
              markets.count == book.marketCount else { return nil }
        let layout = book.layout()
        let summary = HealthEvaluator.evaluate(book: book, layout: layout, markets: markets)
        let cascade = try LiquidationCascade(book: book, markets: markets,
                                             settings: CascadeSettings(liquidationFee: settings.liquidationFee))
        var scenarios = settings.hypotheticalShocks.map { Array(repeating: $0, count: markets.count) }
        let drawn = try drawnScenarios(snapshot, assets: assets, markets: markets, summary: summary)
        scenarios += drawn.scenarios
        let stress = try StressReport(cascade: cascade, scenarios: scenarios, insuranceFund: settings.insuranceFund,
                                      confidence: settings.confidence, threads: settings.stressThreadCount)
        var message = Self.message(summary: summary, stress: stress, snapshot: snapshot, assets: assets, book: book,
                                   insuranceFund: settings.insuranceFund)
        Self.record(stress.losses, in: &message)
        message.scenarioModel = drawn.model
        message.historicalRows = UInt32(clamping: drawn.rows)
        var assessment = Assessment(message: message, markets: markets, assets: assets)
        if constraining {
            let decision = try constrain(snapshot, assets: assets, markets: markets, book: book, scenarios: scenarios,
                                         stress: stress)
            Self.record(decision, in: &assessment.message)
            assessment.decision = decision
        }
        return assessment
    }

    /// Joint residual rows needed before scenarios are drawn from them rather than from a Student-t.
    static let minimumHistoryRows = 50

    /// The scenarios beside the hypothetical shocks: filtered-historical draws and the worst historical rows for
    /// the current net open interest when the engine has ``minimumHistoryRows`` joint residual rows, else
    /// joint Student-t draws with its correlation.
    func drawnScenarios(_ snapshot: EngineSnapshot, assets: [Int], markets: [MarketConditions],
                        summary: HealthSummary) throws
        -> (scenarios: [[Double]], model: Fulcrum_V1_ScenarioModel, rows: Int) {
        guard settings.scenarios > 0 else { return ([], .hypotheticalOnly, 0) }
        let sigma = markets.map(\.horizonVolatility)
        let seed = settings.seed &+ snapshot.stepsRun
        let rows = Self.residualRows(snapshot, assets)
        guard rows.count >= Self.minimumHistoryRows else {
            let drawn = try StressScenarios.studentT(correlation: Self.correlation(snapshot, assets),
                                                     horizonVolatility: sigma, count: settings.scenarios, seed: seed)
            return (drawn, .studentT, rows.count)
        }
        var drawn = try StressScenarios.filteredHistorical(residuals: rows, horizonVolatility: sigma,
                                                           count: settings.scenarios, seed: seed)
        let exposure = summary.markets.map { $0.longNotional - $0.shortNotional }
        drawn += StressScenarios.worstHistorical(residuals: rows, horizonVolatility: sigma, exposure: exposure,
                                                     count: min(settings.worstHistoricalScenarios, rows.count))
        return (drawn, .filteredHistorical, rows.count)
    }

    /// The engine's residual rows restricted to `assets`, without the rows where none of them has a residual.
    static func residualRows(_ snapshot: EngineSnapshot, _ assets: [Int]) -> [[Double]] {
        guard let all = snapshot.residualRows else { return [] }
        return all.compactMap { row in
            guard assets.allSatisfy({ $0 < row.count }) else { return nil }
            let picked = assets.map { row[$0] }
            return picked.contains(where: \.isFinite) ? picked : nil
        }
    }

    /// The engine's index of each market, or `nil` while one has not been seen.
    static func assetIndices(_ symbols: [String], in snapshot: EngineSnapshot) -> [Int]? {
        var indices: [String: Int] = [:]
        for (index, symbol) in snapshot.symbols.enumerated() { indices[symbol] = index }
        let found = symbols.compactMap { indices[$0] }
        return found.count == symbols.count ? found : nil
    }

    /// The market conditions of the engine's `assets`, or `nil` if one is not ready to be valued.
    static func markets(_ snapshot: EngineSnapshot, _ assets: [Int]) -> [MarketConditions]? {
        var markets: [MarketConditions] = []
        for index in assets {
            guard let parameters = snapshot.parameters[index] ?? nil,
                  index < snapshot.prices.count, snapshot.prices[index].isFinite, snapshot.prices[index] > 0
            else { return nil }
            let sigma = parameters.inputs.horizonSigma
            guard sigma.isFinite, sigma > 0 else { return nil }
            let tiers = valuedTiers(parameters)
            let impact = index < snapshot.impact.count ? snapshot.impact[index] : nil
            guard let conditions = try? MarketConditions(
                markPrice: snapshot.prices[index], horizonVolatility: sigma, tiers: tiers,
                bids: depth(impact, \.longCost, parameters, tiers: tiers, cap: 1),
                asks: depth(impact, \.shortCost, parameters, tiers: tiers, cap: .infinity)) else { return nil }
            markets.append(conditions)
        }
        return markets
    }

    /// The schedule positions are valued with: the published tiers, or a single tier at the published fractions.
    static func valuedTiers(_ parameters: AssetParameters) -> MarginTierTable {
        var tiers = parameters.publishedTiers
        if tiers.isEmpty {
            tiers.append(MarginTier(lowerBoundNotional: 0, upperBoundNotional: .infinity,
                                    initialMarginFraction: parameters.published.initialMarginFraction,
                                    maintenanceMarginFraction: parameters.published.maintenanceMarginFraction,
                                    maxLeverage: 1))
        }
        return tiers
    }

    /// One side's depth: the live impact curve's side as levels, else the fallback curve.
    static func depth(_ impact: ImpactCurve?, _ side: KeyPath<ImpactCurve, [Double]>, _ parameters: AssetParameters,
                      tiers: MarginTierTable, cap: Double) throws -> DepthCurve {
        if let impact, let curve = try? DepthCurve(walkCosts: impact.notionals, costs: impact[keyPath: side],
                                                   offsetCap: cap) {
            return curve
        }
        return try fallbackDepth(parameters, tiers: tiers, cap: cap)
    }

    /// Whether both sides of a market are valued on its live impact curve: it has one, and each side keeps a
    /// usable sample (``depth(_:_:_:tiers:cap:)`` falls back otherwise, and `depth_from_book` must say so).
    static func bookDepthUsable(_ impact: ImpactCurve?) -> Bool {
        guard let impact else { return false }
        return (try? DepthCurve(walkCosts: impact.notionals, costs: impact.longCost, offsetCap: 1)) != nil
            && (try? DepthCurve(walkCosts: impact.notionals, costs: impact.shortCost, offsetCap: .infinity)) != nil
    }

    static func fallbackDepth(_ parameters: AssetParameters, tiers: MarginTierTable, cap: Double) throws
        -> DepthCurve {
        let cost = max(parameters.liquidationCostFraction, 1e-4)
        let firstTier = tiers.count > 1 ? tiers[1].lowerBoundNotional : 1_000_000
        return try DepthCurve(levels: [(offset: cost, notional: max(firstTier, 1))], offsetCap: cap)
    }

    /// The engine's correlations among `assets` (row-major), or the identity while it has none for all of them
    /// (the snapshot keeps the first `http.correlationLimit` assets).
    static func correlation(_ snapshot: EngineSnapshot, _ assets: [Int]) -> [Double] {
        let n = snapshot.correlationDimension ?? snapshot.symbols.count
        let m = assets.count
        guard snapshot.correlation.count == n * n, assets.allSatisfy({ $0 < n }) else {
            return (0..<(m * m)).map { $0 / m == $0 % m ? 1 : 0 }
        }
        return (0..<(m * m)).map { snapshot.correlation[assets[$0 / m] * n + assets[$0 % m]] }
    }

    static func message(summary: HealthSummary, stress: StressReport, snapshot: EngineSnapshot, assets: [Int],
                        book: PositionBook, insuranceFund: Double) -> Fulcrum_V1_ProtocolHealth {
        var message = Fulcrum_V1_ProtocolHealth()
        message.asOfNs = snapshot.lastBoundary ?? 0
        message.units = UInt64(summary.units)
        message.positions = UInt64(book.positionCount)
        message.liquidatableUnits = UInt64(summary.liquidatableUnits)
        message.equity = summary.equity
        message.maintenance = summary.maintenance
        message.markets = summary.markets.enumerated().map { index, market in
            var entry = Fulcrum_V1_MarketHealth()
            entry.symbol = snapshot.symbols[assets[index]]
            entry.markPrice = snapshot.prices[assets[index]]
            entry.longNotional = market.longNotional
            entry.shortNotional = market.shortNotional
            entry.notionalByLeverage = market.notionalByLeverage
            entry.notionalWithinSigma = market.notionalWithinSigma
            entry.liquidatableNotional = market.liquidatableNotional
            entry.tailBadDebt = stress.tailBadDebtByMarket[index]
            if let parameters = snapshot.parameters[assets[index]] {
                entry.horizonSigma = parameters.inputs.horizonSigma
                entry.tiers = valuedTiers(parameters).map(RiskEngine.wireTier)
            }
            let impact = assets[index] < snapshot.impact.count ? snapshot.impact[assets[index]] : nil
            entry.depthFromBook = bookDepthUsable(impact)
            return entry
        }
        message.topContributors = summary.topContributors.map { contributor in
            var entry = Fulcrum_V1_HealthContributor()
            entry.account = contributor.account
            entry.notional = contributor.notional
            entry.distanceSigma = contributor.distanceInSigma
            entry.marginRatio = contributor.marginRatio
            return entry
        }
        message.scenarios = UInt32(stress.scenarios)
        message.confidence = stress.confidence
        message.badDebtAtRisk = stress.badDebtAtRisk
        message.badDebtExpectedShortfall = stress.badDebtExpectedShortfall
        message.liquidationsAtRisk = stress.liquidationsAtRisk
        message.meanBadDebt = stress.meanBadDebt
        message.insuranceFund = insuranceFund
        message.coverageRatio = stress.coverageRatio
        message.deepestCascade = UInt32(stress.deepestCascade)
        message.unconverged = UInt32(stress.unconverged)
        return message
    }
}

extension HealthMonitor {
    /// Each scenario's losses, so that shards' messages can be merged (``HealthReducer``; deploy/SCALING.md).
    static func record(_ losses: StressLosses, in message: inout Fulcrum_V1_ProtocolHealth) {
        message.scenarioDigest = losses.scenarioDigest
        message.scenarioBadDebt = losses.badDebt
        message.scenarioLiquidatedNotional = losses.liquidatedNotional
        message.scenarioRounds = losses.rounds.map { UInt32(clamping: $0) }
        message.unconvergedScenarios = losses.unconverged.map { UInt32(clamping: $0) }
        message.marketDebtScenario = losses.marketBadDebt.map { UInt32(clamping: $0.scenario) }
        message.marketDebtMarket = losses.marketBadDebt.map { UInt32(clamping: $0.market) }
        message.marketDebt = losses.marketBadDebt.map(\.badDebt)
    }
}
