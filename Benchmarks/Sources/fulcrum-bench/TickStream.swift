import Foundation

/// The synthetic market of the benchmark: `symbols` instruments on one venue, ticking round-robin, with
/// `ticksPerEventSecond` ticks per second of event time.
///
/// Tick `i` belongs to event second `k = i / ticksPerEventSecond` and has exchange time
/// `base + k·1 s + (i mod ticksPerEventSecond)·(1 s / ticksPerEventSecond)`, so the grid closes one interval
/// every `ticksPerEventSecond` ticks whatever the wall-clock send rate: the first tick of each event second
/// closes the interval before it. Prices follow independent log-normal random walks (σ = 1e-4 per tick) from
/// a seeded generator, so runs are repeatable.
struct TickStream {
    enum Encoding: String {
        /// `[tick.BENCH.<SYMBOL>, fulcrum.v1.Tick]`.
        case protobuf
        /// One frame as cryptofeed's TradeZMQ backend writes it.
        case cryptofeed
        /// Order books of the protobuf feed (`[md.BENCH.<SYMBOL>, fulcrum.v1.MarketUpdate]`) with one
        /// `fulcrum.v1.Tick` trade per symbol per event second (see `TickStream+Books.swift`).
        case protobufBook = "protobuf-book"
        /// The same as cryptofeed's BookZMQ and TradeZMQ write them.
        case cryptofeedBook = "cryptofeed-book"

        /// Whether the stream is mostly book deltas.
        var isBook: Bool { self == .protobufBook || self == .cryptofeedBook }
        /// The encoding of the stream's trades.
        var trades: Encoding { self == .protobufBook ? .protobuf : self == .cryptofeedBook ? .cryptofeed : self }
    }

    let encoding: Encoding
    let symbols: [String]
    let ticksPerEventSecond: Int
    let base: Int64
    private var logPrices: [Double]
    private var sequences: [UInt64]
    private var random = SplitMix64(seed: 0x5EED_F00D)
    /// Book messages sent so far per symbol (the first is its snapshot).
    var bookRounds: [Int]
    /// Book levels written since the last ``takeBookLevels()``.
    var bookLevels = 0

    init(encoding: Encoding, symbols: Int, ticksPerEventSecond: Int, base: Int64) {
        self.encoding = encoding
        self.symbols = (0..<symbols).map { index in
            let digits = String(index)
            let padded = String(repeating: "0", count: max(0, 3 - digits.count)) + digits
            return encoding.trades == .protobuf ? "SYM\(padded)" : "S\(padded)-USD"
        }
        self.ticksPerEventSecond = ticksPerEventSecond
        self.base = base
        logPrices = (0..<symbols).map { log(10.0 + 7.0 * Double($0)) }
        sequences = Array(repeating: 0, count: symbols)
        bookRounds = Array(repeating: 0, count: symbols)
    }

    /// Exchange time of tick `index`, in nanoseconds since the Unix epoch.
    func exchangeTime(of index: Int) -> Int64 {
        let second = Int64(index / ticksPerEventSecond)
        let within = Int64(index % ticksPerEventSecond)
        return base + second * 1_000_000_000 + within * (1_000_000_000 / Int64(ticksPerEventSecond))
    }

    /// The grid boundary tick `index` closes, or nil when it does not open a new event second.
    func closedBoundary(by index: Int) -> Int64? {
        index > 0 && index % ticksPerEventSecond == 0 ? exchangeTime(of: index) : nil
    }

    /// Appends tick `index` (which must follow the previous one appended) to `arena`.
    mutating func append(_ index: Int, to arena: inout MessageArena) {
        if encoding.isBook, index % ticksPerEventSecond >= symbols.count {
            appendBook(index, to: &arena)
            return
        }
        let asset = index % symbols.count
        logPrices[asset] += 1e-4 * random.nextGaussian()
        sequences[asset] += 1
        let price = (exp(logPrices[asset]) * 100).rounded() / 100
        let time = exchangeTime(of: index)
        switch encoding.trades {
        case .protobuf, .protobufBook:
            arena.append(ascii: "tick.BENCH.")
            arena.append(ascii: symbols[asset])
            arena.endFrame()
            arena.appendField(1, ascii: "BENCH")
            arena.appendField(2, ascii: symbols[asset])
            arena.appendField(3, double: price)
            arena.appendField(6, double: 0.25)
            arena.appendField(7, varint: index & 1 == 0 ? 1 : 2)
            arena.appendField(8, varint: UInt64(time))
            arena.appendField(10, varint: sequences[asset])
            arena.endFrame()
            arena.endMessage()
        case .cryptofeed, .cryptofeedBook:
            // cryptofeed's Trade.to_dict(numeric_type=float) plus receipt_timestamp, as json.dumps writes it.
            arena.append(ascii: "BENCH-trades-\(symbols[asset]) {\"exchange\": \"BENCH\", \"symbol\": \"")
            arena.append(ascii: symbols[asset])
            arena.append(ascii: "\", \"side\": \"")
            arena.append(ascii: index & 1 == 0 ? "buy" : "sell")
            arena.append(ascii: "\", \"amount\": 0.25, \"price\": ")
            arena.append(fixed: price, decimals: 2)
            arena.append(ascii: ", \"id\": \"")
            arena.append(unsigned: sequences[asset])
            arena.append(ascii: "\", \"type\": null, \"timestamp\": ")
            arena.append(seconds: time)
            arena.append(ascii: ", \"receipt_timestamp\": ")
            arena.append(seconds: time)
            arena.append(ascii: "}")
            arena.endFrame()
            arena.endMessage()
        }
    }
}

/// Deterministic 64-bit generator (SplitMix64) with Box–Muller normals.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A standard normal draw: √(−2 ln u₁)·cos(2π u₂) with u₁ ∈ (0, 1].
    mutating func nextGaussian() -> Double {
        let u1 = (Double(next() >> 11) + 1) / 9_007_199_254_740_992
        let u2 = Double(next() >> 11) / 9_007_199_254_740_992
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
