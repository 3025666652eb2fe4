import Metrics
import Prometheus
import Synchronization

/// The process's Prometheus registry and the swift-metrics factory that writes into it.
///
/// ``bootstrapOnce()`` installs the factory as the process-wide `MetricsSystem` backend the first time it is
/// called (the application calls it; libraries never do) and returns the same registry on every later call, so
/// building a second application in one process neither crashes nor splits the metrics.
public enum MetricsBootstrap {
    private static let shared = Mutex<PrometheusCollectorRegistry?>(nil)

    /// Bootstraps `MetricsSystem` with a Prometheus factory on first use; returns the process's registry.
    public static func bootstrapOnce() -> PrometheusCollectorRegistry {
        shared.withLock { registry in
            if let registry { return registry }
            let created = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(factory(registry: created))
            registry = created
            return created
        }
    }

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
