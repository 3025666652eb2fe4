/// The ingestor's state for market-data messages beyond ticks: the order books, the decoders of each feed, the
/// level buffer they share, and the last exchange time per (venue, symbol, channel) of the other channels.
struct MarketDataIngest: Sendable {
    /// Top-K books per (venue, symbol).
    var books: OrderBooks
    /// Per feed, with that feed's topic keys.
    let cryptofeedDecoders: [CryptofeedBusDecoder]
    let protobufDecoder = ProtobufMarketDecoder()
    /// Levels of the message being decoded.
    var levels = BookLevelBuffer()
    /// Last exchange time per `(symbol * venueStride + venue) * 4 + channel − 1` for funding … candles.
    private var lastTime: [Int64] = []
    private let venueStride: Int

    init(configuration: IngestConfiguration) {
        let venueCapacity = configuration.venues.allowList.count + max(configuration.venues.maximumDiscovered, 0)
        venueStride = max(venueCapacity, 1)
        books = OrderBooks(configuration: configuration.books, venueCapacity: venueStride)
        cryptofeedDecoders = configuration.feeds.map { CryptofeedBusDecoder(keys: $0.cryptofeedKeys) }
    }

    /// Checks that a funding, open-interest, liquidation or candle message is not older than the last one of its
    /// stream, and records its time.
    ///
    /// - Throws: ``RejectionReason/outOfOrder``.
    mutating func checkAndRecordOrder(_ channel: BusChannel, symbol: UInt32, venue: UInt32,
                                      time: Int64) throws(RejectionReason) {
        guard channel != .book, Int(venue) < venueStride else { return }
        let index = ((Int(symbol) &* venueStride &+ Int(venue)) &<< 2) &+ Int(channel.rawValue) &- 1
        if index >= lastTime.count {
            let rows = Int(symbol) &+ 1
            lastTime.append(contentsOf: repeatElement(.min, count: (rows &* venueStride &<< 2) &- lastTime.count))
        }
        guard time >= lastTime[index] else { throw .outOfOrder }
        lastTime[index] = time
    }
}
