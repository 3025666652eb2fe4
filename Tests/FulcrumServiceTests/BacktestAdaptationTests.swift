import FulcrumService
import Testing

@Suite("Backtest settings fitted to bars")
struct BacktestAdaptationTests {
    static let day: Int64 = 86_400_000_000_000

    @Test("Daily bars with the live defaults: 1-day grid, horizon and staleness fitted, FHS window of 1,000")
    func dailyDefaults() throws {
        var configuration = FulcrumConfiguration()
        configuration.estimation.gridInterval = Self.day
        let notes = BacktestAdaptation.adapt(&configuration, barInterval: Self.day, daily: true)
        #expect(configuration.estimation.gridInterval == Self.day)
        #expect(configuration.model.coverage.liquidationHorizonNs == Self.day)
        #expect(configuration.model.circuitBreaker.staleAfterNs == 4 * Self.day)
        #expect(configuration.estimation.halfLife == 11 * Self.day)
        #expect(configuration.model.coverage.minimumResidualCount == 250)
        #expect(configuration.estimation.residualCapacity == 1_000)
        #expect(configuration.ingest.filter.deviationThreshold == 1_000)
        #expect(notes.count == 6, "\(notes)")
        try configuration.forBacktest.validate()
    }

    @Test("Settings that already fit the bars are kept; a horizon between steps is rounded up to whole steps")
    func keepsFittingSettings() {
        let minute: Int64 = 60_000_000_000
        var configuration = FulcrumConfiguration()
        configuration.estimation.gridInterval = 15 * minute
        configuration.estimation.halfLife = 600 * minute
        configuration.model.coverage.liquidationHorizonNs = 40 * minute
        configuration.model.circuitBreaker.staleAfterNs = 2 * Self.day
        let notes = BacktestAdaptation.adapt(&configuration, barInterval: 15 * minute, daily: false,
                                             singleVenue: false)
        #expect(configuration.estimation.halfLife == 600 * minute)
        #expect(configuration.model.circuitBreaker.staleAfterNs == 2 * Self.day)
        #expect(configuration.model.coverage.liquidationHorizonNs == 45 * minute)
        #expect(configuration.estimation.residualCapacity == 10_000, "intraday bars keep the live window")
        #expect(notes == ["horizon 40m → 45m (3 steps)"])
        #expect(configuration.ingest.filter.deviationThreshold < 1_000, "bars of several venues keep the filter")
        var single = FulcrumConfiguration()
        single.estimation.gridInterval = 15 * minute
        _ = BacktestAdaptation.adapt(&single, barInterval: 15 * minute, daily: false, singleVenue: true)
        #expect(single.ingest.filter.deviationThreshold == 1_000, "one venue's bar closes have nothing to confirm")
    }

    @Test("A backtest configuration needs no feeds: config check --backtest validates what the backtest runs")
    func backtestConfigurationNeedsNoFeeds() throws {
        var configuration = FulcrumConfiguration()
        configuration.ingest.feeds = []
        #expect(throws: (any Error).self) { try configuration.validate() }
        try configuration.forBacktest.validate()
        #expect(configuration.forBacktest.coverage.enabled && !configuration.forBacktest.simulator.enabled)
    }
}
