import Backtesting
import MarketData

/// The result of ``BacktestRunner/run(configuration:options:onUpdate:)``: the report, and how fast it ran.
///
/// The timing is kept out of the report so that the report depends on the input and configuration only.
public struct BacktestOutcome: Sendable {
    /// The report.
    public var report: BacktestReport
    /// Messages fed to the engine.
    public var messages: UInt64
    /// Wall-clock time of the replay (engine work and reading the input, not loading CSV or writing the
    /// report), seconds.
    public var replaySeconds: Double
    /// The ingest counters over every feed at the end of the replay.
    public var ingestTotals: IngestCounters

    /// Creates an outcome.
    public init(report: BacktestReport, messages: UInt64, replaySeconds: Double,
                ingestTotals: IngestCounters = IngestCounters()) {
        self.report = report
        self.messages = messages
        self.replaySeconds = replaySeconds
        self.ingestTotals = ingestTotals
    }

    /// Why the replay proved nothing, when it received messages and accepted no tick (usually timestamps outside
    /// the validation bounds or topic keys that do not match): the top rejection reasons and the settings that
    /// decide them.
    public var shortfall: NoTickAccepted? { NoTickAccepted(totals: ingestTotals) }

    /// Messages per second of replay.
    public var messagesPerSecond: Double { replaySeconds > 0 ? Double(messages) / replaySeconds : 0 }
}
