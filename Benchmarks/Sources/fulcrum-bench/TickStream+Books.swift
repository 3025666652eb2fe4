/// The book shape: top-20 order books of every symbol on venue BENCH, updated by deltas of two levels (one bid,
/// one ask), with one trade per symbol per event second so that the grid keeps stepping.
///
/// In each event second the first `symbols` messages are the trades (the first closes the interval before it);
/// the others are book messages, round-robin over the symbols. A symbol's first book message is its snapshot:
/// 20 levels a side at mid·(1 ∓ (k + 1)·10⁻⁴), sizes 1 … 20. After it, round r touches level k = ⌊r/2⌋ mod 20
/// on both sides: odd rounds remove it (size 0), even rounds put it back with a new size, so the book keeps its
/// depth and is never crossed, and every delta is applied (two book-level updates per message).
extension TickStream {
    /// Levels per side of a snapshot.
    static let bookDepth = 20

    /// Appends book message `index` (not a trade position) to `arena`.
    mutating func appendBook(_ index: Int, to arena: inout MessageArena) {
        let perSecondBooks = ticksPerEventSecond - symbols.count
        let second = index / ticksPerEventSecond
        let asset = (second * perSecondBooks + index % ticksPerEventSecond - symbols.count) % symbols.count
        let round = bookRounds[asset]
        bookRounds[asset] += 1
        let mid = 10.0 + 7.0 * Double(asset)
        func price(_ level: Int, bid: Bool) -> Double {
            let raw = mid * (1 + (bid ? -1.0 : 1.0) * Double(level + 1) * 1e-4)
            return (raw * 10_000).rounded() / 10_000
        }
        var bids: [(Double, Double)] = []
        var asks: [(Double, Double)] = []
        if round == 0 {
            for level in 0..<Self.bookDepth {
                bids.append((price(level, bid: true), Double(level + 1)))
                asks.append((price(level, bid: false), Double(level + 1)))
            }
        } else {
            let level = (round / 2) % Self.bookDepth
            let size = round % 2 == 1 ? 0 : Double(1 + round % 7) * 0.5
            bids.append((price(level, bid: true), size))
            asks.append((price(level, bid: false), size))
        }
        bookLevels += bids.count + asks.count
        let time = exchangeTime(of: index)
        let symbol = symbols[asset]
        switch encoding {
        case .protobufBook:
            arena.append(ascii: "md.BENCH.")
            arena.append(ascii: symbol)
            arena.endFrame()
            arena.appendField(1, ascii: "BENCH")
            arena.appendField(2, ascii: symbol)
            arena.appendField(8, varint: UInt64(time))
            var book = MessageArena(reservingMessages: 1, bytesPerMessage: 64 + 40 * (bids.count + asks.count))
            if round == 0 { book.appendField(1, varint: 1) }
            for (field, levels) in [(UInt64(2), bids), (UInt64(3), asks)] {
                for (price, size) in levels {
                    var level = MessageArena(reservingMessages: 1, bytesPerMessage: 18)
                    level.appendField(1, double: price)
                    level.appendField(2, double: size)
                    book.appendField(field, bytes: level.bytes)
                }
            }
            arena.appendField(20, bytes: book.bytes)
            arena.endFrame()
            arena.endMessage()
        default:
            // cryptofeed's BookZMQ: `book` (price keys as strings) for the snapshot, `delta` lists for updates.
            arena.append(ascii: "BENCH-book-\(symbol) {\"exchange\": \"BENCH\", \"symbol\": \"\(symbol)\", ")
            if round == 0 {
                arena.append(ascii: "\"book\": {\"bid\": {")
                for (offset, (price, size)) in bids.enumerated() {
                    arena.append(ascii: offset == 0 ? "\"" : ", \"")
                    arena.append(fixed: price, decimals: 4)
                    arena.append(ascii: "\": ")
                    arena.append(fixed: size, decimals: 1)
                }
                arena.append(ascii: "}, \"ask\": {")
                for (offset, (price, size)) in asks.enumerated() {
                    arena.append(ascii: offset == 0 ? "\"" : ", \"")
                    arena.append(fixed: price, decimals: 4)
                    arena.append(ascii: "\": ")
                    arena.append(fixed: size, decimals: 1)
                }
                arena.append(ascii: "}}")
            } else {
                arena.append(ascii: "\"delta\": {\"bid\": [[")
                arena.append(fixed: bids[0].0, decimals: 4)
                arena.append(ascii: ", ")
                arena.append(fixed: bids[0].1, decimals: 1)
                arena.append(ascii: "]], \"ask\": [[")
                arena.append(fixed: asks[0].0, decimals: 4)
                arena.append(ascii: ", ")
                arena.append(fixed: asks[0].1, decimals: 1)
                arena.append(ascii: "]]}")
            }
            arena.append(ascii: ", \"timestamp\": ")
            arena.append(seconds: time)
            arena.append(ascii: ", \"receipt_timestamp\": ")
            arena.append(seconds: time)
            arena.append(ascii: "}")
            arena.endFrame()
            arena.endMessage()
        }
    }

    /// The book levels written since the last call.
    mutating func takeBookLevels() -> Int {
        defer { bookLevels = 0 }
        return bookLevels
    }
}
