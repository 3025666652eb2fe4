import Metrics
import RiskFeed

extension MetricsCollector {
    /// The publisher's connection and security metrics: subscriptions held, peers refused in the handshake by
    /// reason, and the ZAP handler's decisions. Counters advance by what the atomics moved since the last refresh.
    struct ConnectionMetrics {
        let factory: any MetricsFactory
        let subscriptions: Gauge
        let refused: [(reason: PublisherStatistics.Refusal, counter: Counter)]
        var seenRefused: [UInt64]
        var zap: (accepted: Counter, denied: Counter)?
        var seenZap: (accepted: UInt64, denied: UInt64) = (0, 0)

        init(factory: any MetricsFactory) {
            self.factory = factory
            subscriptions = Gauge(label: MetricsName.subscriptions, factory: factory)
            refused = PublisherStatistics.Refusal.allCases.map { reason in
                (reason, Counter(label: MetricsName.handshakesRefused, dimensions: [("reason", reason.rawValue)],
                                 factory: factory))
            }
            seenRefused = Array(repeating: 0, count: refused.count)
        }

        mutating func update(publisher: PublisherStatistics?, security: (accepted: UInt64, denied: UInt64)?) {
            if let publisher {
                subscriptions.record(publisher.subscriptions.load(ordering: .relaxed))
                for (index, entry) in refused.enumerated() {
                    _ = State.advance(entry.counter, from: &seenRefused[index], to: publisher.refused(entry.reason))
                }
            }
            if let security {
                let counters = zap ?? (
                    Counter(label: MetricsName.zapDecisions, dimensions: [("result", "accepted")], factory: factory),
                    Counter(label: MetricsName.zapDecisions, dimensions: [("result", "denied")], factory: factory))
                zap = counters
                _ = State.advance(counters.accepted, from: &seenZap.accepted, to: security.accepted)
                _ = State.advance(counters.denied, from: &seenZap.denied, to: security.denied)
            }
        }
    }
}
