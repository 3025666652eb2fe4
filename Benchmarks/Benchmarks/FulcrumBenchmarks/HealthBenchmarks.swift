import Benchmark
import HealthWorkload
import ProtocolHealth

/// Protocol health at 1,000,000 positions over 100 markets: one grid step's aggregates, and 1,000 FHS stress
/// cascades (preparing the cascade included, as the service does once per step).
///
/// The workload (≈ 10 s to build) is made in each benchmark's `setup`, which runs only in the process that runs
/// that benchmark: built in the registration closure instead, it was built in every benchmark's process — the
/// listing process and each of the other benchmarks' — before anything was measured, which is why runs of the
/// harness with these benchmarks printed nothing for minutes. `fulcrum-health-bench` (scripts/bench/health.sh)
/// measures the same with the before-code baseline and bit-for-bit checks.
func registerHealthBenchmarks() {
    let configuration = Benchmark.Configuration(metrics: [.wallClock, .cpuTotal, .peakMemoryResident],
                                                warmupIterations: 1, maxDuration: .seconds(10),
                                                maxIterations: 20)
    Benchmark("Health aggregates, 1,000,000 positions, 100 markets", configuration: configuration) { _, workload in
        blackHole(HealthEvaluator.evaluate(book: workload.book, layout: workload.layout,
                                           markets: workload.markets))
    } setup: {
        try HealthWorkload(positions: 1_000_000, markets: 100)
    }
    Benchmark("Stress, 1,000 FHS cascades, 1,000,000 positions", configuration: configuration) { _, input in
        blackHole(try? StressReport(cascade: LiquidationCascade(book: input.workload.book,
                                                                markets: input.workload.markets),
                                    scenarios: input.scenarios, insuranceFund: 1e7))
    } setup: {
        let workload = try HealthWorkload(positions: 1_000_000, markets: 100)
        return (workload: workload, scenarios: try workload.scenarios(count: 1_000, seed: 7))
    }
}
