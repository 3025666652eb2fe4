import FulcrumProtocol
import MarketData

/// Nanoseconds per second.
let second: Int64 = 1_000_000_000
/// A receipt time used across tests: 2023-11-14T22:13:20Z.
let baseTime: Int64 = 1_700_000_000 * second

extension Array where Element == UInt8 {
    /// The bytes of a string.
    init(text: String) { self = Array(text.utf8) }
}

/// Serializes a protobuf tick with swift-protobuf.
func serialized(_ tick: Fulcrum_V1_Tick) -> [UInt8] {
    // Serialization of a plain message cannot fail; an empty array would make the calling test fail loudly.
    (try? tick.serializedBytes()) ?? []
}

/// A protobuf tick with the usual fields set.
func protobufTick(
    venue: String = "BINANCE", symbol: String = "BTC-USD", price: Double = 43_000.5,
    bid: Double? = nil, ask: Double? = nil, size: Double? = 0.25, side: Fulcrum_V1_Side = .buy,
    exchangeTime: Int64 = baseTime, sequence: UInt64? = nil
) -> Fulcrum_V1_Tick {
    var tick = Fulcrum_V1_Tick()
    tick.venue = venue
    tick.symbol = symbol
    tick.price = price
    if let bid { tick.bid = bid }
    if let ask { tick.ask = ask }
    if let size { tick.size = size }
    tick.side = side
    tick.exchangeTimeNs = exchangeTime
    if let sequence { tick.feedSequence = sequence }
    return tick
}

/// A cryptofeed trade frame as its ZeroMQ backend formats it.
func cryptofeedTrade(
    exchange: String = "COINBASE", symbol: String = "BTC-USD", price: String = "43000.12", amount: String = "0.5",
    side: String = "buy", timestamp: String = "1700000000.123456", key: String = "trades"
) -> [UInt8] {
    let json = #"{"exchange":"\#(exchange)","symbol":"\#(symbol)","side":"\#(side)","amount":\#(amount),"#
        + #""price":\#(price),"id":"1","type":null,"timestamp":\#(timestamp),"receipt_timestamp":1700000000.2}"#
    return Array(text: "\(exchange)-\(key)-\(symbol) \(json)")
}

/// A cryptofeed ticker frame as its ZeroMQ backend formats it.
func cryptofeedTicker(
    exchange: String = "BINANCE", symbol: String = "ETH-USDT", bid: String = "2000.1", ask: String = "2000.2",
    timestamp: String = "1700000000.5", key: String = "ticker"
) -> [UInt8] {
    let json = #"{"exchange":"\#(exchange)","symbol":"\#(symbol)","bid":\#(bid),"ask":\#(ask),"#
        + #""timestamp":\#(timestamp),"receipt_timestamp":1700000000.6}"#
    return Array(text: "\(exchange)-\(key)-\(symbol) \(json)")
}

extension TickIngestor {
    /// Ingests a protobuf message `[topic, tick]`.
    mutating func ingest(
        topic: [UInt8] = Array(text: "tick"), protobuf payload: [UInt8], feed: Int = 0, receiptTime: Int64 = baseTime
    ) -> IngestOutcome {
        topic.withUnsafeBytes { topicBytes in
            payload.withUnsafeBytes { payloadBytes in
                ingest(feed: feed, frameCount: 2, topicBytes, payloadBytes, receiptTime: receiptTime)
            }
        }
    }

    /// Ingests a protobuf tick.
    mutating func ingest(_ tick: Fulcrum_V1_Tick, feed: Int = 0, receiptTime: Int64 = baseTime) -> IngestOutcome {
        ingest(protobuf: serialized(tick), feed: feed, receiptTime: receiptTime)
    }

    /// Ingests a one-frame cryptofeed message.
    mutating func ingest(cryptofeed frame: [UInt8], feed: Int = 0, receiptTime: Int64 = baseTime) -> IngestOutcome {
        frame.withUnsafeBytes { ingest(feed: feed, frameCount: 1, $0, receiptTime: receiptTime) }
    }
}

extension IngestOutcome {
    /// Whether the outcome is an acceptance.
    var isAccepted: Bool { acceptedTick != nil }

    /// The accepted market-data event, if any.
    var marketEvent: MarketEvent? {
        if case .market(let event) = self { return event }
        return nil
    }

    /// Whether the outcome is an accepted market-data message.
    var isMarket: Bool { marketEvent != nil }

    /// Whether the outcome is a held tick.
    var isHeld: Bool {
        if case .held = self { return true }
        return false
    }

    /// Whether the outcome is a quarantine.
    var isQuarantined: Bool {
        if case .quarantined = self { return true }
        return false
    }
}

/// A cryptofeed `BookZMQ` snapshot frame with one level a side (the shape of `BackendBookCallback._write_snapshot`).
func bookSnapshot(exchange: String = "BINANCE", symbol: String = "BTC-USD", bid: Double, ask: Double,
                  bidSize: Double = 1, askSize: Double = 2, timestamp: Double = 1_700_000_000.5) -> [UInt8] {
    Array(text: "\(exchange)-book-\(symbol) {\"exchange\":\"\(exchange)\",\"symbol\":\"\(symbol)\","
        + "\"book\":{\"bid\":{\"\(bid)\":\(bidSize)},\"ask\":{\"\(ask)\":\(askSize)}},"
        + "\"timestamp\":\(timestamp),\"receipt_timestamp\":\(timestamp)}")
}

/// A cryptofeed `BookZMQ` delta frame with one level.
func bookDelta(exchange: String = "BINANCE", symbol: String = "BTC-USD", side: String, price: Double, size: Double,
               timestamp: Double = 1_700_000_000.6) -> [UInt8] {
    let other = side == "bid" ? "ask" : "bid"
    return Array(text: "\(exchange)-book-\(symbol) {\"exchange\":\"\(exchange)\",\"symbol\":\"\(symbol)\","
        + "\"delta\":{\"\(side)\":[[\(price),\(size)]],\"\(other)\":[]},"
        + "\"timestamp\":\(timestamp),\"receipt_timestamp\":\(timestamp)}")
}
