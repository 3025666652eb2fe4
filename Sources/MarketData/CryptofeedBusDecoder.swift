/// Decodes the cryptofeed ZeroMQ frames of the channels beyond trades and tickers, allocation-free once its
/// level buffer has grown to the largest book seen: `book` (`BookZMQ`), `funding` (`FundingZMQ`),
/// `open_interest` (`OpenInterestZMQ`), `liquidations` (`LiquidationsZMQ`) and `candles` (`CandlesZMQ`).
///
/// The frame is the one ``CryptofeedDecoder`` reads, `"<EXCHANGE>-<key>-<SYMBOL> <json>"` (or `"<key> <json>"`),
/// the JSON being the update's `to_dict(numeric_type=…)` plus `receipt_timestamp`, and `timestamp` set to the
/// receipt time when the update had none (`BackendCallback`, `BackendBookCallback`). The channel comes from the
/// topic's key exactly as there (exchange and symbol from the JSON delimit it).
///
/// Shapes read (cryptofeed 2.4, `cryptofeed/types.pyx` and `backends/backend.py`):
/// - book **snapshot** (`BookZMQ(snapshots_only=True)`, the first update of a symbol, and every
///   `snapshot_interval` deltas): `"book": {"bid": {"<price>": size, …}, "ask": {…}}`, prices as object keys
///   (strings), sizes numbers or strings; a `"delta"` next to a `"book"` is ignored (the book already holds it);
/// - book **delta**: `"delta": {"bid": [[price, size], …], "ask": […]}`, size 0 removing the price;
/// - funding: `mark_price` (required), `rate`, and `index_price` when a bridge adds one; `next_funding_time`
///   and `predicted_rate` are skipped;
/// - open interest: `open_interest` (required, base units);
/// - liquidations: `side`, `quantity`, `price` (required);
/// - candles: `start`, `stop` (epoch seconds), `volume`, `close` (required), `closed` (`true` when absent or
///   `null`).
/// Numbers follow ``CryptofeedDecoder``'s rules (JSON numbers, `NaN`/`Infinity`, numeric strings; correctly
/// rounded). A book level whose price or size is not a number, not finite, or out of range (price ≤ 0, size < 0)
/// is ``RejectionReason/invalidBookLevel``; a level pair that is not a two-element array is
/// ``RejectionReason/invalidJSON``.
public struct CryptofeedBusDecoder: Sendable {
    /// Topic keys indexed by ``BusChannel/rawValue``.
    public let keys: [[UInt8]]

    /// Creates a decoder for the given topic keys (cryptofeed's defaults unless the callbacks were given a `key`).
    public init(keys: CryptofeedTopicKeys = CryptofeedTopicKeys()) {
        self.keys = BusChannel.allCases.map { Array(keys.key(of: $0).utf8) }
    }

    private enum Field: UInt8 {
        case exchange, symbol, timestamp, book, delta, markPrice, rate, indexPrice, openInterest, side, quantity,
             price, start, stop, volume, close, closed, other
    }

    /// Whether the frame's topic names one of the keys, as the whole topic or as a `-`-delimited segment: a cheap
    /// test that lets trade and ticker frames skip this decoder. A frame that passes may still turn out, once its
    /// JSON names the exchange and symbol, to belong to another channel (``decode(_:levels:)`` then returns `nil`).
    public func mayDecode(_ frame: UnsafeRawBufferPointer) -> Bool {
        guard let base = frame.baseAddress else { return false }
        var space = 0
        while space < frame.count && base.load(fromByteOffset: space, as: UInt8.self) != 0x20 { space &+= 1 }
        let topic = UnsafeRawBufferPointer(start: base, count: space)
        for key in keys where CryptofeedDecoder.equal(topic, key) || CryptofeedDecoder.containsSegment(key, in: topic) {
            return true
        }
        return false
    }

    /// Decodes one frame; book levels go to `levels` (cleared first). Returns `nil` for a well-formed update of
    /// a channel other than these five.
    ///
    /// - Throws: ``RejectionReason/malformedFrame``, ``RejectionReason/unknownEncoding``,
    ///   ``RejectionReason/invalidJSON``, ``RejectionReason/missingField``, ``RejectionReason/invalidTimestamp``,
    ///   ``RejectionReason/invalidBookLevel``.
    public func decode(
        _ frame: UnsafeRawBufferPointer, levels: inout BookLevelBuffer
    ) throws(RejectionReason) -> DecodedMarketMessage? {
        guard let base = frame.baseAddress else { throw .malformedFrame }
        let end = frame.count
        var space = 0
        while space < end && base.load(fromByteOffset: space, as: UInt8.self) != 0x20 { space &+= 1 }
        guard space < end else { throw .malformedFrame }
        levels.removeAll()

        var scanner = JSONScanner(base: base, start: space &+ 1, end: end)
        scanner.skipWhitespace()
        guard scanner.current == UInt8(ascii: "{") else { throw .unknownEncoding }
        scanner.index &+= 1

        var exchange = CryptofeedDecoder.TextField()
        var symbol = CryptofeedDecoder.TextField()
        var side = CryptofeedDecoder.TextField()
        var timestamp = CryptofeedDecoder.TimeField()
        var start = CryptofeedDecoder.TimeField()
        var stop = CryptofeedDecoder.TimeField()
        var markPrice = CryptofeedDecoder.NumberField()
        var rate = CryptofeedDecoder.NumberField()
        var indexPrice = CryptofeedDecoder.NumberField()
        var openInterest = CryptofeedDecoder.NumberField()
        var quantity = CryptofeedDecoder.NumberField()
        var price = CryptofeedDecoder.NumberField()
        var volume = CryptofeedDecoder.NumberField()
        var close = CryptofeedDecoder.NumberField()
        var closed = true
        var sawBook = false
        var sawDelta = false

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
                switch field {
                case .other:
                    try scanner.skipValue(depth: 1)
                case .exchange:
                    exchange = try CryptofeedDecoder.scanText(&scanner)
                case .symbol:
                    symbol = try CryptofeedDecoder.scanText(&scanner)
                case .side:
                    side = try CryptofeedDecoder.scanText(&scanner)
                case .timestamp, .start, .stop:
                    let scanned = try CryptofeedDecoder.scanNumber(&scanner, in: frame, asNanoseconds: true)
                    var time = CryptofeedDecoder.TimeField()
                    time.presence = scanned.presence
                    time.value = scanned.nanoseconds
                    switch field {
                    case .timestamp: timestamp = time
                    case .start: start = time
                    default: stop = time
                    }
                case .closed:
                    switch scanner.current {
                    case UInt8(ascii: "t"), UInt8(ascii: "n"):
                        _ = try scanner.scanLiteral()
                        closed = true
                    case UInt8(ascii: "f"):
                        _ = try scanner.scanLiteral()
                        closed = false
                    default:
                        throw .invalidJSON
                    }
                case .book:
                    if scanner.current == UInt8(ascii: "n") {
                        _ = try scanner.scanLiteral()
                    } else {
                        levels.removeAll()
                        try Self.scanSnapshot(&scanner, in: frame, into: &levels)
                        sawBook = true
                        sawDelta = false
                    }
                case .delta:
                    if scanner.current == UInt8(ascii: "n") || sawBook {
                        try scanner.skipValue(depth: 1)
                    } else {
                        levels.removeAll()
                        try Self.scanDelta(&scanner, in: frame, into: &levels)
                        sawDelta = true
                    }
                default:
                    let scanned = try CryptofeedDecoder.scanNumber(&scanner, in: frame, asNanoseconds: false)
                    var number = CryptofeedDecoder.NumberField()
                    number.presence = scanned.presence
                    number.value = scanned.value
                    switch field {
                    case .markPrice: markPrice = number
                    case .rate: rate = number
                    case .indexPrice: indexPrice = number
                    case .openInterest: openInterest = number
                    case .quantity: quantity = number
                    case .price: price = number
                    case .volume: volume = number
                    default: close = number
                    }
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

        guard let channel = channel(topicLength: space, exchange: exchange, symbol: symbol, in: frame) else {
            return nil
        }
        guard exchange.presence == .present, symbol.presence == .present, exchange.text.count > 0,
              symbol.text.count > 0 else { throw .missingField }
        var message = DecodedMarketMessage(channel: channel)
        message.venue = exchange.text
        message.symbol = symbol.text
        message.exchangeTime = try Self.required(timestamp)
        switch channel {
        case .book:
            guard sawBook || sawDelta else { throw .missingField }
            message.isSnapshot = sawBook
            message.quantity = Double(levels.count)
        case .funding:
            message.price = try Self.required(markPrice)
            if rate.presence != .absent { message.rate = try Self.required(rate) }
            if indexPrice.presence != .absent { message.indexPrice = try Self.required(indexPrice) }
        case .openInterest:
            message.quantity = try Self.required(openInterest)
        case .liquidations:
            message.quantity = try Self.required(quantity)
            message.price = try Self.required(price)
            if side.presence != .absent {
                guard side.presence == .present else { throw .invalidJSON }
                message.side = CryptofeedDecoder.side(side.text, in: frame)
            }
        case .candles:
            message.price = try Self.required(close)
            message.quantity = try Self.required(volume)
            message.intervalStart = try Self.required(start)
            message.intervalEnd = try Self.required(stop)
            message.isClosed = closed
        }
        return message
    }

    /// The channel the topic's key names, as ``CryptofeedDecoder`` finds it: the topic less `"<exchange>-"` and
    /// `"-<symbol>"`, or the whole topic; without names, a `-`-delimited segment.
    private func channel(
        topicLength space: Int, exchange: CryptofeedDecoder.TextField, symbol: CryptofeedDecoder.TextField,
        in frame: UnsafeRawBufferPointer
    ) -> BusChannel? {
        let topic = UnsafeRawBufferPointer(rebasing: frame[0..<space])
        var keyStart = 0
        var keyEnd = space
        if exchange.presence == .present, symbol.presence == .present,
           let prefixLength = CryptofeedDecoder.matchedPrefix(exchange.text, of: topic, in: frame),
           let suffixLength = CryptofeedDecoder.matchedSuffix(symbol.text, of: topic, in: frame),
           prefixLength &+ suffixLength <= space {
            keyStart = prefixLength
            keyEnd = space &- suffixLength
        }
        let key = UnsafeRawBufferPointer(rebasing: topic[keyStart..<keyEnd])
        for channel in BusChannel.allCases where CryptofeedDecoder.equal(key, keys[Int(channel.rawValue)]) {
            return channel
        }
        let namesMissing = exchange.presence != .present || symbol.presence != .present || exchange.text.count == 0
            || symbol.text.count == 0
        guard namesMissing else { return nil }
        for channel in BusChannel.allCases
        where CryptofeedDecoder.containsSegment(keys[Int(channel.rawValue)], in: topic) {
            return channel
        }
        return nil
    }

    // MARK: - Book levels

    /// `{"bid": {"<price>": size, …}, "ask": {…}}`; other members are skipped, `null` sides are empty.
    private static func scanSnapshot(
        _ scanner: inout JSONScanner, in frame: UnsafeRawBufferPointer, into levels: inout BookLevelBuffer
    ) throws(RejectionReason) {
        try scanSides(&scanner, in: frame) { (scanner: inout JSONScanner, isBid: Bool) throws(RejectionReason) in
            guard scanner.current == UInt8(ascii: "{") else { throw .invalidJSON }
            scanner.index &+= 1
            scanner.skipWhitespace()
            if scanner.current == UInt8(ascii: "}") {
                scanner.index &+= 1
                return
            }
            while true {
                scanner.skipWhitespace()
                let key = try scanner.scanString()
                let price = Self.number(in: key, of: frame)
                scanner.skipWhitespace()
                try scanner.expect(UInt8(ascii: ":"))
                scanner.skipWhitespace()
                let size = try Self.levelNumber(&scanner, in: frame)
                try levels.append(isBid: isBid, price: price, size: size)
                scanner.skipWhitespace()
                if scanner.current == UInt8(ascii: ",") {
                    scanner.index &+= 1
                    continue
                }
                try scanner.expect(UInt8(ascii: "}"))
                return
            }
        }
    }

    /// `{"bid": [[price, size], …], "ask": […]}`.
    private static func scanDelta(
        _ scanner: inout JSONScanner, in frame: UnsafeRawBufferPointer, into levels: inout BookLevelBuffer
    ) throws(RejectionReason) {
        try scanSides(&scanner, in: frame) { (scanner: inout JSONScanner, isBid: Bool) throws(RejectionReason) in
            guard scanner.current == UInt8(ascii: "[") else { throw .invalidJSON }
            scanner.index &+= 1
            scanner.skipWhitespace()
            if scanner.current == UInt8(ascii: "]") {
                scanner.index &+= 1
                return
            }
            while true {
                scanner.skipWhitespace()
                try scanner.expect(UInt8(ascii: "["))
                scanner.skipWhitespace()
                let price = try Self.levelNumber(&scanner, in: frame)
                scanner.skipWhitespace()
                try scanner.expect(UInt8(ascii: ","))
                scanner.skipWhitespace()
                let size = try Self.levelNumber(&scanner, in: frame)
                scanner.skipWhitespace()
                try scanner.expect(UInt8(ascii: "]"))
                try levels.append(isBid: isBid, price: price, size: size)
                scanner.skipWhitespace()
                if scanner.current == UInt8(ascii: ",") {
                    scanner.index &+= 1
                    continue
                }
                try scanner.expect(UInt8(ascii: "]"))
                return
            }
        }
    }

    /// The object of sides at the cursor: calls `side` for the values of `bid` and `ask` (not for `null`).
    private static func scanSides(
        _ scanner: inout JSONScanner, in frame: UnsafeRawBufferPointer,
        _ side: (inout JSONScanner, Bool) throws(RejectionReason) -> Void
    ) throws(RejectionReason) {
        guard scanner.current == UInt8(ascii: "{") else { throw .invalidJSON }
        scanner.index &+= 1
        scanner.skipWhitespace()
        if scanner.current == UInt8(ascii: "}") {
            scanner.index &+= 1
            return
        }
        while true {
            scanner.skipWhitespace()
            let key = try scanner.scanString()
            scanner.skipWhitespace()
            try scanner.expect(UInt8(ascii: ":"))
            scanner.skipWhitespace()
            let which = Self.sideName(key, in: frame)
            if which == 0 || scanner.current == UInt8(ascii: "n") {
                try scanner.skipValue(depth: 3)
            } else {
                try side(&scanner, which == 1)
            }
            scanner.skipWhitespace()
            if scanner.current == UInt8(ascii: ",") {
                scanner.index &+= 1
                continue
            }
            try scanner.expect(UInt8(ascii: "}"))
            return
        }
    }

    /// 1 for `bid`, 2 for `ask`, 0 otherwise.
    private static func sideName(_ key: FrameText, in frame: UnsafeRawBufferPointer) -> Int {
        key.withBytes(in: frame, maximumLength: 8) { bytes -> Int in
            guard bytes.count == 3, let p = bytes.baseAddress else { return 0 }
            if CryptofeedDecoder.same(p, "bid") { return 1 }
            if CryptofeedDecoder.same(p, "ask") { return 2 }
            return 0
        } ?? 0
    }

    /// A level's price or size: a number or a numeric string; anything else is an invalid level.
    @inline(__always)
    private static func levelNumber(
        _ scanner: inout JSONScanner, in frame: UnsafeRawBufferPointer
    ) throws(RejectionReason) -> Double {
        let scanned = try CryptofeedDecoder.scanNumber(&scanner, in: frame, asNanoseconds: false)
        guard scanned.presence == .present else { throw .invalidBookLevel }
        return scanned.value
    }

    /// The number a JSON string holds (an object key), NaN when it holds none.
    @inline(__always)
    private static func number(in text: FrameText, of frame: UnsafeRawBufferPointer) -> Double {
        text.withBytes(in: frame, maximumLength: 128) { bytes -> Double in
            guard let p = bytes.baseAddress, let number = DecimalNumber.parse(p, bytes.count) else { return .nan }
            return number.doubleValue(token: bytes)
        } ?? .nan
    }

    // MARK: - Fields

    @inline(__always)
    private static func required(_ field: CryptofeedDecoder.NumberField) throws(RejectionReason) -> Double {
        switch field.presence {
        case .present: return field.value
        case .absent: throw .missingField
        case .invalid: throw .invalidJSON
        }
    }

    @inline(__always)
    private static func required(_ field: CryptofeedDecoder.TimeField) throws(RejectionReason) -> Int64 {
        switch field.presence {
        case .present:
            guard let value = field.value else { throw .invalidTimestamp }
            return value
        case .absent: throw .missingField
        case .invalid: throw .invalidJSON
        }
    }

    private static func classify(_ key: FrameText, in frame: UnsafeRawBufferPointer) -> Field {
        if !key.isJSONEscaped, let base = frame.baseAddress, key.offset >= 0, key.offset &+ key.count <= frame.count {
            return classify(base + key.offset, key.count)
        }
        return key.withBytes(in: frame, maximumLength: 32) { bytes -> Field in
            guard let p = bytes.baseAddress else { return .other }
            return classify(p, bytes.count)
        } ?? .other
    }

    @inline(__always)
    private static func classify(_ p: UnsafeRawPointer, _ count: Int) -> Field {
        func same(_ literal: StaticString) -> Bool { CryptofeedDecoder.same(p, literal) }
        switch count {
        case 4:
            if same("book") { return .book }
            if same("rate") { return .rate }
            if same("side") { return .side }
            if same("stop") { return .stop }
        case 5:
            if same("delta") { return .delta }
            if same("price") { return .price }
            if same("start") { return .start }
            if same("close") { return .close }
        case 6:
            if same("symbol") { return .symbol }
            if same("volume") { return .volume }
            if same("closed") { return .closed }
        case 8:
            if same("exchange") { return .exchange }
            if same("quantity") { return .quantity }
        case 9:
            if same("timestamp") { return .timestamp }
        case 10:
            if same("mark_price") { return .markPrice }
        case 11:
            if same("index_price") { return .indexPrice }
        case 13:
            if same("open_interest") { return .openInterest }
        default:
            break
        }
        return .other
    }
}
