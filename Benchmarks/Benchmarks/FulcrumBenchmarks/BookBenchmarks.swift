import Benchmark
import MarketData

/// Book ingest: cryptofeed `BookZMQ` delta frames (two level updates each, one bid and one ask, sizes changing and
/// the worst levels removed and re-added) for top-20 books of 100 symbols, round-robin, through the whole ingest
/// step (decode, validate, intern, apply to the book). Per message: the level-update rate is twice the message rate.
func registerBookBenchmarks(configuration: Benchmark.Configuration) {
    let symbols = 100
    let depth = 20
    let timestamp = "1700000000.5"
    var frames: [[UInt8]] = []
    var snapshots: [[UInt8]] = []
    for s in 0..<symbols {
        var bids: [String] = []
        var asks: [String] = []
        for k in 0..<depth {
            bids.append("\"\(100.0 - 0.01 * Double(k + 1))\":\(1 + k)")
            asks.append("\"\(100.0 + 0.01 * Double(k + 1))\":\(1 + k)")
        }
        snapshots.append(Array(("BENCH-book-S\(s)-USD {\"exchange\":\"BENCH\",\"symbol\":\"S\(s)-USD\",\"book\":{\"bid\":{"
            + bids.joined(separator: ",") + "},\"ask\":{" + asks.joined(separator: ",")
            + "}},\"timestamp\":\(timestamp),\"receipt_timestamp\":\(timestamp)}").utf8))
    }
    for i in 0..<(symbols * 50) {
        let s = i % symbols
        let k = (i / symbols) % depth
        // Every 25th update of a symbol removes its worst level on both sides; the next one puts it back.
        let round = i / symbols
        let size: Double = round % 25 == 0 ? 0 : Double(1 + (round % 7)) * 0.5
        let level = round % 25 == 0 || round % 25 == 1 ? depth - 1 : k
        let bid = 100.0 - 0.01 * Double(level + 1)
        let ask = 100.0 + 0.01 * Double(level + 1)
        let restored = round % 25 == 1 ? Double(depth) : size
        frames.append(Array(("BENCH-book-S\(s)-USD {\"exchange\":\"BENCH\",\"symbol\":\"S\(s)-USD\",\"delta\":{"
            + "\"bid\":[[\(bid),\(restored)]],\"ask\":[[\(ask),\(restored)]]},\"timestamp\":\(timestamp),"
            + "\"receipt_timestamp\":\(timestamp)}").utf8))
    }
    var validation = ValidationConfiguration()
    validation.maximumAge = Int64.max / 4
    validation.maximumFutureSkew = Int64.max / 4
    let feed = FeedConfiguration(name: "bench", encoding: .cryptofeed)
    let ingestor = Box(TickIngestor(configuration: IngestConfiguration(feeds: [feed], validation: validation)))
    let receipt: Int64 = 1_700_000_000_500_000_000
    for snapshot in snapshots {
        let outcome = snapshot.withUnsafeBytes { ingestor.value.ingest(frameCount: 1, $0, receiptTime: receipt) }
        precondition(outcome.rejectionReason == nil, "benchmark snapshot rejected: \(outcome)")
    }
    let cursor = Box(0)
    // Warm-up outside the measurement: every frame once.
    for frame in frames {
        _ = frame.withUnsafeBytes { ingestor.value.ingest(frameCount: 1, $0, receiptTime: receipt) }
    }
    Benchmark("Book ingest (cryptofeed deltas, 2 levels each, top-20, 100 symbols)",
              configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let frame = frames[cursor.value]
            cursor.value = cursor.value + 1 == frames.count ? 0 : cursor.value + 1
            let outcome = frame.withUnsafeBytes { ingestor.value.ingest(frameCount: 1, $0, receiptTime: receipt) }
            precondition(outcome.rejectionReason == nil, "benchmark delta rejected: \(outcome)")
        }
    }
}
