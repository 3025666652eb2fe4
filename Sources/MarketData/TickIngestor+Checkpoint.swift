extension TickIngestor {
    /// Everything of an ingestor that decides the outcome of future ticks, for checkpointing: the symbol and venue
    /// tables in identifier order, the validator's per-stream memory and the robust filter's state. Counters are
    /// not part of it: they count what one process saw and start at zero after a restore.
    public struct Checkpoint: Sendable, Hashable, Codable {
        /// Symbol names in identifier order.
        public var symbols: [String]
        /// Venue names in identifier order.
        public var venues: [String]
        /// Duplicate and ordering memory per stream.
        public var validator: TickValidator.Checkpoint
        /// Reference prices, quarantine and staleness.
        public var filter: RobustPriceFilter.Checkpoint
        /// Per symbol: whether a tick was ever accepted (decides `symbolIsNew`).
        public var symbolHasAccepted: [Bool]
    }

    /// A copy of the state that decides future outcomes.
    public var checkpoint: Checkpoint {
        Checkpoint(symbols: symbols.names, venues: venues.names, validator: validator.checkpoint,
                   filter: filter.checkpoint, symbolHasAccepted: symbolHasAccepted)
    }

    /// An ingestor with `configuration` (feeds, bounds, tables) that continues from `checkpoint`: the next tick
    /// gets exactly the outcome it would have had in the ingestor the checkpoint was taken from.
    ///
    /// Throws ``MarketDataError/Code/invalidCheckpoint`` when the checkpoint does not fit together or does not fit
    /// the configuration (an allow-list that changed, a discovery cap now too small).
    public init(configuration: IngestConfiguration, restoring checkpoint: Checkpoint) throws(MarketDataError) {
        self.init(configuration: configuration)
        symbols = try SymbolTable(kind: .symbol, configuration: configuration.symbols,
                                  restoring: checkpoint.symbols, context: "ingest.symbols")
        venues = try SymbolTable(kind: .venue, configuration: configuration.venues,
                                 restoring: checkpoint.venues, context: "ingest.venues")
        validator = try TickValidator(configuration: configuration.validation, restoring: checkpoint.validator)
        filter = try RobustPriceFilter(configuration: configuration.filter, restoring: checkpoint.filter)
        let symbolCount = checkpoint.symbols.count, venueCount = checkpoint.venues.count
        guard checkpoint.validator.firstStream.count <= symbolCount,
              checkpoint.validator.venue.allSatisfy({ Int($0) < venueCount }),
              checkpoint.filter.symbols.firstSlot.count <= symbolCount,
              checkpoint.filter.venues.accepted.count <= venueCount,
              checkpoint.symbolHasAccepted.count <= symbolCount else {
            throw MarketDataError(code: .invalidCheckpoint,
                                  message: "validator or filter state refers to symbols or venues the tables lack",
                                  context: ["field": "ingest"])
        }
        symbolHasAccepted = checkpoint.symbolHasAccepted
    }
}
