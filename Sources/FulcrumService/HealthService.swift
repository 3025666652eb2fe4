import DedicatedThreads
import Foundation
import FulcrumEngine
import FulcrumProtocol
import Logging
import MarginModel
import MarketSimulator
import ProtocolHealth
import RiskFeed
import ServiceLifecycle
import Synchronization
import ZeroMQ

/// Protocol health as a lifecycle service: on a thread of its own (a stress run is seconds of CPU at scale,
/// never for the cooperative pool), every ``HealthSettings/interval`` after a new grid step it values the
/// position book at the engine's latest parameters, runs the stress cascades (on that thread and
/// ``HealthSettings/stressThreads`` − 1 more plain threads) and publishes the result on its PUB socket: `health`
/// (protobuf `fulcrum.v1.ProtocolHealth`) and `json.health`.
public struct HealthService: Service {
    let settings: HealthSettings
    let source: HealthPositionSource
    let status: EngineStatus
    let context: ZMQContext
    let curve: CurveServerOptions?
    let logger: Logger
    /// The latest message published, for the process's own readers.
    public let latest: HealthLatest
    /// The margin model's settings (IMF caps and leverage steps, for health-constrained margins).
    let model: MarginModelConfiguration
    /// Where health-constrained margins are handed to the engine, when they are on.
    let constraint: HealthConstraint?

    /// Creates the service over the positions of `source`; sockets open when it runs.
    public init(settings: HealthSettings, source: HealthPositionSource, status: EngineStatus, context: ZMQContext,
                curve: CurveServerOptions?, logger: Logger, latest: HealthLatest = HealthLatest(),
                model: MarginModelConfiguration = MarginModelConfiguration(), constraint: HealthConstraint? = nil) {
        self.model = model
        self.constraint = constraint
        self.settings = settings
        self.source = source
        self.status = status
        self.context = context
        self.curve = curve
        self.logger = logger
        self.latest = latest
    }

    public func run() async throws {
        try await DedicatedService.run(name: "fulcrum-health") { [self] stop in try loop(until: stop) }
    }

    func loop(until stop: StopSignal) throws {
        let socket = bind()
        defer { socket?.close() }
        var positions = try PositionInput(source: source, context: context, logger: logger)
        let monitor = HealthMonitor(settings: settings, symbols: source.symbols, model: model, constraint: constraint)
        var lastSteps: UInt64?
        var next = ContinuousClock.now
        var published: UInt64 = 0
        status.requestResidualRows()
        while !stop.isStopped {
            try positions.pump(milliseconds: 50)
            latest.storePositions(positions.counters, malformed: positions.malformed)
            guard ContinuousClock.now >= next, let book = positions.book else { continue }
            let snapshot = status.snapshot
            guard snapshot.stepsRun > 0, snapshot.stepsRun != lastSteps else { continue }
            let started = ContinuousClock.now
            do {
                guard var message = try monitor.evaluate(snapshot, book: book) else { continue }
                let elapsed = ContinuousClock.now - started
                message.computeNs = UInt64(elapsed.components.seconds) * 1_000_000_000
                    + UInt64(elapsed.components.attoseconds / 1_000_000_000)
                published += 1
                try publish(message, sequence: published, on: socket)
                latest.store(message)
            } catch {
                logger.error("protocol health failed", metadata: ["fulcrum.error": "\(error)"])
            }
            // Fresh residual rows for the next computation (copied by the engine at its next step).
            status.requestResidualRows()
            lastSteps = snapshot.stepsRun
            next = started + settings.interval
        }
    }

    /// The PUB socket, or `nil` (logged) when it cannot bind: health is an extra output, and a port in use must
    /// not take the risk feed down with it.
    private func bind() -> Socket? {
        do {
            let socket = try Socket(context: context, type: .pub)
            try socket.setLinger(milliseconds: 0)
            if let curve { try curve.apply(to: socket) }
            try socket.bind(settings.publishEndpoint)
            logger.info("publishing protocol health", metadata: [
                "fulcrum.health.endpoint": "\(settings.publishEndpoint)",
                "fulcrum.health.markets": "\(source.symbols.joined(separator: ","))",
            ])
            return socket
        } catch {
            logger.error("protocol health is not published: its socket did not bind", metadata: [
                "fulcrum.health.endpoint": "\(settings.publishEndpoint)", "fulcrum.error": "\(error)",
            ])
            return nil
        }
    }

    /// Three frames as on the risk feed: topic, payload, and the number of this health message (its own count,
    /// from 1 at start), so that a consumer sees one it missed.
    private func publish(_ message: Fulcrum_V1_ProtocolHealth, sequence: UInt64, on socket: Socket?) throws {
        guard let socket else { return }
        let payload: [UInt8] = try message.serializedBytes()
        let number = SequenceFrame.encode(sequence)
        _ = try socket.send(multipart: [Array(Topic.health.utf8), payload, number], wait: false)
        let json: [UInt8] = try message.jsonUTF8Bytes(options: PayloadRendering.jsonOptions)
        _ = try socket.send(multipart: [Array((Topic.jsonPrefix + Topic.health).utf8), json, number], wait: false)
    }
}

/// The latest health message and position-feed counters, shared with readers on other threads.
public final class HealthLatest: Sendable {
    private let box = Mutex<Fulcrum_V1_ProtocolHealth?>(nil)
    private let feed = Mutex<(counters: PositionSynchronizer.Counters?, malformed: [String: UInt64])>((nil, [:]))

    /// Creates an empty holder.
    public init() {}

    /// The latest message, if one was computed.
    public var message: Fulcrum_V1_ProtocolHealth? { box.withLock { $0 } }
    /// The position feed's counters (nil with a fixed book).
    public var positionCounters: PositionSynchronizer.Counters? { feed.withLock { $0.counters } }
    /// Position-source frames that could not be read, by kind (`update`, `snapshot`).
    public var malformedPositionFrames: [String: UInt64] { feed.withLock { $0.malformed } }

    func store(_ message: Fulcrum_V1_ProtocolHealth) { box.withLock { $0 = message } }

    func storePositions(_ counters: PositionSynchronizer.Counters?, malformed: [String: UInt64]) {
        feed.withLock { $0 = (counters, malformed) }
    }
}
