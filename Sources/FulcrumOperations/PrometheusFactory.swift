import Metrics
import Prometheus

/// The swift-metrics factory that writes Fulcrum's metrics into a Prometheus registry, with Fulcrum's naming and a
/// `# HELP` line for every family.
///
/// Every metric is created through an injected factory, never through the process-wide `MetricsSystem`: each
/// application owns its registry, so two applications in one process (the in-process test harness runs many)
/// count apart, and nothing is bootstrapped globally. swift-prometheus's own factory passes empty help text, which
/// `promtool check metrics` rejects; this one takes the text from ``MetricsName/help``.
///
/// Naming: dots become underscores and counters (``MetricsName/counters``) get `_total`. The grid-step latency
/// histograms get buckets from 10 µs to 1 s (a step costs microseconds to milliseconds; the library's default
/// buckets start at 5 ms).
public struct PrometheusFactory: MetricsFactory {
    /// Where the metrics are registered and from where `/metrics` renders them.
    public let registry: PrometheusCollectorRegistry

    /// A factory writing into `registry`.
    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    static let stepBuckets: [Duration] = [
        .microseconds(10), .microseconds(25), .microseconds(50), .microseconds(100), .microseconds(250),
        .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
    ]

    static let valueBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// The Prometheus name of a metric label: `fulcrum.ticks.rejected` → `fulcrum_ticks_rejected_total`.
    public static func prometheusName(_ label: String) -> String {
        let base = String(label.map { $0 == "." ? "_" : $0 })
        return MetricsName.counters.contains(label) ? base + "_total" : base
    }

    /// The family's name and `# HELP` text.
    static func descriptor(_ label: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: prometheusName(label), unitName: "",
                             helpText: MetricsName.help[label] ?? "Fulcrum metric \(label).")
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        registry.makeCounter(descriptor: Self.descriptor(label), labels: dimensions)
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)])
        -> any FloatingPointCounterHandler {
        registry.makeCounter(descriptor: Self.descriptor(label), labels: dimensions)
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard aggregate else { return registry.makeGauge(descriptor: Self.descriptor(label), labels: dimensions) }
        return registry.makeValueHistogram(descriptor: Self.descriptor(label), labels: dimensions,
                                           buckets: Self.valueBuckets)
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        registry.makeGauge(descriptor: Self.descriptor(label), labels: dimensions)
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        registry.makeDurationHistogram(descriptor: Self.descriptor(label), labels: dimensions,
                                       buckets: Self.stepBuckets)
    }

    public func destroyCounter(_ handler: any CounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    public func destroyRecorder(_ handler: any RecorderHandler) {
        if let gauge = handler as? Prometheus.Gauge { registry.unregisterGauge(gauge) }
        if let histogram = handler as? Histogram<Double> { registry.unregisterValueHistogram(histogram) }
    }

    public func destroyMeter(_ handler: any MeterHandler) {
        if let gauge = handler as? Prometheus.Gauge { registry.unregisterGauge(gauge) }
    }

    public func destroyTimer(_ handler: any TimerHandler) {
        if let histogram = handler as? Histogram<Duration> { registry.unregisterDurationHistogram(histogram) }
    }
}
