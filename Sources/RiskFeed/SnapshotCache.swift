/// The latest payload of every topic, replayed to late joiners (the Clone pattern's key-value store).
struct SnapshotCache {
    struct Entry {
        var payload: [UInt8]
        var sequence: UInt64
    }

    private(set) var entries: [String: Entry] = [:]

    mutating func store(topic: String, payload: [UInt8], sequence: UInt64) {
        entries[topic] = Entry(payload: payload, sequence: sequence)
    }

    /// Entries whose topic starts with `prefix`, in topic order so replies are reproducible.
    func matching(prefix: String) -> [(topic: String, entry: Entry)] {
        entries.filter { $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
