import FulcrumSettings
import ZeroMQ

/// Where and how Fulcrum publishes risk parameters.
///
/// `Codable` as the `publisher` section of a configuration file: every setting under its own name, durations in
/// nanoseconds. ``curve`` and ``epoch`` are decided at run time (from key files and the start time) and are not
/// coded.
public struct PublisherConfiguration: Sendable, Codable {
    /// Endpoint the PUB socket binds; consumers connect their SUB here. Allowed: `tcp://`, `ipc://` or `inproc://`
    /// and an address.
    public var publishEndpoint: String = "tcp://127.0.0.1:7601"
    /// Endpoint the snapshot ROUTER binds; consumers connect a DEALER here (Clone pattern). Allowed: as
    /// ``publishEndpoint``.
    public var snapshotEndpoint: String = "tcp://127.0.0.1:7602"
    /// Heartbeat period; consumers declare the publisher dead after a few missed beats. Coded in nanoseconds.
    /// Allowed: 1 ms … 1 s.
    @NanosecondDuration public var heartbeatInterval: Duration = .milliseconds(500)
    /// Per-subscriber outbound queue in messages. A subscriber that falls this far behind loses
    /// messages (PUB drops, it never blocks), detects the gap by sequence and resyncs by snapshot.
    /// Allowed: ≥ 0 (0: unlimited).
    public var sendHighWaterMark: Int = 10_000
    /// Also publish every message as JSON under the `json.` topic prefix.
    public var publishJSON: Bool = true
    /// How long unsent messages may delay shutdown, in milliseconds. Allowed: ≥ 0 (ZeroMQ's −1, wait forever, is
    /// refused: shutdown must be bounded).
    public var lingerMilliseconds: Int = 1_000
    /// CURVE server settings; `nil` publishes in the clear. Set at run time, not coded.
    public var curve: CurveServerOptions?
    /// Identifies this publisher's lifetime; a consumer that sees it change must resync. Set at run time, not coded.
    public var epoch: UInt64 = 0

    /// A configuration with every default.
    public init() {}

    /// The coded settings: everything but the run-time ``curve`` and ``epoch``.
    enum CodingKeys: String, CodingKey {
        case publishEndpoint, snapshotEndpoint, heartbeatInterval, sendHighWaterMark, publishJSON, lingerMilliseconds
    }
}

/// CURVE settings for a socket Fulcrum binds.
public struct CurveServerOptions: Sendable {
    /// The server's secret key (its public key is what clients pin).
    public var secretKey: CurveKey
    /// The ZAP domain the authentication handler sees for this socket.
    public var zapDomain: String

    /// Creates CURVE server settings.
    public init(secretKey: CurveKey, zapDomain: String = "fulcrum") {
        self.secretKey = secretKey
        self.zapDomain = zapDomain
    }

    /// Applies the options to a socket before it binds.
    public func apply(to socket: Socket) throws(ZMQError) {
        try socket.setZAPDomain(zapDomain)
        try socket.setCurveServer(secretKey: secretKey)
    }
}
