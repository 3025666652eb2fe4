import Foundation
import FulcrumEngine
import Prometheus

/// What the operations endpoint answers, independent of the HTTP server: each route is a function from the
/// current state to a status, a content type and a body.
public struct HTTPEndpoints: Sendable {
    /// One answer.
    public struct Reply: Sendable {
        /// HTTP status code.
        public var status: Int
        /// `Content-Type` header.
        public var contentType: String
        /// Body bytes.
        public var body: [UInt8]
    }

    /// The settings of the endpoint.
    public let settings: HTTPSettings
    /// The engine's observable state.
    public let status: EngineStatus
    /// Metrics derived from it.
    public let collector: MetricsCollector
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    /// Publisher counters and other optional sources.
    public let sources: MetricsCollector.Sources
    /// The shutdown deadline, whose start makes `/ready` fail.
    public let shutdown: ShutdownDeadline?
    /// The last hour of σ, IMF and MMF per asset, recorded at every observation, for the dashboard's sparklines.
    public let history: ParameterHistory
    /// The last hour of the protocol's at-risk figures, recorded at every observation with a health message.
    public let healthHistory = HealthHistory()

    /// Creates the endpoints.
    public init(settings: HTTPSettings, status: EngineStatus, collector: MetricsCollector,
                registry: PrometheusCollectorRegistry, sources: MetricsCollector.Sources,
                shutdown: ShutdownDeadline?) {
        self.settings = settings
        self.status = status
        self.collector = collector
        self.registry = registry
        self.sources = sources
        self.shutdown = shutdown
        history = ParameterHistory(symbolLimit: settings.symbolMetricsLimit)
    }

    /// Refreshes the metrics from the engine and publisher, readiness included; the sampler calls it between
    /// requests.
    @discardableResult
    public func observe() -> MetricsObservation {
        let observation = collector.refresh(snapshot: status.snapshot, sources: sources)
        collector.recordReadiness(readiness(observation).ok)
        history.record(observation.snapshot)
        if let message = observation.health?.message { healthHistory.record(message) }
        return observation
    }

    /// `GET /metrics`: Prometheus text exposition format 0.0.4.
    public func metrics() -> Reply {
        observe()
        return Reply(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8",
                     body: registry.emitToBuffer())
    }

    /// `GET /health`: 200 while the process is live, 503 otherwise; the body says why.
    public func health() -> Reply {
        let result = HTTPHealth.liveness(observe(), settings: settings)
        return json(result, status: result.ok ? 200 : 503)
    }

    /// `GET /ready`: 200 once warm-up is done and feeds are fresh, 503 otherwise; the body says why.
    public func ready() -> Reply {
        let result = readiness(observe())
        return json(result, status: result.ok ? 200 : 503)
    }

    /// `GET /parameters`: the current state as JSON (``HTTPParametersDocument``).
    public func parameters() -> Reply {
        let observation = observe()
        let document = HTTPParametersDocument(observation: observation, readiness: readiness(observation),
                                              feedNames: collector.feedNames,
                                              correlationLimit: settings.correlationLimit, history: history,
                                              healthHistory: healthHistory)
        return json(document, status: 200)
    }

    /// `GET /`: the dashboard.
    public func dashboard() -> Reply {
        Reply(status: 200, contentType: "text/html; charset=utf-8",
              body: Array(DashboardPage.html(refreshMilliseconds: settings.dashboardRefreshMilliseconds).utf8))
    }

    func readiness(_ observation: MetricsObservation) -> HTTPHealth {
        HTTPHealth.readiness(observation, settings: settings, feedNames: collector.feedNames,
                             shuttingDown: shutdown?.isShuttingDown ?? false)
    }

    func json<Body: Encodable>(_ body: Body, status: Int) -> Reply {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = (try? encoder.encode(body)).map { Array($0) } ?? Array("{}".utf8)
        return Reply(status: status, contentType: "application/json", body: bytes)
    }
}
