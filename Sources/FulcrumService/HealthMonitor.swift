import FulcrumEngine
import FulcrumProtocol
import MarginModel
import ProtocolHealth

/// Values a position book at the engine's latest parameters and stresses it: one `ProtocolHealth` message.
///
/// Markets are the engine's assets: the mark is the latest grid price, σ the published parameters' horizon σ,
/// the schedule their published tiers (a single tier at the published MMF when there are none). Until live books
/// reach the model, each book side is the fallback curve: the asset's liquidation cost c (the part of its MMF
/// that pays for closing the smallest tier) as the offset of a first level holding the smallest tier's notional,
/// extended past it by the square-root law — so a position the size of the first tier closes at the cost the
/// optimizer already assumes, and larger ones cost more (`depth_from_book` is false).
struct HealthMonitor {
    let settings: HealthSettings
    /// The book's markets by name, in its market order.
    let symbols: [String]

    /// The health of `book` at `snapshot`, or `nil` while one of its markets has no parameters or price yet.
    func evaluate(_ snapshot: EngineSnapshot, book: PositionBook) throws -> Fulcrum_V1_ProtocolHealth? {
        guard let assets = Self.assetIndices(symbols, in: snapshot), let markets = Self.markets(snapshot, assets),
              markets.count == book.marketCount else { return nil }
        let layout = book.layout()
        let summary = HealthEvaluator.evaluate(book: book, layout: layout, markets: markets)
        let cascade = try LiquidationCascade(book: book, markets: markets,
                                             settings: CascadeSettings(liquidationFee: settings.liquidationFee))
        var scenarios = settings.hypotheticalShocks.map { Array(repeating: $0, count: markets.count) }
        scenarios += try StressScenarios.studentT(correlation: Self.correlation(snapshot, assets),
                                                  horizonVolatility: markets.map(\.horizonVolatility),
                                                  count: settings.scenarios,
                                                  seed: settings.seed &+ snapshot.stepsRun)
        let stress = try StressReport(cascade: cascade, scenarios: scenarios, insuranceFund: settings.insuranceFund,
                                      confidence: settings.confidence)
        return Self.message(summary: summary, stress: stress, snapshot: snapshot, assets: assets, book: book,
                            insuranceFund: settings.insuranceFund)
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
            var tiers = parameters.publishedTiers
            if tiers.isEmpty {
                let mmf = parameters.published.maintenanceMarginFraction
                tiers.append(MarginTier(lowerBoundNotional: 0, upperBoundNotional: .infinity,
                                        initialMarginFraction: parameters.published.initialMarginFraction,
                                        maintenanceMarginFraction: mmf, maxLeverage: 1))
            }
            guard let conditions = try? MarketConditions(
                markPrice: snapshot.prices[index], horizonVolatility: sigma, tiers: tiers,
                bids: fallbackDepth(parameters, tiers: tiers, cap: 1),
                asks: fallbackDepth(parameters, tiers: tiers, cap: .infinity)) else { return nil }
            markets.append(conditions)
        }
        return markets
    }

    static func fallbackDepth(_ parameters: AssetParameters, tiers: MarginTierTable, cap: Double) throws
        -> DepthCurve {
        let cost = max(parameters.liquidationCostFraction, 1e-4)
        let firstTier = tiers.count > 1 ? tiers[1].lowerBoundNotional : 1_000_000
        return try DepthCurve(levels: [(offset: cost, notional: max(firstTier, 1))], offsetCap: cap)
    }

    /// The engine's correlation matrix, or the identity while it has none.
    /// The engine's correlations among `assets` (row-major), or the identity while it has none.
    static func correlation(_ snapshot: EngineSnapshot, _ assets: [Int]) -> [Double] {
        let n = snapshot.symbols.count
        let m = assets.count
        guard snapshot.correlation.count == n * n else { return (0..<(m * m)).map { $0 / m == $0 % m ? 1 : 0 } }
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
            entry.depthFromBook = false
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
