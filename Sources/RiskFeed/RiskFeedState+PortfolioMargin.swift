import FulcrumProtocol
import MarginModel

extension RiskFeedState {
    /// Portfolio margin of signed position notionals by symbol, from the latest `portfolio` update.
    ///
    /// Standalone margins come from each asset's published tiers; the portfolio risk uses the
    /// published horizon volatilities and shrunk correlations, no credit for pairs still warming,
    /// and the credit is capped at the published `max_offset_fraction`. The correlations come in
    /// either wire form (``PortfolioCorrelation``); in factor form only the positions' pairs are
    /// expanded, O(m²·k) for m positions and k factors. Returns `nil` while no portfolio update or
    /// no parameters of a position's symbol have been received, and for an update whose correlation
    /// fields do not have the counts its symbols ask for.
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
        guard let matrix = PortfolioCorrelation(portfolio) else { return nil }
        var values: [Double] = []
        for i in columns.indices {
            for j in 0...i { values.append(matrix.correlation(columns[i], columns[j])) }
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
            pairReady: { matrix.isPairReady(columns[$0], columns[$1]) })
    }

    /// The latest portfolio update's correlation matrix, in either wire form; `nil` before the first update or
    /// when its correlation fields do not fit its symbols.
    public var portfolioCorrelation: PortfolioCorrelation? { portfolio.flatMap { PortfolioCorrelation($0) } }

    /// ρ of two symbols from the latest portfolio update (their first indices in `symbols`), expanded from the
    /// factor form when it came in that form (O(k)); `nil` before the first update, for a symbol it does not
    /// list, or when its correlation fields do not fit its symbols.
    public func correlation(_ a: String, _ b: String) -> Double? {
        guard let matrix = portfolioCorrelation, let i = matrix.portfolio.symbols.firstIndex(of: a),
              let j = matrix.portfolio.symbols.firstIndex(of: b) else { return nil }
        return matrix.correlation(i, j)
    }
}
