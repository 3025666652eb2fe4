import MarketData

/// The harness of `ProtobufMarketDecoderFuzzer`, shared with the unit tests: one input is one serialized
/// `fulcrum.v1.MarketUpdate` (or `Tick`, on the same feed), checked twice.
///
/// 1. ``ProtobufMarketDecoder`` alone: it returns `nil` (not a market update), a message, or throws one of its
///    documented reasons; every text lies inside the input, every kept book level is a finite price > 0 with a
///    finite size ≥ 0.
/// 2. The Tick-or-MarketUpdate path of a protobuf feed (``TickIngestor``): a fresh ingestor first takes
///    ``snapshot`` (a valid two-level book of `SIM` `BTC-USD`, so that fuzzed deltas find a book to change), then the
///    input. The message is counted exactly once, an accepted tick has a finite price > 0, and every live book stays
///    well-formed: bids strictly descending, asks strictly ascending, at most `depth` levels a side, finite prices
///    > 0 with finite sizes > 0, and not crossed.
public enum MarketUpdateHarness {
    /// Exchange and receipt time of the snapshot and the input (the corpus's start time).
    public static let time = IngestScript.startTime

    /// The reasons ``ProtobufMarketDecoder`` documents.
    public static let decoderReasons: [RejectionReason] = [
        .truncatedProtobuf, .invalidProtobuf, .missingField, .invalidBookLevel,
    ]

    /// A `MarketUpdate` book snapshot of venue `SIM`, symbol `BTC-USD` at ``time``: bids 43,000 × 1 and
    /// 42,999 × 2, asks 43,001 × 1 and 43,002 × 2.
    public static let snapshot: [UInt8] = {
        func varint(_ value: UInt64) -> [UInt8] {
            var value = value
            var bytes: [UInt8] = []
            while value >= 0x80 {
                bytes.append(UInt8(value & 0x7f) | 0x80)
                value >>= 7
            }
            return bytes + [UInt8(value)]
        }
        func field(_ number: UInt64, _ bytes: [UInt8]) -> [UInt8] {
            varint(number << 3 | 2) + varint(UInt64(bytes.count)) + bytes
        }
        func double(_ number: UInt64, _ value: Double) -> [UInt8] {
            varint(number << 3 | 1) + withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) }
        }
        func level(_ price: Double, _ size: Double) -> [UInt8] { double(1, price) + double(2, size) }
        let book = varint(1 << 3) + varint(1)
            + field(2, level(43_000, 1)) + field(2, level(42_999, 2))
            + field(3, level(43_001, 1)) + field(3, level(43_002, 2))
        return field(1, Array("SIM".utf8)) + field(2, Array("BTC-USD".utf8)) + varint(8 << 3)
            + varint(UInt64(bitPattern: time)) + field(20, book)
    }()

    /// What one run found.
    public struct Report: Sendable {
        /// The decoder's own result: a message, `nil`, or the reason it threw.
        public var decoded: DecodedMarketMessage?
        /// The reason ``ProtobufMarketDecoder`` threw, if it did.
        public var decoderReason: RejectionReason?
        /// The ingestor's outcome for the input (after the snapshot).
        public var outcome: IngestOutcome = .ignored
        /// Broken invariants, empty when all hold.
        public var violations: [String] = []
    }

    /// Runs both checks on `input`.
    public static func run(_ input: UnsafeRawBufferPointer) -> Report {
        var report = Report()
        var levels = BookLevelBuffer()
        do {
            report.decoded = try ProtobufMarketDecoder().decode(input, levels: &levels)
            if let message = report.decoded {
                for text in [message.venue, message.symbol]
                where !(text.offset >= 0 && text.count >= 0 && text.count <= input.count - text.offset) {
                    report.violations.append("text \(text) outside a \(input.count)-byte message")
                }
            }
            for (price, size) in zip(levels.bidPrices + levels.askPrices, levels.bidSizes + levels.askSizes)
            where !(price.isFinite && price > 0 && size.isFinite && size >= 0) {
                report.violations.append("level \(price) × \(size) kept")
            }
        } catch {
            report.decoderReason = error
            if !decoderReasons.contains(error) { report.violations.append("undocumented reason \(error)") }
        }

        var ingestor = TickIngestor(configuration: IngestConfiguration(
            feeds: [FeedConfiguration(name: "protobuf")], books: BookConfiguration(depth: 4, maximumBooks: 4)))
        let topic = Array("md".utf8)
        let first = topic.withUnsafeBytes { topic in
            snapshot.withUnsafeBytes { ingestor.ingest(frameCount: 2, topic, $0, receiptTime: time) }
        }
        if case .market = first {} else { report.violations.append("the snapshot was not taken: \(first)") }
        report.outcome = topic.withUnsafeBytes { ingestor.ingest(frameCount: 2, $0, input, receiptTime: time) }
        let totals = ingestor.totals
        if totals.received != 2 || totals.accepted + totals.ignored + totals.rejected + totals.held != 2 {
            report.violations.append("counted \(totals.received) received, \(totals.accepted) accepted, "
                                     + "\(totals.ignored) ignored, \(totals.rejected) rejected, \(totals.held) held")
        }
        if let tick = report.outcome.acceptedTick, !(tick.price.isFinite && tick.price > 0) {
            report.violations.append("tick at \(tick.price) accepted")
        }
        checkBooks(ingestor.books, depth: 4, into: &report.violations)
        return report
    }

    /// Appends a violation for every live book that is not well-formed (see the type's documentation).
    public static func checkBooks(_ books: OrderBooks, depth: Int, into violations: inout [String]) {
        for slot in 0..<books.count where books.isLive(slot: slot) {
            func side(_ prices: UnsafeBufferPointer<Double>, _ sizes: UnsafeBufferPointer<Double>, descending: Bool,
                      _ name: String) {
                if prices.count > depth { violations.append("\(name) of slot \(slot): \(prices.count) levels") }
                for index in prices.indices {
                    let ordered = index == 0 || (descending ? prices[index] < prices[index - 1]
                                                            : prices[index] > prices[index - 1])
                    if !(prices[index].isFinite && prices[index] > 0 && sizes[index].isFinite && sizes[index] > 0
                         && ordered) {
                        violations.append("\(name) of slot \(slot), level \(index): \(prices[index]) × \(sizes[index])")
                    }
                }
            }
            books.withBids(slot: slot) { side($0, $1, descending: true, "bids") }
            books.withAsks(slot: slot) { side($0, $1, descending: false, "asks") }
            let top = books.top(slot: slot)
            if top.bid.isFinite, top.ask.isFinite, !(top.bid < top.ask) {
                violations.append("slot \(slot) crossed: \(top.bid) ≥ \(top.ask)")
            }
        }
    }
}
