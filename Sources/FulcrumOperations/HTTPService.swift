import FulcrumSettings
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// The operations HTTP endpoint as a lifecycle service (Hummingbird): `/` (dashboard), `/metrics`, `/health`,
/// `/ready`, `/parameters`, plus the ``MetricsSampler``.
///
/// Added to the service group before the publisher and the engine, it stops after them, so the final metrics can
/// still be scraped while they finish; `/ready` fails as soon as the shutdown begins.
public final class HTTPService: Service, Sendable {
    /// What the routes answer.
    public let endpoints: HTTPEndpoints
    let logger: Logger
    private let bound = Atomic<Int>(-1)

    /// Creates the service; it listens when run.
    public init(endpoints: HTTPEndpoints, logger: Logger) {
        self.endpoints = endpoints
        self.logger = logger
    }

    /// The port actually listened on once running (useful with port 0), else `nil`.
    public var boundPort: Int? {
        let port = bound.load(ordering: .acquiring)
        return port >= 0 ? port : nil
    }

    /// Listens and answers until graceful shutdown; fails with a ``ConfigurationError`` naming `http.address`
    /// when it cannot listen.
    public func run() async throws {
        let settings = endpoints.settings
        let router = Router()
        let endpoints = self.endpoints
        router.get("/") { _, _ in Self.response(endpoints.dashboard()) }
        router.get("/metrics") { _, _ in Self.response(endpoints.metrics()) }
        router.get("/health") { _, _ in Self.response(endpoints.health()) }
        router.get("/ready") { _, _ in Self.response(endpoints.ready()) }
        router.get("/parameters") { _, _ in Self.response(endpoints.parameters()) }
        let sampler = MetricsSampler(endpoints: endpoints, interval: settings.sampleInterval)
        let logger = self.logger
        let application = Application(
            router: router,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "fulcrum"),
            services: [sampler],
            onServerRunning: { [self] channel in
                let port = channel.localAddress?.port ?? settings.port
                bound.store(port, ordering: .releasing)
                logger.info("http listening", metadata: [
                    "fulcrum.http.address": "\(settings.host):\(port)",
                ])
            },
            logger: logger
        )
        do {
            try await application.run()
        } catch where boundPort == nil {
            // Never listened: say which setting to change rather than only the socket error.
            throw ConfigurationError(key: "http.address", value: settings.address,
                                     allowed: "a free HOST:PORT (port 0 picks one; FULCRUM__HTTP__ADDRESS overrides)",
                                     message: "cannot listen: \(error)")
        }
    }

    static func response(_ reply: HTTPEndpoints.Reply) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = reply.contentType
        headers[.cacheControl] = "no-store"
        return Response(status: .init(code: reply.status), headers: headers,
                        body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}
