import Synchronization
import ZeroMQ

/// CURVE authentication counters for observers (metrics, health): how many client handshakes Fulcrum's ZAP
/// handler admitted and refused. Zero while CURVE is off.
public final class SecurityStatus: Sendable {
    private let handler = Mutex<ZAPHandler?>(nil)

    /// A status with nothing attached.
    public init() {}

    /// Attaches the running handler whose counters this status reports.
    func attach(_ handler: ZAPHandler) {
        self.handler.withLock { $0 = handler }
    }

    /// Whether CURVE is on (a handler is attached).
    public var isEnabled: Bool { handler.withLock { $0 != nil } }

    /// Client handshakes admitted (`fulcrum.security.accepted`).
    public var accepted: UInt64 { handler.withLock { $0?.accepted.load(ordering: .relaxed) ?? 0 } }

    /// Client handshakes refused: unknown key, other mechanism offered to ZAP, other domain
    /// (`fulcrum.security.denied`).
    public var denied: UInt64 { handler.withLock { $0?.denied.load(ordering: .relaxed) ?? 0 } }
}
