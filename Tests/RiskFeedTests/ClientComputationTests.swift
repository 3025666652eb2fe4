import FulcrumProtocol
import MarginModel
import Testing
@testable import RiskFeed

@Suite("Client-side computations: venue formats and portfolio margin from the wire")
struct ClientComputationTests {
    /// Hyperliquid's published BTC schedule (DOMAIN.md): 40× up to 150M notional, 20× above.
    static func btc() -> WireRiskParameters {
        var message = WireRiskParameters()
        message.symbol = "BTC"
        message.imf = 0.025
        message.mmf = 0.0125
        message.maxLeverage = 40
        var low = Fulcrum_V1_MarginTier()
        low.notionalFloor = 0
        low.notionalCap = 150e6
        low.imf = 0.025
        low.mmf = 0.0125
        low.maxLeverage = 40
        var high = Fulcrum_V1_MarginTier()
        high.notionalFloor = 150e6
        high.notionalCap = .infinity
        high.imf = 0.05
        high.mmf = 0.025
        high.maxLeverage = 20
        high.maintenanceDeduction = 1_875_000
        message.tiers = [low, high]
        return message
    }

    @Test("Tier tables rebuilt from the wire keep maintenance margin continuous (deduction 1,875,000 at 150M)")
    func tiers() {
        let btc = Self.btc()
        let below = btc.maintenanceMargin(forNotional: 150e6 - 1)
        let above = btc.maintenanceMargin(forNotional: 150e6 + 1)
        #expect(abs(below - 1_875_000) < 1)
        #expect(abs(above - below) < 1)
        #expect(abs(btc.maintenanceMargin(forNotional: -200e6) - (200e6 * 0.025 - 1_875_000)) < 1e-6)
        let brackets = btc.binanceLeverageBrackets()
        #expect(brackets.count == 2)
        #expect(abs((brackets.last?.cum ?? 0) - 1_875_000) < 1e-6)
        let dydx = btc.dydxLiquidityTier(id: 0)
        #expect(dydx.initialMarginPpm == 25_000)
        #expect(abs(dydx.maintenanceMarginFraction - 0.0125) < 1e-9)
    }

    static func state(correlation: Double, ready: Bool = true) -> RiskFeedState {
        var state = RiskFeedState()
        for symbol in ["A", "B"] {
            var parameters = WireRiskParameters()
            parameters.symbol = symbol
            parameters.imf = 0.1
            parameters.mmf = 0.06
            state.parameters[symbol] = parameters
        }
        var portfolio = WirePortfolioUpdate()
        portfolio.symbols = ["A", "B"]
        portfolio.sigmaHorizon = [0.02, 0.02]
        portfolio.correlation = [1, correlation, 1]
        portfolio.pairReady = [true, ready, true]
        portfolio.maxOffsetFraction = 0.5
        portfolio.coverageEpsilon = 0.01
        state.portfolio = portfolio
        return state
    }

    @Test("A hedged pair earns capped credit; an unhedged or warming pair earns none")
    func portfolioMargin() throws {
        let positions = ["A": 1_000_000.0, "B": -1_000_000.0]
        let hedged = try #require(Self.state(correlation: 0.99).portfolioMargin(positions: positions))
        #expect(abs(hedged.standaloneSum - 120_000) < 1e-6)
        #expect(hedged.credit > 0)
        #expect(hedged.credit <= 0.5 * hedged.standaloneSum + 1e-9)
        #expect(abs(hedged.margin - (hedged.standaloneSum - hedged.credit)) < 1e-6)
        let against = try #require(Self.state(correlation: -0.99).portfolioMargin(positions: positions))
        #expect(against.credit < hedged.credit)
        let warming = try #require(Self.state(correlation: 0.99, ready: false).portfolioMargin(positions: positions))
        #expect(warming.credit == 0)
        #expect(Self.state(correlation: 0.5).portfolioMargin(positions: ["C": 1]) == nil)
    }
}
