/// When a recording is forced to stable storage with `fdatasync(2)`.
public enum RecordingSyncPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Never: the operating system writes the page cache back on its own schedule. A process crash loses
    /// nothing that was handed to the OS; a machine crash can lose the last seconds.
    case never
    /// At most every `fsyncIntervalNs`, after a buffer flush. Bounds the loss on a machine crash.
    case interval
    /// After every record, written through at once. The slowest; loses at most the record being written.
    case always
}
