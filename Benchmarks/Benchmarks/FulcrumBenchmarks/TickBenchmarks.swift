import Benchmark
import MarketData

/// Tick decode alone and the whole ingest step, 100 symbols round-robin, per tick.
func registerTickBenchmarks(configuration: Benchmark.Configuration) {
    for encoding in [FeedEncoding.fulcrumProtobuf, .cryptofeed] {
        let name = encoding == .fulcrumProtobuf ? "protobuf" : "cryptofeed"
        let decodeFrames = TickFrames(encoding: encoding, symbols: 100)
        let protobuf = ProtobufTickDecoder()
        let cryptofeed = CryptofeedDecoder()
        Benchmark("Tick decode (\(name))", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                decodeFrames.nextTick { first, second in
                    if encoding == .fulcrumProtobuf {
                        blackHole(try? protobuf.decode(second))
                    } else {
                        blackHole(try? cryptofeed.decode(first))
                    }
                }
            }
        }

        let ingestFrames = TickFrames(encoding: encoding, symbols: 100)
        var validation = ValidationConfiguration()
        validation.maximumAge = Int64.max / 4
        validation.maximumFutureSkew = Int64.max / 4
        let feed = FeedConfiguration(name: "bench", encoding: encoding)
        let ingestor = Box(TickIngestor(configuration: IngestConfiguration(feeds: [feed], validation: validation)))
        let frameCount = encoding.frameCount
        // Warm-up outside the measurement: every symbol, venue and stream seen once.
        for _ in 0..<1_000 { ingestFrames.ingest(into: ingestor, frameCount: frameCount) }
        Benchmark("Tick ingest (\(name)): decode, validate, intern, filter", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations { ingestFrames.ingest(into: ingestor, frameCount: frameCount) }
        }
    }
}

/// A mutable value shared by a benchmark closure and its warm-up.
final class Box<Value> {
    var value: Value

    init(_ value: Value) { self.value = value }
}

extension TickFrames {
    @inline(__always)
    func ingest(into ingestor: Box<TickIngestor>, frameCount: Int) {
        let receipt = time
        nextTick { first, second in
            let outcome = ingestor.value.ingest(frameCount: frameCount, first, second, receiptTime: receipt)
            precondition(outcome.acceptedTick != nil, "benchmark tick rejected: \(outcome)")
        }
    }
}
