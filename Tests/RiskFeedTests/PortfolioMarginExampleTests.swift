import FulcrumProtocol
import FulcrumTestSupport
import MarginModel
import Testing
@testable import RiskFeed

/// The worked example of protocols/README.md ("Portfolio margin"), through the client library: the document's
/// numbers are what the code computes.
@Suite("Portfolio margin: the protocol document's worked example")
struct PortfolioMarginExampleTests {
    static func tier(floor: Double, cap: Double, mmf: Double, deduction: Double) -> Fulcrum_V1_MarginTier {
        var tier = Fulcrum_V1_MarginTier()
        tier.notionalFloor = floor
        tier.notionalCap = cap
        tier.mmf = mmf
        tier.maintenanceDeduction = deduction
        return tier
    }

    static func state(maxOffsetFraction: Double = 0.5) -> RiskFeedState {
        var state = RiskFeedState()
        let tiers: [String: [Fulcrum_V1_MarginTier]] = [
            "BTC": [tier(floor: 0, cap: 50_000, mmf: 0.04, deduction: 0),
                    tier(floor: 50_000, cap: .infinity, mmf: 0.05, deduction: 500)],
            "ETH": [tier(floor: 0, cap: .infinity, mmf: 0.06, deduction: 0)],
            "SOL": [],
        ]
        for (symbol, mmf) in [("BTC", 0.04), ("ETH", 0.06), ("SOL", 0.10)] {
            var parameters = WireRiskParameters()
            parameters.symbol = symbol
            parameters.mmf = mmf
            parameters.tiers = tiers[symbol] ?? []
            state.parameters[symbol] = parameters
        }
        var portfolio = WirePortfolioUpdate()
        portfolio.symbols = ["BTC", "ETH", "SOL"]
        portfolio.sigmaHorizon = [0.02, 0.03, 0.05]
        portfolio.correlation = [1, 0.8, 0.5, 1, 0.6, 1]
        portfolio.pairReady = [true, true, false, true, false, true]
        portfolio.maxOffsetFraction = maxOffsetFraction
        portfolio.coverageEpsilon = 0.01
        state.portfolio = portfolio
        return state
    }

    /// Amounts agree to 10⁻¹² of the larger, or of one unit near zero.
    func close(_ a: Double, _ b: Double) -> Bool { a.isApproximatelyEqual(to: b, relativeTolerance: 1e-12, scale: 1) }

    @Test("Hedged pair, capped and uncapped; same-side pair; a warming pair gets no credit")
    func example() throws {
        let hedge = ["BTC": 100_000.0, "ETH": -50_000.0]
        let capped = try #require(Self.state().portfolioMargin(positions: hedge))
        let ratio = 1_450_000.0.squareRoot() / 3_500
        #expect(close(capped.standaloneSum, 7_500))
        #expect(close(capped.uncappedCredit, (1 - ratio) * 7_500))
        #expect(capped.creditCapped && close(capped.margin, 3_750))

        let uncapped = try #require(Self.state(maxOffsetFraction: 0.75).portfolioMargin(positions: hedge))
        #expect(!uncapped.creditCapped && close(uncapped.margin, 7_500 * ratio))
        #expect(abs(uncapped.margin - 2_580.342) < 5e-4, "the document's rounded figure")

        let sameSide = try #require(Self.state().portfolioMargin(positions: ["BTC": 100_000, "ETH": 50_000]))
        #expect(close(sameSide.margin, 7_500 * 11_050_000.0.squareRoot() / 3_500))
        #expect(abs(sameSide.margin - 7_123.187) < 5e-4)

        let warming = try #require(Self.state().portfolioMargin(positions: ["BTC": 100_000, "SOL": -20_000]))
        #expect(close(warming.standaloneSum, 6_500) && warming.credit == 0 && warming.pairsWithoutCredit == 1)
        #expect(close(warming.margin, 6_500))
    }
}
