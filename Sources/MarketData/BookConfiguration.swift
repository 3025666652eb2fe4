import FulcrumSettings

/// Order-book state kept per (venue, symbol): how deep and how many.
///
/// Memory: each book holds `depth` levels a side at 16 bytes a level plus about 40 bytes of bookkeeping, so
/// 1,000 symbols on 5 venues at the default depth take 5,000 × (2 × 20 × 16 + 40) ≈ 3.4 MB; the storage of a
/// book is taken when its first snapshot arrives and never released.
public struct BookConfiguration: Sendable, Hashable, Codable {
    /// Levels kept per side (top K): levels beyond the K best are dropped, so a delta past them is not applied.
    /// Default: 20. Allowed: 1 … 500.
    public var depth: Int
    /// The most (venue, symbol) books held; a snapshot for a new pair beyond it is
    /// ``RejectionReason/bookCapExceeded``. Default: 8,192. Allowed: 1 … 1,000,000.
    public var maximumBooks: Int

    /// Creates the settings; see each property for its default.
    public init(depth: Int = 20, maximumBooks: Int = 8_192) {
        self.depth = depth
        self.maximumBooks = maximumBooks
    }

    /// Checks both settings; `keyPrefix` is the path of the section (e.g. `ingest.books`).
    ///
    /// - Throws: ``ConfigurationError`` naming the bad key, its value and what is allowed.
    public func validate(keyPrefix: String = "books") throws(ConfigurationError) {
        guard (1...500).contains(depth) else {
            throw ConfigurationError(key: ConfigurationError.key("depth", under: keyPrefix), value: "\(depth)",
                                     allowed: "1 … 500")
        }
        guard (1...1_000_000).contains(maximumBooks) else {
            throw ConfigurationError(key: ConfigurationError.key("maximumBooks", under: keyPrefix),
                                     value: "\(maximumBooks)", allowed: "1 … 1000000")
        }
    }
}
