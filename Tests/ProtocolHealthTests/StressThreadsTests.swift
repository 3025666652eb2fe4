@testable import ProtocolHealth
import Testing

/// A stress run's scenarios run on several threads must give the serial run's report, bit for bit, whatever the
/// thread count: outcomes are merged in scenario order and each thread has its own scratch.
@Suite("Stress on several threads")
struct StressThreadsTests {
    /// Every per-scenario figure as bit patterns, so that −0 and +0 or NaN payloads would differ too.
    static func bits(_ losses: StressLosses) -> [UInt64] {
        losses.badDebt.map(\.bitPattern) + losses.liquidatedNotional.map(\.bitPattern)
            + losses.rounds.map { UInt64(bitPattern: Int64($0)) } + losses.unconverged.map { UInt64($0) }
            + losses.marketBadDebt.flatMap { [UInt64($0.scenario), UInt64($0.market), $0.badDebt.bitPattern] }
            + [losses.scenarioDigest]
    }

    static func bits(_ report: StressReport) -> [UInt64] {
        [report.badDebtAtRisk, report.badDebtExpectedShortfall, report.liquidationsAtRisk, report.meanBadDebt,
         report.coverageRatio].map(\.bitPattern) + report.tailBadDebtByMarket.map(\.bitPattern)
            + [UInt64(report.deepestCascade), UInt64(report.unconverged), UInt64(report.scenarios)]
            + bits(report.losses)
    }

    @Test("1, 2, 3 and 8 threads give the serial run's losses and report on a book of multi-round cascades")
    func threadCountIndependent() throws {
        var synthetic = SyntheticProtocol(seed: 0x7EAD5)
        let markets = try synthetic.markets(6)
        let book = try synthetic.book(accounts: 3_000, markets: markets) { _ in Array(0..<6) }
        let cascade = try LiquidationCascade(book: book, markets: markets, settings: CascadeSettings(maximumRounds: 6))
        let scenarios = synthetic.scenarios(90, markets: 6)
        // The serial loop the report must reproduce: one fresh cascade per scenario.
        let outcomes = try scenarios.map { try cascade.run(shocks: $0) }
        #expect(outcomes.filter { $0.rounds > 2 }.count > 5, "the book must cascade over several rounds")
        #expect(outcomes.contains { $0.badDebt > 0 })
        let expected = StressLosses(outcomes: outcomes, scenarios: scenarios, marketCount: markets.count)
        let serial = try StressReport(cascade: cascade, scenarios: scenarios, insuranceFund: 1e5, threads: 1)
        #expect(Self.bits(serial.losses) == Self.bits(expected))
        for threads in [2, 3, 8] {
            let report = try StressReport(cascade: cascade, scenarios: scenarios, insuranceFund: 1e5,
                                          threads: threads)
            #expect(Self.bits(report) == Self.bits(serial), "\(threads) threads")
            #expect(report == serial, "\(threads) threads")
        }
        // More threads than scenarios: one per scenario.
        let few = Array(scenarios.prefix(2))
        #expect(Self.bits(try StressReport(cascade: cascade, scenarios: few, insuranceFund: 1e5, threads: 5))
                == Self.bits(try StressReport(cascade: cascade, scenarios: few, insuranceFund: 1e5, threads: 1)))
    }

    @Test("A scenario that does not fit the markets fails the run with the first such scenario's error")
    func firstFailureInScenarioOrder() throws {
        var synthetic = SyntheticProtocol(seed: 3)
        let markets = try synthetic.markets(2)
        let book = try synthetic.book(accounts: 200, markets: markets) { _ in [0, 1] }
        let cascade = try LiquidationCascade(book: book, markets: markets)
        var scenarios = synthetic.scenarios(40, markets: 2)
        scenarios[17] = [0.01]
        scenarios[29] = [-1.5, 0]
        for threads in [1, 2, 3] {
            #expect(throws: HealthError.self) {
                try StressReport(cascade: cascade, scenarios: scenarios, insuranceFund: 1, threads: threads)
            }
            do {
                _ = try StressReport(cascade: cascade, scenarios: scenarios, insuranceFund: 1, threads: threads)
            } catch {
                #expect(error.message.contains("1 shocks for 2 markets"), "\(threads) threads: \(error)")
            }
        }
    }
}
