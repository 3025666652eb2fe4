import FulcrumSettings

/// Everything a ``TickIngestor`` needs: the feeds, the name tables, validation bounds and filter tuning.
public struct IngestConfiguration: Sendable, Hashable, Codable {
    /// The feeds, addressed by index in ``TickIngestor/ingest(feed:frameCount:_:_:receiptTime:)``.
    /// Default: one ``FeedConfiguration`` with its defaults. Allowed: 1 … 64 feeds with distinct names.
    public var feeds: [FeedConfiguration]
    /// Accepted instrument symbols. Default: discovery of up to 1,024 symbols.
    public var symbols: SymbolTableConfiguration
    /// Accepted venues. Default: discovery of up to 64 venues.
    public var venues: SymbolTableConfiguration
    /// Tick validation bounds.
    public var validation: ValidationConfiguration
    /// Robust price filter tuning.
    public var filter: RobustPriceFilterConfiguration
    /// Order books kept from book snapshots and deltas: depth (top K) and how many.
    public var books: BookConfiguration
    /// The price the event-time grid samples: `trade` (the cross-venue robust price of trades and quotes), `mid`
    /// (book or quote mid) or `mark` (funding feed's mark price), each falling back to the robust price when the
    /// chosen source has no fresh value (see ``GridPriceSource``). Default: `trade`.
    public var gridPrice: GridPriceSource
    /// Wall-clock silence of every feed (no accepted tick on any of them) after which Fulcrum republishes every
    /// asset with status STALE and reason `REASON_STALE_FEED`; the next grid step clears the mark. Unlike
    /// everything else this rule follows the wall clock, not event time, so its updates are outside replay
    /// determinism. Default: 30 s (the circuit breaker's default `staleAfterNs`). Allowed: 0 (off) or
    /// 1 ms … 1 day.
    @NanosecondDuration public var feedSilenceStaleAfter: Duration

    /// Creates a configuration; see each property for its default.
    public init(
        feeds: [FeedConfiguration] = [FeedConfiguration()],
        symbols: SymbolTableConfiguration = SymbolTableConfiguration(),
        venues: SymbolTableConfiguration = SymbolTableConfiguration(maximumDiscovered: 64),
        validation: ValidationConfiguration = ValidationConfiguration(),
        filter: RobustPriceFilterConfiguration = RobustPriceFilterConfiguration(),
        feedSilenceStaleAfter: Duration = .seconds(30),
        books: BookConfiguration = BookConfiguration(),
        gridPrice: GridPriceSource = .trade
    ) {
        self.books = books
        self.gridPrice = gridPrice
        self.feeds = feeds
        self.symbols = symbols
        self.venues = venues
        self.validation = validation
        self.filter = filter
        self.feedSilenceStaleAfter = feedSilenceStaleAfter
    }

    /// Checks every setting; `keyPrefix`, the path of the section, prefixes the keys in the error.
    ///
    /// - Throws: ``ConfigurationError`` naming the bad key, its value and what is allowed.
    public func validate(keyPrefix: String = "ingest") throws(ConfigurationError) {
        func key(_ name: String) -> String { ConfigurationError.key(name, under: keyPrefix) }
        guard (1...64).contains(feeds.count) else {
            throw ConfigurationError(
                key: key("feeds"), value: "\(feeds.count) feeds", allowed: "1 … 64 feeds")
        }
        var names = Set<String>()
        for (index, feed) in feeds.enumerated() {
            try feed.validate(keyPrefix: key("feeds[\(index)]"))
            guard names.insert(feed.name).inserted else {
                throw ConfigurationError(key: key("feeds[\(index)].name"), value: feed.name,
                                         allowed: "names used by one feed only", message: "duplicate name")
            }
        }
        try symbols.validate(keyPrefix: key("symbols"))
        try venues.validate(keyPrefix: key("venues"))
        try validation.validate(keyPrefix: key("validation"))
        try filter.validate(keyPrefix: key("filter"))
        try books.validate(keyPrefix: key("books"))
        guard feedSilenceStaleAfter == .zero
                || (.milliseconds(1) ... .seconds(86_400)).contains(feedSilenceStaleAfter) else {
            throw ConfigurationError(
                key: key("feedSilenceStaleAfter"), value: "\($feedSilenceStaleAfter)",
                allowed: "0 (off) or 1 ms … 1 day, in ns")
        }
    }
}
