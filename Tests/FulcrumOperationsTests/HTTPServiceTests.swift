import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import FulcrumService
import FulcrumSettings
import FulcrumTestSupport
import Logging
import MarginModel
import Prometheus
import ServiceLifecycle
import Testing
@testable import FulcrumEngine
@testable import FulcrumOperations

/// One HTTP GET over a real socket.
func httpGet(_ url: String, session: URLSession) async throws -> (status: Int, contentType: String, body: Data) {
    let (body, response) = try await session.data(from: try #require(URL(string: url)))
    let http = try #require(response as? HTTPURLResponse)
    return (http.statusCode, http.value(forHTTPHeaderField: "Content-Type") ?? "", body)
}

@Suite("HTTP endpoint over real sockets", .serialized, .timeLimit(.minutes(2)))
struct HTTPServiceTests {
    @Test("Dashboard, metrics, health, readiness and parameters answer real HTTP requests")
    func routes() async throws {
        var settings = HTTPSettings()
        settings.address = "127.0.0.1:0"
        let registry = PrometheusCollectorRegistry()
        let collector = MetricsCollector(feedNames: ["test"], factory: PrometheusFactory(registry: registry))
        let status = EngineStatus()
        let engine = try MetricsCollectorTests.runEngine(steps: 12, garbage: 1, start: MetricsCollectorTests.start)
        status.publish(engine)
        let logger = Logger(label: "test")
        let deadline = ShutdownDeadline(timeout: .seconds(60), logger: logger, onExpiry: {})
        let endpoints = HTTPEndpoints(settings: settings, status: status, collector: collector, registry: registry,
                                      sources: .init(), shutdown: deadline)
        let service = HTTPService(endpoints: endpoints, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        let session = URLSession(configuration: .ephemeral)
        defer { session.invalidateAndCancel() }

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let start = ContinuousClock.now
            while service.boundPort == nil, ContinuousClock.now - start < .seconds(20) {
                try await Task.sleep(for: .milliseconds(10))
            }
            let port = try #require(service.boundPort, "the server never started")
            let base = "http://127.0.0.1:\(port)"

            let health = try await httpGet(base + "/health", session: session)
            #expect(health.status == 200)
            #expect(try JSONDecoder().decode(HTTPHealth.self, from: health.body).ok)

            let ready = try await httpGet(base + "/ready", session: session)
            let readiness = try JSONDecoder().decode(HTTPHealth.self, from: ready.body)
            #expect(ready.status == 200, "not ready: \(readiness.reasons)")

            let metrics = try await httpGet(base + "/metrics", session: session)
            #expect(metrics.status == 200)
            #expect(metrics.contentType.hasPrefix("text/plain; version=0.0.4"))
            let samples = PrometheusSamples(String(decoding: metrics.body, as: UTF8.self))
            #expect(samples.value("fulcrum_ticks_received_total", ["feed": "test"])
                    == Double(engine.ingestor.totals.received))
            let truncated = ["feed": "test", "reason": "truncated_protobuf"]
            #expect(samples.value("fulcrum_ticks_rejected_total", truncated) == 1)

            let parameters = try await httpGet(base + "/parameters", session: session)
            #expect(parameters.contentType == "application/json")
            let document = try JSONDecoder().decode(HTTPParametersDocument.self, from: parameters.body)
            #expect(document.assets.map(\.symbol) == engine.symbols)
            #expect(document.gridSteps == engine.stepsRun)
            #expect(document.epoch == 7)
            for (index, asset) in document.assets.enumerated() {
                let latest = try #require(engine.latest[index])
                #expect(try #require(asset.imf).isApproximatelyEqual(to: latest.published.initialMarginFraction,
                                                                     relativeTolerance: 1e-9))
                #expect(try #require(asset.mmfTarget).isApproximatelyEqual(to: latest.target.maintenanceMarginFraction,
                                                                           relativeTolerance: 1e-9))
                #expect(asset.maxLeverage == latest.published.maxLeverage)
                #expect(asset.status == latest.status.rawValue)
                #expect(try #require(asset.price).isApproximatelyEqual(to: engine.prices[index],
                                                                       relativeTolerance: 1e-9))
            }
            #expect(document.correlation.count == 2 && document.correlation.allSatisfy { $0.count == 2 })
            let diagonal = try #require(document.correlation[0][0])
            #expect(diagonal.isApproximatelyEqual(to: 1, relativeTolerance: 1e-9))
            #expect(document.feeds.map(\.name) == ["test"])

            let page = try await httpGet(base + "/", session: session)
            #expect(page.status == 200)
            #expect(page.contentType.hasPrefix("text/html"))
            #expect(String(decoding: page.body, as: UTF8.self).contains("<title>Fulcrum"))

            let missing = try await httpGet(base + "/nothing-here", session: session)
            #expect(missing.status == 404)

            deadline.begin()
            deadline.disarm()
            let stopping = try await httpGet(base + "/ready", session: session)
            #expect(stopping.status == 503)
            #expect(try JSONDecoder().decode(HTTPHealth.self, from: stopping.body).reasons.contains("shutting down"))

            session.invalidateAndCancel()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test("An address already in use fails the service with an error naming http.address")
    func addressInUse() async throws {
        func service(_ address: String) -> HTTPService {
            var settings = HTTPSettings()
            settings.address = address
            let registry = PrometheusCollectorRegistry()
            let endpoints = HTTPEndpoints(
                settings: settings, status: EngineStatus(),
                collector: MetricsCollector(feedNames: [], factory: PrometheusFactory(registry: registry)),
                registry: registry, sources: .init(), shutdown: nil)
            return HTTPService(endpoints: endpoints, logger: Logger(label: "test"))
        }
        let first = service("127.0.0.1:0")
        let group = ServiceGroup(configuration: .init(services: [first], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let start = ContinuousClock.now
            while first.boundPort == nil, ContinuousClock.now - start < .seconds(20) {
                try await Task.sleep(for: .milliseconds(10))
            }
            let port = try #require(first.boundPort)
            let error = await #expect(throws: ConfigurationError.self) {
                try await service("127.0.0.1:\(port)").run()
            }
            #expect(error?.key == "http.address")
            #expect(error?.value == "127.0.0.1:\(port)")
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
