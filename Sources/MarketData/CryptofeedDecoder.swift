/// Decodes one frame of cryptofeed's ZeroMQ backend (`cryptofeed.backends.zmq`), allocation-free.
///
/// The backend sends one UTF-8 frame per update: `"<EXCHANGE>-<key>-<SYMBOL> <json>"` (or `"<key> <json>"` when
/// the callback was created with `dynamic_key=False`), where the JSON is the update's
/// `to_dict(numeric_type=float)` plus `receipt_timestamp`, written by `json.dumps`.
///
/// Fields read from the JSON (extra keys, nested values and `null`s are skipped and validated):
/// - trades: `exchange`, `symbol`, `price`, `amount` (→ size), `side` (`"buy"`/`"sell"`), `timestamp`;
/// - ticker: `exchange`, `symbol`, `bid`, `ask` (→ price is the mid, `bid/2 + ask/2`), `timestamp`;
/// - both: `receipt_timestamp` (the publisher's receipt time) if present and valid (it is informational only).
/// Numbers may be JSON numbers in any notation, Python's `NaN`/`Infinity`, or strings holding a JSON number
/// (`"43000.12"`, as written with `numeric_type=str`). Doubles are correctly rounded from the decimal text;
/// timestamps (float epoch seconds) are converted to nanoseconds from the decimal digits, never through a
/// `Double` product, and rounded to the nearest nanosecond.
///
/// **Exchange and symbol come from the JSON**, not from splitting the topic, because symbols contain `-`
/// (`BTC-USD-PERP`). **The channel comes from the topic's key**: the topic with the JSON's
/// `"<exchange>-"` prefix and `"-<symbol>"` suffix removed, or the whole topic when it does not have that shape
/// (non-dynamic keys). Inferring the channel from the JSON fields alone is not safe: `fills` and `order_info`
/// updates also carry `price`, `amount` and `side` and would be taken for market trades. Frames whose key is
/// neither ``tradesKey`` nor ``tickerKey`` decode to `nil` (an ignored channel, not an error). When the JSON lacks
/// the exchange or symbol that would delimit the key, a topic holding the key as a `-`-delimited segment still
/// names the channel, so that a trade without `"symbol"` is rejected (``RejectionReason/missingField``), not
/// ignored.
public struct CryptofeedDecoder: Sendable {
    /// The topic key of trade updates (`TradeZMQ.default_key`).
    public let tradesKey: [UInt8]
    /// The topic key of ticker updates (`TickerZMQ.default_key`).
    public let tickerKey: [UInt8]

    /// Creates a decoder for the given topic keys (cryptofeed's defaults unless the callbacks were given a `key`).
    public init(tradesKey: String = "trades", tickerKey: String = "ticker") {
        self.tradesKey = Array(tradesKey.utf8)
        self.tickerKey = Array(tickerKey.utf8)
    }

    private enum Field: UInt8 {
        case exchange, symbol, side, price, amount, bid, ask, timestamp, receiptTimestamp, other
    }

    /// Presence of a field of interest: absent (or `null`), present, or present with the wrong JSON type or an
    /// unparsable number (an error only if the channel needs the field).
    enum Presence: UInt8 {
        case absent, present, invalid
    }

    /// A string field: where its text is.
    struct TextField {
        var presence = Presence.absent
        var text = FrameText.empty
    }

    /// A numeric field, converted as soon as it is scanned.
    struct NumberField {
        var presence = Presence.absent
        var value: Double = 0
    }

    /// A timestamp field in nanoseconds; `value` is `nil` for a number that does not fit (non-finite or overflow).
    struct TimeField {
        var presence = Presence.absent
        var value: Int64?
    }

    /// Decodes one frame. Returns `nil` for a well-formed update of a channel other than trades or ticker.
    ///
    /// - Throws: ``RejectionReason/malformedFrame`` (no space after the topic),
    ///   ``RejectionReason/unknownEncoding`` (payload not a JSON object), ``RejectionReason/invalidJSON``,
    ///   ``RejectionReason/missingField``, ``RejectionReason/invalidTimestamp``.
    public func decode(_ frame: UnsafeRawBufferPointer) throws(RejectionReason) -> DecodedTick? {
        guard let base = frame.baseAddress else { throw .malformedFrame }
        let end = frame.count
        var space = 0
        // Eight bytes at a time until a word may contain a space (SWAR zero-byte test on word ^ 0x20…).
        while end &- space >= 8 {
            let spaces = base.loadUnaligned(fromByteOffset: space, as: UInt64.self) ^ 0x2020_2020_2020_2020
            if (spaces &- 0x0101_0101_0101_0101) & ~spaces & 0x8080_8080_8080_8080 != 0 { break }
            space &+= 8
        }
        while space < end && base.load(fromByteOffset: space, as: UInt8.self) != 0x20 { space &+= 1 }
        guard space < end else { throw .malformedFrame }

        var scanner = JSONScanner(base: base, start: space &+ 1, end: end)
        scanner.skipWhitespace()
        guard scanner.current == UInt8(ascii: "{") else { throw .unknownEncoding }
        scanner.index &+= 1

        var exchange = TextField()
        var symbol = TextField()
        var side = TextField()
        var price = NumberField()
        var amount = NumberField()
        var bid = NumberField()
        var ask = NumberField()
        var timestamp = TimeField()
        var receiptTimestamp = TimeField()

        scanner.skipWhitespace()
        if scanner.current == UInt8(ascii: "}") {
            scanner.index &+= 1
        } else {
            while true {
                scanner.skipWhitespace()
                let key = try scanner.scanString()
                let field = Self.classify(key, in: frame)
                scanner.skipWhitespace()
                try scanner.expect(UInt8(ascii: ":"))
                scanner.skipWhitespace()
                // Later occurrences overwrite earlier ones: the last wins, as in Python's json.loads.
                switch field {
                case .other:
                    try scanner.skipValue(depth: 1)
                case .exchange:
                    exchange = try Self.scanText(&scanner)
                case .symbol:
                    symbol = try Self.scanText(&scanner)
                case .side:
                    side = try Self.scanText(&scanner)
                case .price, .amount, .bid, .ask:
                    var number = NumberField()
                    let scanned = try Self.scanNumber(&scanner, in: frame, asNanoseconds: false)
                    number.presence = scanned.presence
                    number.value = scanned.value
                    switch field {
                    case .price: price = number
                    case .amount: amount = number
                    case .bid: bid = number
                    default: ask = number
                    }
                case .timestamp, .receiptTimestamp:
                    var time = TimeField()
                    let scanned = try Self.scanNumber(&scanner, in: frame, asNanoseconds: true)
                    time.presence = scanned.presence
                    time.value = scanned.nanoseconds
                    if field == .timestamp { timestamp = time } else { receiptTimestamp = time }
                }
                scanner.skipWhitespace()
                if scanner.current == UInt8(ascii: ",") {
                    scanner.index &+= 1
                    continue
                }
                try scanner.expect(UInt8(ascii: "}"))
                break
            }
        }
        scanner.skipWhitespace()
        guard scanner.index == end else { throw .invalidJSON }
        guard exchange.presence != .invalid, symbol.presence != .invalid else { throw .invalidJSON }

        // Channel from the topic key.
        let topic = UnsafeRawBufferPointer(start: base, count: space)
        var keyStart = 0
        var keyEnd = space
        if exchange.presence == .present, symbol.presence == .present,
           let prefixLength = Self.matchedPrefix(exchange.text, of: topic, in: frame),
           let suffixLength = Self.matchedSuffix(symbol.text, of: topic, in: frame),
           prefixLength &+ suffixLength <= space {
            keyStart = prefixLength
            keyEnd = space &- suffixLength
        }
        let key = UnsafeRawBufferPointer(rebasing: topic[keyStart..<keyEnd])
        var isTrade = Self.equal(key, tradesKey)
        var isTicker = !isTrade && Self.equal(key, tickerKey)
        let namesMissing = exchange.presence != .present || symbol.presence != .present || exchange.text.count == 0
            || symbol.text.count == 0
        if !isTrade && !isTicker && namesMissing {
            // Without the exchange or symbol that delimit the key, the key is still a `-`-delimited segment of the
            // topic, and such an update must be rejected (missing_field), not ignored as a channel Fulcrum does not
            // use. Names present but different from the topic's keep the topic a foreign one.
            isTrade = Self.containsSegment(tradesKey, in: topic)
            isTicker = !isTrade && Self.containsSegment(tickerKey, in: topic)
        }
        guard isTrade || isTicker else { return nil }

        guard exchange.presence == .present, symbol.presence == .present, exchange.text.count > 0,
              symbol.text.count > 0 else { throw .missingField }
        var tick = DecodedTick(venue: exchange.text, symbol: symbol.text, channel: isTrade ? .trades : .quotes)

        if isTrade {
            tick.price = try Self.required(price)
            if amount.presence != .absent { tick.size = try Self.required(amount) }
            if side.presence != .absent {
                guard side.presence == .present else { throw .invalidJSON }
                tick.side = Self.side(side.text, in: frame)
            }
        } else {
            let bidValue = try Self.required(bid)
            let askValue = try Self.required(ask)
            tick.bid = bidValue
            tick.ask = askValue
            // Halves first, so that the mid of two finite prices near the largest double stays finite.
            tick.price = bidValue * 0.5 + askValue * 0.5
        }

        tick.exchangeTime = try Self.required(timestamp)
        // The publisher's receipt time is informational: a malformed one does not cost the tick.
        if receiptTimestamp.presence == .present { tick.sourceReceiptTime = receiptTimestamp.value }
        return tick
    }

    // MARK: - Helpers

    @inline(__always)
    static func required(_ field: NumberField) throws(RejectionReason) -> Double {
        switch field.presence {
        case .present: return field.value
        case .absent: throw .missingField
        case .invalid: throw .invalidJSON
        }
    }

    @inline(__always)
    static func required(_ field: TimeField) throws(RejectionReason) -> Int64 {
        switch field.presence {
        case .present:
            guard let value = field.value else { throw .invalidTimestamp }
            return value
        case .absent: throw .missingField
        case .invalid: throw .invalidJSON
        }
    }

    /// Scans the value of a string field: a string is present, `null` absent, anything else invalid.
    @inline(__always)
    static func scanText(_ scanner: inout JSONScanner) throws(RejectionReason) -> TextField {
        switch scanner.current {
        case UInt8(ascii: "\""):
            return TextField(presence: .present, text: try scanner.scanString())
        case UInt8(ascii: "n"):
            _ = try scanner.scanLiteral()
            return TextField()
        default:
            try scanner.skipValue(depth: 1)
            return TextField(presence: .invalid)
        }
    }

    /// Scans the value of a numeric field and converts it: a number, or a string holding one, is `.present`
    /// with its value as a correctly rounded double, or (`asNanoseconds`) as seconds scaled to nanoseconds
    /// (`nil` when out of range); `null` is `.absent`; anything else, including a string that is not a number,
    /// is `.invalid`. Conversion happens where the digits are addressable (inside the unescaping scope for
    /// strings with escapes).
    @inline(__always)
    static func scanNumber(
        _ scanner: inout JSONScanner, in frame: UnsafeRawBufferPointer, asNanoseconds: Bool
    ) throws(RejectionReason) -> (presence: Presence, value: Double, nanoseconds: Int64?) {
        @inline(__always)
        func convert(_ number: DecimalNumber, _ token: UnsafeRawBufferPointer) -> (Presence, Double, Int64?) {
            asNanoseconds
                ? (.present, 0, number.scaledInteger(decimalShift: 9))
                : (.present, number.doubleValue(token: token), nil)
        }
        switch scanner.current {
        case UInt8(ascii: "\""):
            let text = try scanner.scanString()
            let converted: (Presence, Double, Int64?)? = text.withBytes(in: frame, maximumLength: 128) { bytes in
                guard let p = bytes.baseAddress, let number = DecimalNumber.parse(p, bytes.count) else {
                    return (.invalid, 0, nil)
                }
                return convert(number, bytes)
            }
            return converted ?? (.invalid, 0, nil)
        case UInt8(ascii: "n"):
            _ = try scanner.scanLiteral()
            return (.absent, 0, nil)
        case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "t"), UInt8(ascii: "f"):
            try scanner.skipValue(depth: 1)
            return (.invalid, 0, nil)
        default:
            let (text, number) = try scanner.scanNumber()
            return convert(number, UnsafeRawBufferPointer(rebasing: frame[text.offset..<(text.offset &+ text.count)]))
        }
    }

    private static func classify(_ key: FrameText, in frame: UnsafeRawBufferPointer) -> Field {
        if !key.isJSONEscaped {
            guard let base = frame.baseAddress else { return .other }
            return classify(base + key.offset, key.count)
        }
        return key.withBytes(in: frame, maximumLength: 32) { bytes -> Field in
            guard let base = bytes.baseAddress else { return .other }
            return classify(base, bytes.count)
        } ?? .other
    }

    @inline(__always)
    private static func classify(_ p: UnsafeRawPointer, _ count: Int) -> Field {
        switch count {
        case 3:
            if same(p, "ask") { return .ask }
            if same(p, "bid") { return .bid }
        case 4:
            if same(p, "side") { return .side }
        case 5:
            if same(p, "price") { return .price }
        case 6:
            if same(p, "amount") { return .amount }
            if same(p, "symbol") { return .symbol }
        case 8:
            if same(p, "exchange") { return .exchange }
        case 9:
            if same(p, "timestamp") { return .timestamp }
        case 17:
            if same(p, "receipt_timestamp") { return .receiptTimestamp }
        default:
            break
        }
        return .other
    }

    /// Whether the bytes at `p` equal the literal (the caller has checked the length).
    @inline(__always)
    static func same(_ p: UnsafeRawPointer, _ literal: StaticString) -> Bool {
        SymbolTable.bytesEqual(p, UnsafeRawPointer(literal.utf8Start), count: literal.utf8CodeUnitCount)
    }

    static func equal(_ bytes: UnsafeRawBufferPointer, _ expected: [UInt8]) -> Bool {
        guard bytes.count == expected.count else { return false }
        return expected.withUnsafeBytes { expectedBytes in
            for i in 0..<bytes.count where bytes[i] != expectedBytes[i] { return false }
            return true
        }
    }

    /// Whether `key` is a `-`-delimited segment of the topic, not its first: `<anything>-<key>` or
    /// `<anything>-<key>-<anything>` (the shape of a dynamic topic, `<EXCHANGE>-<key>-<SYMBOL>`).
    static func containsSegment(_ key: [UInt8], in topic: UnsafeRawBufferPointer) -> Bool {
        let n = key.count
        guard n > 0, topic.count > n else { return false }
        return key.withUnsafeBytes { expected -> Bool in
            var start = 1
            while start &+ n <= topic.count {
                let end = start &+ n
                if topic[start &- 1] == UInt8(ascii: "-") && (end == topic.count || topic[end] == UInt8(ascii: "-")) {
                    var same = true
                    for i in 0..<n where topic[start &+ i] != expected[i] {
                        same = false
                        break
                    }
                    if same { return true }
                }
                start &+= 1
            }
            return false
        }
    }

    /// Length of `"<name>-"` if the topic starts with it.
    static func matchedPrefix(
        _ name: FrameText, of topic: UnsafeRawBufferPointer, in frame: UnsafeRawBufferPointer
    ) -> Int? {
        if !name.isJSONEscaped, let base = frame.baseAddress, let start = topic.baseAddress {
            let n = name.count
            guard n > 0, n &+ 1 <= topic.count, topic[n] == UInt8(ascii: "-") else { return nil }
            return SymbolTable.bytesEqual(start, base + name.offset, count: n) ? n &+ 1 : nil
        }
        let result: Int?? = name.withBytes(in: frame, maximumLength: 256) { bytes -> Int? in
            let n = bytes.count
            guard n &+ 1 <= topic.count, topic[n] == UInt8(ascii: "-") else { return nil }
            guard n > 0, let name = bytes.baseAddress, let start = topic.baseAddress else { return n == 0 ? 1 : nil }
            return SymbolTable.bytesEqual(start, name, count: n) ? n &+ 1 : nil
        }
        return result ?? nil
    }

    /// Length of `"-<name>"` if the topic ends with it.
    static func matchedSuffix(
        _ name: FrameText, of topic: UnsafeRawBufferPointer, in frame: UnsafeRawBufferPointer
    ) -> Int? {
        if !name.isJSONEscaped, let base = frame.baseAddress, let start = topic.baseAddress {
            let n = name.count
            guard n > 0, n &+ 1 <= topic.count, topic[topic.count &- n &- 1] == UInt8(ascii: "-") else { return nil }
            return SymbolTable.bytesEqual(start + (topic.count &- n), base + name.offset, count: n) ? n &+ 1 : nil
        }
        let result: Int?? = name.withBytes(in: frame, maximumLength: 256) { bytes -> Int? in
            let n = bytes.count
            guard n &+ 1 <= topic.count else { return nil }
            let start = topic.count &- n
            guard topic[start &- 1] == UInt8(ascii: "-") else { return nil }
            guard n > 0, let name = bytes.baseAddress, let base = topic.baseAddress else { return n == 0 ? 1 : nil }
            return SymbolTable.bytesEqual(base + start, name, count: n) ? n &+ 1 : nil
        }
        return result ?? nil
    }

    static func side(_ text: FrameText, in frame: UnsafeRawBufferPointer) -> TickSide {
        let resolved = text.withBytes(in: frame, maximumLength: 8) { bytes -> TickSide in
            guard let p = bytes.baseAddress else { return .unknown }
            if bytes.count == 3 && same(p, "buy") { return .buy }
            if bytes.count == 4 && same(p, "sell") { return .sell }
            return .unknown
        }
        return resolved ?? .unknown
    }
}
