import FulcrumSettings

/// The topic keys of a cryptofeed feed's channels: what its ZeroMQ callbacks were created with
/// (`TradeZMQ(key=…)`, `TickerZMQ(key=…)`, `BookZMQ(key=…)`, …); cryptofeed's defaults are `trades`, `ticker`,
/// `book`, `funding`, `open_interest`, `liquidations` and `candles`.
///
/// The key is the middle of a dynamic topic, `<EXCHANGE>-<key>-<SYMBOL>`, or the whole topic of a callback created
/// with `dynamic_key=False`. Updates under any other key are ``IngestOutcome/ignored`` (a channel Fulcrum does not
/// use), so a key set here that differs from the publisher's makes every update of that channel ignored.
public struct CryptofeedTopicKeys: Sendable, Hashable, Codable {
    /// Key of trade updates. Default: `"trades"`. Allowed: 1 … 64 bytes of printable ASCII without space.
    public var trades: String
    /// Key of ticker (best bid/ask) updates. Default: `"ticker"`. Allowed: as ``trades``, and different from it.
    public var ticker: String
    /// Key of order-book snapshots and deltas (``BusChannel/book``). Default: `"book"`. Allowed: as ``trades``.
    public var book: String
    /// Key of funding updates (mark price, rate). Default: `"funding"`. Allowed: as ``trades``.
    public var funding: String
    /// Key of open-interest updates. Default: `"open_interest"`. Allowed: as ``trades``.
    public var openInterest: String
    /// Key of liquidation updates. Default: `"liquidations"`. Allowed: as ``trades``.
    public var liquidations: String
    /// Key of candle updates. Default: `"candles"`. Allowed: as ``trades``. All seven keys differ.
    public var candles: String

    /// Creates the keys; cryptofeed's defaults unless given.
    public init(trades: String = "trades", ticker: String = "ticker", book: String = "book",
                funding: String = "funding", openInterest: String = "open_interest",
                liquidations: String = "liquidations", candles: String = "candles") {
        self.trades = trades
        self.ticker = ticker
        self.book = book
        self.funding = funding
        self.openInterest = openInterest
        self.liquidations = liquidations
        self.candles = candles
    }

    /// The key of a market-data channel.
    public func key(of channel: BusChannel) -> String {
        switch channel {
        case .book: book
        case .funding: funding
        case .openInterest: openInterest
        case .liquidations: liquidations
        case .candles: candles
        }
    }

    private enum CodingKeys: String, CodingKey {
        case trades, ticker, book, funding, openInterest, liquidations, candles
    }

    /// Decodes the keys; absent ones take their defaults (configurations written before the market-data
    /// channels name only `trades` and `ticker`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = CryptofeedTopicKeys()
        trades = try container.decodeIfPresent(String.self, forKey: .trades) ?? defaults.trades
        ticker = try container.decodeIfPresent(String.self, forKey: .ticker) ?? defaults.ticker
        book = try container.decodeIfPresent(String.self, forKey: .book) ?? defaults.book
        funding = try container.decodeIfPresent(String.self, forKey: .funding) ?? defaults.funding
        openInterest = try container.decodeIfPresent(String.self, forKey: .openInterest) ?? defaults.openInterest
        liquidations = try container.decodeIfPresent(String.self, forKey: .liquidations) ?? defaults.liquidations
        candles = try container.decodeIfPresent(String.self, forKey: .candles) ?? defaults.candles
    }

    /// Checks both keys; `keyPrefix` is the path of this section (e.g. `ingest.feeds[0].cryptofeedKeys`).
    ///
    /// - Throws: ``ConfigurationError`` naming the bad key, its value and what is allowed.
    public func validate(keyPrefix: String) throws(ConfigurationError) {
        let named = [("trades", trades), ("ticker", ticker), ("book", book), ("funding", funding),
                     ("openInterest", openInterest), ("liquidations", liquidations), ("candles", candles)]
        for (name, value) in named {
            let bytes = Array(value.utf8)
            guard (1...64).contains(bytes.count), bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw ConfigurationError(
                    key: ConfigurationError.key(name, under: keyPrefix), value: value,
                    allowed: "1 … 64 bytes of printable ASCII without space", message: "invalid cryptofeed topic key")
            }
        }
        for index in named.indices {
            for earlier in 0..<index where named[earlier].1 == named[index].1 {
                throw ConfigurationError(
                    key: ConfigurationError.key(named[index].0, under: keyPrefix), value: named[index].1,
                    allowed: "a key different from \(named[earlier].0) (\(named[earlier].1))",
                    message: "cryptofeed topic keys collide")
            }
        }
    }
}
