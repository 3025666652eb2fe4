import Backtesting

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

    /// Creates an outcome.
    public init(report: BacktestReport, messages: UInt64, replaySeconds: Double) {
        self.report = report
        self.messages = messages
        self.replaySeconds = replaySeconds
    }

    /// Messages per second of replay.
    public var messagesPerSecond: Double { replaySeconds > 0 ? Double(messages) / replaySeconds : 0 }
}
