/// Which price the event-time grid samples for an asset (`ingest.gridPrice`).
///
/// Whatever the source, the grid is driven by the accepted trade and quote ticks: each one moves event time and
/// records, at its exchange time, the asset's price *from the chosen source at that moment*; the grid keeps the
/// last such price before each boundary (previous-tick sampling, as always). Book, funding and other market-data
/// messages change the value a source has, never event time.
///
/// **Freshness and fallback.** A venue's mid or mark counts when it is no older than
/// ``RobustPriceFilterConfiguration/staleAfter`` (default 10 s, the robust filter's own freshness) at the tick's
/// exchange time; the source's value is the **median** over the venues that count. When no venue counts (no book,
/// quote or funding feed for the asset, or all of them silent), the tick samples the cross-venue robust price, as
/// `trade` does, so an asset is never left without a grid price. A change of source inside a series (a mark feed
/// going quiet, then coming back) shows as one grid return of the size of the basis between the two prices.
/// Neither books, quotes' mids nor marks are checkpointed: after a restart the grid samples the robust price until
/// the source has a fresh value again.
public enum GridPriceSource: String, Sendable, Hashable, Codable, CaseIterable {
    /// The cross-venue robust price of the accepted trades and quotes (the median of the venues' latest prices
    /// after spike quarantine, ``Tick/robustPrice``). The default.
    case trade
    /// The mid (best bid + best ask)/2 per venue — of its live order book, or of its latest quote (a cryptofeed
    /// `ticker` or a protobuf tick with bid and ask), whichever is newer — medianed over the fresh venues. Unlike
    /// trades, books are not screened by the spike quarantine; the median is the protection (a lone venue's book
    /// moves it alone).
    case mid
    /// The funding feed's mark price per venue (cryptofeed `funding`, protobuf `Funding.mark_price`), medianed over
    /// the fresh venues.
    case mark
}
