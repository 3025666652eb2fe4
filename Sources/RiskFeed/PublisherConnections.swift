import Logging
import ZeroMQ

/// Watches the publisher's sockets through libzmq socket monitors: counts connected subscribers and
/// every peer refused during the security handshake, and logs refusals at most once per interval.
///
/// Runs on the publisher thread, which owns the monitored sockets and polls the monitors with them.
struct PublisherConnections {
    /// The monitor of the PUB socket (subscribers) and of the snapshot socket.
    let monitors: [SocketMonitor]
    let statistics: PublisherStatistics
    let logger: Logger
    private var refusedSinceLog: [String: UInt64] = [:]
    private var lastLog: ContinuousClock.Instant?
    static let logInterval: Duration = .seconds(10)

    init(publisher: Socket, snapshots: Socket, statistics: PublisherStatistics, logger: Logger) throws {
        monitors = [try publisher.startMonitor(), try snapshots.startMonitor()]
        self.statistics = statistics
        self.logger = logger
    }

    /// Handles every queued event of monitor `index` (0: PUB, 1: snapshot).
    mutating func drain(monitor index: Int, now: ContinuousClock.Instant = .now) throws {
        while let event = try monitors[index].next() { handle(event, onPublisher: index == 0) }
        logRefusals(now: now)
    }

    mutating func handle(_ event: SocketEvent, onPublisher: Bool) {
        switch event.kind {
        case .accepted where onPublisher:
            statistics.subscribers.add(1, ordering: .relaxed)
        case .disconnected where onPublisher:
            statistics.subscribers.subtract(1, ordering: .relaxed)
        case .handshakeFailedProtocol, .handshakeFailedAuth, .handshakeFailedNoDetail:
            let reason = Self.refusal(event)
            statistics.recordRefusal(reason)
            refusedSinceLog[reason.rawValue, default: 0] += 1
        default:
            break
        }
    }

    /// Classifies a failed handshake.
    static func refusal(_ event: SocketEvent) -> PublisherStatistics.Refusal {
        switch event.kind {
        case .handshakeFailedAuth: return .notAllowed
        case .handshakeFailedProtocol where event.value == SocketEvent.ProtocolError.mechanismMismatch: return .plain
        case .handshakeFailedProtocol where event.value == SocketEvent.ProtocolError.cryptographic: return .wrongKey
        default: return .other
        }
    }

    mutating func logRefusals(now: ContinuousClock.Instant) {
        guard !refusedSinceLog.isEmpty else { return }
        if let lastLog, now - lastLog < Self.logInterval { return }
        let counts = refusedSinceLog.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        logger.warning("peers refused in the security handshake", metadata: [
            "fulcrum.refused": "\(counts.joined(separator: ","))",
        ])
        refusedSinceLog.removeAll()
        lastLog = now
    }

    func close() {
        for monitor in monitors { monitor.close() }
    }
}
