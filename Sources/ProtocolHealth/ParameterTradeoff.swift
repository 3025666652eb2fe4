import MarginModel

/// Gauntlet's three metrics for one set of margin parameters over a fixed set of stress scenarios: insolvency
/// (bad debt at risk and its expected shortfall), liquidations (Liquidations at Risk) and capital efficiency
/// (the open interest the book holds per unit of initial margin those parameters require).
public struct ParameterTradeoff: Sendable, Hashable {
    /// Bad debt at the confidence quantile.
    public var badDebtAtRisk: Double
    /// Mean bad debt at or beyond it.
    public var badDebtExpectedShortfall: Double
    /// Liquidated notional at the same quantile.
    public var liquidationsAtRisk: Double
    /// Σ |size|·mark over the book.
    public var openInterest: Double
    /// Σ over positions of notional × the IMF of its tier.
    public var initialMargin: Double

    /// Open interest per unit of initial margin: the leverage the parameters allow this book (0 without margin).
    public var capitalEfficiency: Double { initialMargin > 0 ? openInterest / initialMargin : 0 }

    /// The trade-off of `book` as it stands under `markets`' schedules, from its stress report.
    public init(book: PositionBook, markets: [MarketConditions], stress: StressReport) {
        badDebtAtRisk = stress.badDebtAtRisk
        badDebtExpectedShortfall = stress.badDebtExpectedShortfall
        liquidationsAtRisk = stress.liquidationsAtRisk
        (openInterest, initialMargin) = Self.exposure(book, markets)
    }

    /// Open interest and the initial margin it requires, at the markets' marks and schedules.
    static func exposure(_ book: PositionBook, _ markets: [MarketConditions]) -> (Double, Double) {
        var interest = 0.0
        var margin = 0.0
        for slot in 0..<book.positionSlotCount where book.positionUnit[slot] >= 0 {
            let market = markets[Int(book.positionMarket[slot])]
            let notional = abs(book.positionSize[slot]) * market.markPrice
            interest += notional
            margin += notional * market.tiers[market.tiers.tierIndex(forNotional: notional)].initialMarginFraction
        }
        return (interest, margin)
    }
}

/// Proposed margins and what they would change: the book as it would stand under a schedule, and its stress.
///
/// Raising margins does not change what a shock does to the positions open now — a position that is wiped out
/// is wiped out at any MMF. What higher margins change is the leverage positions may carry: under the proposed
/// schedule every unit whose equity falls short of its initial margin cuts its positions in proportion until it
/// meets it (keeping its equity: the closed part's profit or loss is realized into collateral). The proposal is
/// that deleveraged book stressed over the same scenarios, which is what the protocol would face once the new
/// margins have been enforced; until then the book in force is the one to watch.
public enum MarginProposal {
    /// `book` after every unit short of its initial margin under `markets`' schedules has cut its positions to
    /// meet it (fraction equity / initial margin; units without positive equity are left as they are: they
    /// cannot be deleveraged, only liquidated).
    public static func deleveraged(_ book: PositionBook, markets: [MarketConditions]) -> PositionBook {
        let layout = book.layout()
        let marks = markets.map(\.markPrice)
        var result = book
        for unit in 0..<book.unitSlotCount where book.unitCollateral[unit].isFinite {
            var equity = book.unitCollateral[unit]
            var margin = 0.0
            for slot in layout.positions(of: unit).map(Int.init) {
                let market = markets[Int(book.positionMarket[slot])]
                let size = book.positionSize[slot]
                let notional = abs(size) * market.markPrice
                equity += size * (market.markPrice - book.positionEntry[slot])
                margin += notional * market.tiers[market.tiers.tierIndex(forNotional: notional)].initialMarginFraction
            }
            guard equity > 0, margin > equity else { continue }
            result.deleverage(unit: unit, to: equity / margin, marks: marks, layout: layout)
        }
        return result
    }

    /// The trade-off of `markets`' schedules: `book` deleveraged to them, then stressed over `scenarios` on
    /// `threads` threads (``StressReport/init(cascade:scenarios:insuranceFund:confidence:threads:)``).
    public static func evaluate(book: PositionBook, markets: [MarketConditions], scenarios: [[Double]],
                                settings: CascadeSettings, insuranceFund: Double,
                                confidence: Double, threads: Int? = nil) throws(HealthError) -> ParameterTradeoff {
        let adjusted = deleveraged(book, markets: markets)
        let cascade = try LiquidationCascade(book: adjusted, markets: markets, settings: settings)
        let stress = try StressReport(cascade: cascade, scenarios: scenarios, insuranceFund: insuranceFund,
                                      confidence: confidence, threads: threads)
        return ParameterTradeoff(book: adjusted, markets: markets, stress: stress)
    }
}
