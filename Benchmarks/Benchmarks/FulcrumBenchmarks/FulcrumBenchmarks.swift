import Benchmark
import MarginModel
import MarketData
import RiskEstimation

// Micro-benchmarks of the hot path, one group per stage of the pipeline:
// - tick decode (both encodings), alone and as the full ingest step (decode, validate, intern, filter);
// - grid step (estimation) at N = 10, 100, 1,000 assets;
// - optimizer step (every asset's margins after a grid step) at N = 100, 1,000;
// - publish encode (RiskParameters protobuf and the publisher's JSON rendition).
// Throughput is per inner iteration (one tick, one step, one message); `mallocCountTotal` must stay 0 for the
// per-tick benchmarks once warmed up (the thresholds below make `swift package benchmark` fail otherwise).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .throughput, .mallocCountTotal, .instructions],
        warmupIterations: 3,
        scalingFactor: .one,
        maxDuration: .seconds(2),
        maxIterations: 100_000
    )
    let perTick = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .throughput, .mallocCountTotal, .instructions],
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        thresholds: [.mallocCountTotal: .init(absolute: [.p100: 0])]
    )
    registerTickBenchmarks(configuration: perTick)
    registerGridBenchmarks()
    registerPublishBenchmarks()
}
