import FulcrumSettings

/// The topic keys of a cryptofeed feed's channels: what its ZeroMQ callbacks were created with
/// (`TradeZMQ(key=…)`, `TickerZMQ(key=…)`); cryptofeed's defaults are `trades` and `ticker`.
///
/// The key is the middle of a dynamic topic, `<EXCHANGE>-<key>-<SYMBOL>`, or the whole topic of a callback created
/// with `dynamic_key=False`. Updates under any other key are ``IngestOutcome/ignored`` (a channel Fulcrum does not
/// use), so a key set here that differs from the publisher's makes every update of that channel ignored.
public struct CryptofeedTopicKeys: Sendable, Hashable, Codable {
    /// Key of trade updates. Default: `"trades"`. Allowed: 1 … 64 bytes of printable ASCII without space.
    public var trades: String
    /// Key of ticker (best bid/ask) updates. Default: `"ticker"`. Allowed: as ``trades``, and different from it.
    public var ticker: String

    /// Creates the keys; cryptofeed's defaults unless given.
    public init(trades: String = "trades", ticker: String = "ticker") {
        self.trades = trades
        self.ticker = ticker
    }

    /// Checks both keys; `keyPrefix` is the path of this section (e.g. `ingest.feeds[0].cryptofeedKeys`).
    ///
    /// - Throws: ``ConfigurationError`` naming the bad key, its value and what is allowed.
    public func validate(keyPrefix: String) throws(ConfigurationError) {
        for (name, value) in [("trades", trades), ("ticker", ticker)] {
            let bytes = Array(value.utf8)
            guard (1...64).contains(bytes.count), bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw ConfigurationError(
                    key: ConfigurationError.key(name, under: keyPrefix), value: value,
                    allowed: "1 … 64 bytes of printable ASCII without space", message: "invalid cryptofeed topic key")
            }
        }
        guard trades != ticker else {
            throw ConfigurationError(
                key: ConfigurationError.key("ticker", under: keyPrefix), value: ticker,
                allowed: "a key different from trades (\(trades))", message: "cryptofeed topic keys collide")
        }
    }
}
