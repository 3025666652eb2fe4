import FulcrumSettings

/// Settings of a recording: where it goes and how hard the writer works to keep it on disk.
///
/// Under `recording` in the service configuration: with `path` set, `fulcrum run` records every message the
/// engine ingests, in engine order, with its receipt time, so a backtest of the file replays the session.
public struct RecordingConfiguration: Sendable, Hashable, Codable {
    /// File to write; empty (the default) records nothing. `{epoch}` in the path is replaced by the publisher
    /// epoch, so every run gets its own file.
    public var path: String = ""
    /// When to force the file to stable storage. Default `.interval`.
    public var fsync: RecordingSyncPolicy = .interval
    /// Minimum time between two syncs under `.interval` (key `fsyncIntervalNs`). Default 1 s. Allowed: > 0.
    @NanosecondDuration public var fsyncInterval: Duration = .seconds(1)
    /// Records are buffered and handed to the operating system when the buffer is full or this long after the
    /// previous hand-over (key `flushIntervalNs`); 0 hands over only full buffers (and at close). Default 100 ms,
    /// so a process crash loses at most that much. Allowed: ≥ 0.
    @NanosecondDuration public var flushInterval: Duration = .milliseconds(100)
    /// Size of the in-memory buffer, bytes. Records never straddle a hand-over, so the file always ends on a
    /// record boundary unless a write itself was cut short. Default 1 MiB. Allowed: 4 KiB … 256 MiB.
    public var bufferBytes: Int = 1 << 20
    /// Replace an existing file at `path`. Default false: an existing file is an error, since appending a new
    /// session to an old one would replay as one session.
    public var overwrite: Bool = false

    // The file keys keep the unit suffix they have always had.
    enum CodingKeys: String, CodingKey {
        case path, fsync, bufferBytes, overwrite
        case fsyncInterval = "fsyncIntervalNs"
        case flushInterval = "flushIntervalNs"
    }

    /// The defaults (recording off).
    public init() {}

    /// Whether recording is on.
    public var isEnabled: Bool { !path.isEmpty }

    /// Checks every value; `keyPrefix`, the path of the section, prefixes the keys in the error.
    public func validate(keyPrefix: String = "recording") throws(ConfigurationError) {
        func key(_ name: String) -> String { ConfigurationError.key(name, under: keyPrefix) }
        guard fsyncInterval > .zero else {
            throw ConfigurationError(key: key("fsyncIntervalNs"), value: "\($fsyncInterval)", allowed: "> 0 ns")
        }
        guard flushInterval >= .zero else {
            throw ConfigurationError(key: key("flushIntervalNs"), value: "\($flushInterval)",
                                     allowed: "≥ 0 ns (0: only full buffers)")
        }
        guard (4_096...(256 << 20)).contains(bufferBytes) else {
            throw ConfigurationError(key: key("bufferBytes"), value: "\(bufferBytes)", allowed: "4096 … 268435456")
        }
    }

    /// `path` with `{epoch}` replaced.
    public func resolvedPath(epoch: UInt64) -> String {
        path.replacing("{epoch}", with: "\(epoch)")
    }
}
