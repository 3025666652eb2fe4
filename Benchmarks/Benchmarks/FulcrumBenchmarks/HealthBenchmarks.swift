import Benchmark
import HealthWorkload
import ProtocolHealth

/// Protocol health at 1,000,000 positions over 100 markets: one grid step's aggregates, and 1,000 FHS stress
/// cascades (preparing the cascade included, as the service does once per step).
///
/// Why runs of these printed nothing before: `swift package benchmark` prints its table only once every selected
/// benchmark has finished, and the stress benchmark took about 77 minutes per iteration with the cascade of the
/// time (4.6 s per scenario at this size, measured by `fulcrum-health-bench`), so a warm-up and one iteration
/// outlasted the session; and `--filter` must match a whole name (`"Health.*"`, not `"Health"`). The stress
/// benchmark now runs no warm-up and takes a couple of minutes; the workload (≈ 4 s to build) is made in each
/// benchmark's `setup`, which runs only in that benchmark's own process, not in every process the harness starts
/// (the listing one included). `fulcrum-health-bench` (scripts/bench/health.sh) measures the same with the code
/// before as baseline and bit-for-bit checks.
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
    var stressConfiguration = configuration
    stressConfiguration.warmupIterations = 0
    stressConfiguration.maxIterations = 3
    Benchmark("Stress, 1,000 FHS cascades, 1,000,000 positions", configuration: stressConfiguration) { _, input in
        blackHole(try? StressReport(cascade: LiquidationCascade(book: input.workload.book,
                                                                markets: input.workload.markets),
                                    scenarios: input.scenarios, insuranceFund: 1e7))
    } setup: {
        let workload = try HealthWorkload(positions: 1_000_000, markets: 100)
        return (workload: workload, scenarios: try workload.scenarios(count: 1_000, seed: 7))
    }
}
