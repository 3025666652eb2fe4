import ServiceLifecycle

/// Refreshes metrics, feed freshness and the rate-limited problem log once per sample interval, so they move
/// between scrapes and readiness notices a silent feed even when nobody asks. Runs on the concurrency pool: a
/// refresh only copies a snapshot and updates counters, it never blocks.
public struct MetricsSampler: Service {
    let endpoints: HTTPEndpoints
    let interval: Duration

    /// Creates a sampler refreshing `endpoints` every `interval`.
    public init(endpoints: HTTPEndpoints, interval: Duration) {
        self.endpoints = endpoints
        self.interval = interval
    }

    /// Refreshes every interval until graceful shutdown.
    public func run() async throws {
        let endpoints = self.endpoints
        let interval = self.interval
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    endpoints.observe()
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            // Graceful shutdown: the sampler's work is done.
        }
    }
}
