import FulcrumProtocol
import MarginModel

extension RiskFeedState {
    /// Portfolio margin of signed position notionals by symbol, from the latest `portfolio` update.
    ///
    /// Standalone margins come from each asset's published tiers; the portfolio risk uses the
    /// published horizon volatilities and shrunk correlations, no credit for pairs still warming,
    /// and the credit is capped at the published `max_offset_fraction`. Returns `nil` while no
    /// portfolio update or no parameters of a position's symbol have been received.
    public func portfolioMargin(
        positions: [String: Double], configuration: PortfolioMarginConfiguration = PortfolioMarginConfiguration()
    ) -> PortfolioMarginResult? {
        guard let portfolio, !positions.isEmpty else { return nil }
        let index = Dictionary(portfolio.symbols.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var columns: [Int] = []
        var notionals: [Double] = []
        var standalone: [Double] = []
        for (symbol, notional) in positions.sorted(by: { $0.key < $1.key }) {
            guard let column = index[symbol], let parameters = parameters[symbol],
                  column < portfolio.sigmaHorizon.count else { return nil }
            columns.append(column)
            notionals.append(notional)
            standalone.append(parameters.maintenanceMargin(forNotional: notional))
        }
        let n = portfolio.symbols.count
        guard portfolio.correlation.count == n * (n + 1) / 2, portfolio.pairReady.count == n * (n + 1) / 2 else {
            return nil
        }
        // The wire packs the upper triangle row by row; entry (r, c), r ≤ c, sits at r·n − r(r−1)/2 + (c − r).
        func packed(_ a: Int, _ b: Int) -> Int {
            let (row, column) = (min(a, b), max(a, b))
            return row * n - row * (row - 1) / 2 + (column - row)
        }
        var values: [Double] = []
        for i in columns.indices {
            for j in 0...i { values.append(portfolio.correlation[packed(columns[i], columns[j])]) }
        }
        var settings = configuration
        settings.maximumCreditFraction = portfolio.maxOffsetFraction
        if portfolio.coverageEpsilon > 0 { settings.tailProbability = portfolio.coverageEpsilon }
        guard let model = try? PortfolioMargin(configuration: settings) else { return nil }
        return model.compute(
            notionals: notionals,
            horizonSigmas: columns.map { portfolio.sigmaHorizon[$0] },
            correlations: CorrelationMatrix(dimension: columns.count, layout: .packedLowerTriangle, values: values),
            standaloneMargins: standalone,
            pairReady: { portfolio.pairReady[packed(columns[$0], columns[$1])] })
    }
}
