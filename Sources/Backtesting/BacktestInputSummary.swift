import FulcrumRecording
import MarginModel
/// What a backtest read and what the engine made of it.
public struct BacktestInputSummary: Sendable, Hashable {
    /// `recording`, `csv` or `ohlc`.
    public var kind: String
    /// The input files, as given.
    public var paths: [String]
    /// Messages fed to the engine (records, or CSV rows turned into ticks).
    public var messages: UInt64
    /// Ticks the ingest accepted.
    public var accepted: UInt64
    /// Rejections by reason name, only reasons that occurred, sorted by name.
    public var rejected: [String: UInt64]
    /// Grid steps the engine ran.
    public var gridSteps: UInt64
    /// Updates the engine published (all assets and the portfolio topic).
    public var updatesPublished: UInt64
    /// For recordings: why reading stopped early, if it did.
    public var recordingTail: RecordingTail?

    /// Creates a summary.
    public init(kind: String, paths: [String], messages: UInt64, accepted: UInt64, rejected: [String: UInt64],
                gridSteps: UInt64, updatesPublished: UInt64, recordingTail: RecordingTail?) {
        self.kind = kind
        self.paths = paths
        self.messages = messages
        self.accepted = accepted
        self.rejected = rejected
        self.gridSteps = gridSteps
        self.updatesPublished = updatesPublished
        self.recordingTail = recordingTail
    }
}
