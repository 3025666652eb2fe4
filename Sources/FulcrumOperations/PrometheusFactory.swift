import Metrics
import Prometheus

/// The swift-metrics factory that writes Fulcrum's metrics into a Prometheus registry.
///
/// Every metric is created through an injected factory, never through the process-wide `MetricsSystem`: each
/// application owns its registry, so two applications in one process (the in-process test harness runs many)
/// count apart, and nothing is bootstrapped globally.
public enum PrometheusFactory {
    /// A swift-metrics factory writing into `registry` with Fulcrum's Prometheus naming: dots become
    /// underscores, counters (``MetricsName/counters``) get `_total`, and the grid-step latency histograms get
    /// buckets from 10 µs to 1 s (a step costs microseconds to milliseconds; the library's default buckets start
    /// at 5 ms).
    public static func factory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in
            (prometheusName(name), labels)
        }
        let stepBuckets: [Duration] = [
            .microseconds(10), .microseconds(25), .microseconds(50), .microseconds(100), .microseconds(250),
            .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
        ]
        for label in [MetricsName.gridStepLatency, MetricsName.estimatorStepLatency, MetricsName.optimizerStepLatency] {
            factory.durationHistogramBuckets[prometheusName(label)] = stepBuckets
        }
        return factory
    }

    /// The Prometheus name of a metric label: `fulcrum.ticks.rejected` → `fulcrum_ticks_rejected_total`.
    public static func prometheusName(_ label: String) -> String {
        let base = String(label.map { $0 == "." ? "_" : $0 })
        return MetricsName.counters.contains(label) ? base + "_total" : base
    }
}
