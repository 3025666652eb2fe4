import Benchmark
import MarginModel
import MarketData
import RiskEstimation

// Micro-benchmarks of the hot path, one group per stage of the pipeline:
// - tick decode (both encodings), alone and as the full ingest step (decode, validate, intern, filter);
// - grid step (estimation) at N = 10, 100, 1,000 assets;
// - optimizer step (every asset's margins after a grid step) at N = 100, 1,000;
// - publish encode (RiskParameters protobuf and the publisher's JSON rendition);
// - protocol health: aggregates over 1,000,000 positions, and 1,000 stress cascades.
// Per-tick benchmarks run 1,000 ticks per iteration (`scalingFactor: .kilo`), so their times are per tick; the
// others time one step or one message per iteration. `mallocCountTotal` must stay 0 for the per-tick benchmarks
// once warmed up: `swift package benchmark thresholds check` fails otherwise.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .throughput, .mallocCountTotal],
        warmupIterations: 3,
        scalingFactor: .one,
        maxDuration: .seconds(2),
        maxIterations: 100_000
    )
    let perTick = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .throughput, .mallocCountTotal],
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        thresholds: [.mallocCountTotal: .init(absolute: [.p100: 0])]
    )
    registerTickBenchmarks(configuration: perTick)
    registerGridBenchmarks()
    registerPublishBenchmarks()
    registerHealthBenchmarks()
}
