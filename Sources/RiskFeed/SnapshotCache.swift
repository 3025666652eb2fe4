/// The latest payload of every topic, replayed to late joiners (the Clone pattern's key-value store).
struct SnapshotCache {
    struct Entry {
        var payload: [UInt8]
        var sequence: UInt64
    }

    /// Keyed by the topic frame as published: no text conversion per update.
    private(set) var entries: [[UInt8]: Entry] = [:]

    mutating func store(topic: [UInt8], payload: [UInt8], sequence: UInt64) {
        entries[topic] = Entry(payload: payload, sequence: sequence)
    }

    /// Entries whose topic starts with `prefix`, in topic order (bytewise, which for UTF-8 is code-point order) so
    /// replies are reproducible.
    func matching(prefix: [UInt8]) -> [(topic: [UInt8], entry: Entry)] {
        entries.filter { $0.key.starts(with: prefix) }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }
            .map { ($0.key, $0.value) }
    }
}
