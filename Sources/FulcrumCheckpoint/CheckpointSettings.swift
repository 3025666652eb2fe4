import FulcrumSettings
/// Checkpointing of the engine's state to an embedded SQLite database, so a restart resumes without a new
/// warm-up (under `checkpoint` in the configuration).
///
/// A checkpoint is taken on the ingest thread right after a grid step whose boundary crosses a multiple of
/// `interval` of **event time** (the ticks' exchange time, so replaying the same ticks checkpoints at the same
/// boundaries), and once more on graceful shutdown; a writer thread encodes and stores it in one transaction.
public struct CheckpointSettings: Sendable, Codable {
    /// Checkpoint and resume. Default false.
    public var enabled: Bool = false
    /// The SQLite database file (created if missing; WAL journal). Default `fulcrum-checkpoint.sqlite` in the
    /// working directory.
    public var path: String = "fulcrum-checkpoint.sqlite"
    /// Event time between checkpoints, ns: one is taken after the first grid step whose boundary reaches the
    /// next multiple of it. Default 60 s. Allowed: at least 1 ms and at least `estimation.gridInterval` in
    /// effect (a smaller value checkpoints after every step).
    public var interval: Int64 = 60_000_000_000

    /// The defaults.
    public init() {}

    /// Checks the values; errors name the key.
    public func validate() throws {
        guard interval >= 1_000_000 else {
            throw ConfigurationError(key: "checkpoint.interval", value: "\(interval)ns", allowed: "at least 1ms",
                                     message: "checkpoint interval too small")
        }
        if enabled, path.isEmpty {
            throw ConfigurationError(key: "checkpoint.path", value: "\"\"", allowed: "a file path",
                                     message: "checkpointing needs a database file")
        }
    }
}
