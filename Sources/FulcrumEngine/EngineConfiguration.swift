import MarginModel
import MarketData
import RiskEstimation

/// What the engine needs to know: the sections of a Fulcrum configuration that shape its output, and nothing
/// about sockets, HTTP, checkpoints or security.
///
/// The service's configuration embeds these sections under the same keys (`ingest`, `estimation`, `model`,
/// `coverage`, `publisher.portfolioEverySteps`), so a configuration file is read once and the engine gets exactly
/// the part it depends on.
public struct EngineConfiguration: Sendable {
    /// Feeds, symbols, validation and cross-venue filtering of inbound ticks.
    public var ingest: IngestConfiguration
    /// Grid, volatility and correlation estimation.
    public var estimation: EstimatorConfiguration
    /// Coverage target, tiers, governance and circuit breaker of the margin model.
    public var model: MarginModelConfiguration
    /// Live coverage of the published margins, the optional widening rule, and scored portfolios.
    public var coverage: CoverageConfiguration
    /// Emit the portfolio (correlation) update every this many grid steps. Allowed: ≥ 1.
    public var portfolioEverySteps: Int

    /// Creates an engine configuration from its sections.
    public init(ingest: IngestConfiguration, estimation: EstimatorConfiguration = EstimatorConfiguration(),
                model: MarginModelConfiguration = MarginModelConfiguration(),
                coverage: CoverageConfiguration = CoverageConfiguration(), portfolioEverySteps: Int = 1) {
        self.ingest = ingest
        self.estimation = estimation
        self.model = model
        self.coverage = coverage
        self.portfolioEverySteps = portfolioEverySteps
    }
}
