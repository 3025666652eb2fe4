import ArgumentParser
import DedicatedThreads
import Foundation
import Logging
import ServiceLifecycle
import ZeroMQ

/// `fulcrum proxy`: joins the risk feeds of several Fulcrum shards into one endpoint with libzmq's own
/// XSUB/XPUB forwarder (`zmq_proxy`). Subscriptions travel upstream, so each shard only sends what someone
/// downstream subscribed to.
struct ProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: "Relay several Fulcrum publishers as one feed (ZeroMQ XSUB/XPUB proxy).",
        discussion: """
            The XSUB side binds --frontend (for publishers that connect) and connects to every --upstream \
            (Fulcrum shards, whose PUB sockets bind); the XPUB side binds --backend for subscribers. Every \
            update keeps its shard's sequence frame and publisher_epoch, so consumers track sequences per \
            epoch; snapshots come from each shard's own snapshot endpoint. See deploy/SCALING.md. \
            SIGTERM or SIGINT stop the proxy and exit 0.
            """
    )

    @Option(help: "Endpoint the XSUB side binds, for publishers that connect (e.g. tcp://*:7700).")
    var frontend: String?

    @Option(help: "A publisher endpoint the XSUB side connects to (repeatable), e.g. a shard's tcp://host:7601.")
    var upstream: [String] = []

    @Option(help: "Endpoint the XPUB side binds for subscribers (e.g. tcp://*:7701).")
    var backend: String

    @Option(help: "Per-subscriber queue in messages before the proxy drops for that subscriber (0: unlimited).")
    var sendHighWaterMark: Int = 100_000

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard frontend != nil || !upstream.isEmpty else {
            throw ValidationError("give --frontend, at least one --upstream, or both")
        }
        if let frontend { try EndpointArgument.check(frontend, name: "--frontend", binding: true) }
        for endpoint in upstream { try EndpointArgument.check(endpoint, name: "--upstream", binding: false) }
        try EndpointArgument.check(backend, name: "--backend", binding: true)
        guard sendHighWaterMark >= 0 else { throw ValidationError("--send-high-water-mark must be ≥ 0") }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "fulcrum.proxy")
        let service = ProxyService(context: try ZMQContext(ioThreads: 1), frontend: frontend, upstreams: upstream,
                                   backend: backend, sendHighWaterMark: sendHighWaterMark, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [service], gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger))
        try await group.run()
        logger.info("proxy stopped")
    }
}

/// The forwarder as a lifecycle service: sockets live on one dedicated thread that blocks in `zmq_proxy`;
/// graceful shutdown sends `TERMINATE` on the proxy's control socket.
struct ProxyService: Service {
    let context: ZMQContext
    let frontend: String?
    let upstreams: [String]
    let backend: String
    let sendHighWaterMark: Int
    let logger: Logger
    let controlEndpoint = "inproc://fulcrum-proxy-control-\(UInt64.random(in: 0...UInt64.max))"

    func run() async throws {
        try await DedicatedService.run(name: "fulcrum-proxy", wake: { terminate() }) { _ in try relay() }
    }

    /// Binds and connects the sockets and forwards until terminated. Runs on the proxy thread.
    func relay() throws {
        let xsub = try Socket(context: context, type: .xsub)
        let xpub = try Socket(context: context, type: .xpub)
        let control = try Socket(context: context, type: .pair)
        defer {
            xsub.close()
            xpub.close()
            control.close()
        }
        for socket in [xsub, xpub, control] { try socket.setLinger(milliseconds: 0) }
        try xpub.setSendHighWaterMark(sendHighWaterMark)
        try xsub.setReceiveHighWaterMark(sendHighWaterMark)
        try control.bind(controlEndpoint)
        if let frontend { try xsub.bind(frontend) }
        for endpoint in upstreams { try xsub.connect(endpoint) }
        try xpub.bind(backend)
        logger.info("proxy running", metadata: [
            "fulcrum.proxy.frontend": "\(frontend.map { (try? xsub.lastEndpoint) ?? $0 } ?? "-")",
            "fulcrum.proxy.upstreams": "\(upstreams.joined(separator: ","))",
            "fulcrum.proxy.backend": "\((try? xpub.lastEndpoint) ?? backend)",
        ])
        try Proxy.run(frontend: xsub, backend: xpub, control: control)
    }

    /// Tells the proxy thread to return, through a socket of its own. May wait up to a second for the proxy's
    /// control socket, so it runs on a thread of its own (``DedicatedService``), never on the cooperative pool.
    func terminate() {
        guard let socket = try? Socket(context: context, type: .pair) else { return }
        defer { socket.close() }
        try? socket.setLinger(milliseconds: 0)
        try? socket.setSendTimeout(milliseconds: 1_000)
        try? socket.connect(controlEndpoint)
        _ = try? socket.send(Array("TERMINATE".utf8))
    }
}
