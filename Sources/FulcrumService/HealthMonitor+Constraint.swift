import FulcrumEngine
import FulcrumProtocol
import MarginModel
import ProtocolHealth

extension HealthMonitor {
    /// What health-constrained margins decided at one evaluation.
    struct ConstraintDecision {
        /// The multiplier of each book market's target (1 = none).
        var multipliers: [Double]
        /// The parameters in force, and the proposal chosen (the same when nothing was searched).
        var current: ParameterTradeoff
        var proposed: ParameterTradeoff
        var limit: Double
        /// The markets as proposed (the conditions in force where nothing was searched).
        var proposedMarkets: [MarketConditions]
    }

    /// Health-constrained margins (see ``HealthMarginConstraint``). Runs when bad debt at risk exceeds the limit
    /// or a multiplier is in force: the driving markets (a share of the tail bad debt of at least
    /// `driverShare`, or raised now) get, in turn, each multiplier of `[1] + multipliers` on the target the risk
    /// model gives without health; the book deleveraged to each proposal is stressed over the same scenarios
    /// (``MarginProposal``), and the smallest multiplier whose bad debt at risk is within the limit wins (the
    /// largest when none is).
    func constrain(_ snapshot: EngineSnapshot, assets: [Int], markets: [MarketConditions], book: PositionBook,
                   scenarios: [[Double]], stress: StressReport) throws -> ConstraintDecision {
        let rule = settings.marginConstraint
        let limit = rule.maximumFundShare * settings.insuranceFund
        let current = ParameterTradeoff(book: book, markets: markets, stress: stress)
        let applied = assets.map { $0 < snapshot.healthMultipliers.count ? snapshot.healthMultipliers[$0] : 1 }
        let tail = stress.tailBadDebtByMarket
        let tailTotal = tail.reduce(0, +)
        let drivers = markets.indices.filter {
            applied[$0] > 1 || (tailTotal > 0 && tail[$0] / tailTotal >= rule.driverShare)
        }
        var decision = ConstraintDecision(multipliers: Array(repeating: 1, count: markets.count), current: current,
                                          proposed: current, limit: limit, proposedMarkets: markets)
        let raised = applied.contains { $0 > 1 }
        guard !drivers.isEmpty, stress.badDebtAtRisk > limit || raised else { return decision }
        let settings = CascadeSettings(liquidationFee: self.settings.liquidationFee)
        var chosen: (multiplier: Double, tradeoff: ParameterTradeoff, markets: [MarketConditions])?
        for multiplier in (raised ? [1] : []) + rule.multipliers {
            var proposal = markets
            for index in drivers {
                guard let parameters = snapshot.parameters[assets[index]] else { continue }
                proposal[index].tiers = parameters.targetTiers.scaled(
                    by: multiplier / applied[index], cap: imfCaps[index], leverageSteps: leverageSteps)
            }
            let tradeoff = try MarginProposal.evaluate(book: book, markets: proposal, scenarios: scenarios,
                                                       settings: settings, insuranceFund: self.settings.insuranceFund,
                                                       confidence: self.settings.confidence,
                                                       threads: self.settings.stressThreadCount)
            chosen = (multiplier, tradeoff, proposal)
            if tradeoff.badDebtAtRisk <= limit { break }
        }
        guard let chosen else { return decision }
        for index in drivers { decision.multipliers[index] = chosen.multiplier }
        decision.proposed = chosen.tradeoff
        decision.proposedMarkets = chosen.markets
        return decision
    }

    /// The decision in the message: the limit, both trade-offs, each market's multiplier.
    static func record(_ decision: ConstraintDecision, in message: inout Fulcrum_V1_ProtocolHealth) {
        message.badDebtLimit = decision.limit
        message.currentParameters = wire(decision.current)
        message.proposedParameters = wire(decision.proposed)
        message.marginsConstrained = decision.multipliers.contains { $0 > 1 }
        for index in message.markets.indices where index < decision.multipliers.count {
            message.markets[index].marginMultiplier = decision.multipliers[index]
        }
    }

    static func wire(_ tradeoff: ParameterTradeoff) -> Fulcrum_V1_ParameterTradeoff {
        var wire = Fulcrum_V1_ParameterTradeoff()
        wire.badDebtAtRisk = tradeoff.badDebtAtRisk
        wire.badDebtExpectedShortfall = tradeoff.badDebtExpectedShortfall
        wire.liquidationsAtRisk = tradeoff.liquidationsAtRisk
        wire.openInterest = tradeoff.openInterest
        wire.initialMargin = tradeoff.initialMargin
        wire.capitalEfficiency = tradeoff.capitalEfficiency
        return wire
    }
}
