import ZeroMQ

/// How a consumer connects to a Fulcrum publisher.
public struct RiskFeedClientConfiguration: Sendable {
    /// Fulcrum's PUB endpoint.
    public var publishEndpoint: String
    /// Fulcrum's snapshot ROUTER endpoint.
    public var snapshotEndpoint: String
    /// Silence (no heartbeat, no update) after which the publisher is reported dead and the state stale.
    public var deadAfter: Duration = .seconds(3)
    /// How long to wait for a complete snapshot reply before asking again on a fresh socket (`snapshot_timeout`).
    public var snapshotTimeout: Duration = .seconds(2)
    /// Most updates queued while a snapshot is in flight; one more abandons the attempt and asks again
    /// (`backlog_overflow`).
    public var maxQueuedUpdates: Int = 100_000
    /// Receive queue of the SUB socket, in messages.
    public var receiveHighWaterMark: Int = 100_000
    /// CURVE client settings; `nil` for a publisher in the clear.
    public var curve: CurveClientOptions?

    /// Creates a configuration for a publisher at the given endpoints.
    public init(publishEndpoint: String, snapshotEndpoint: String) {
        self.publishEndpoint = publishEndpoint
        self.snapshotEndpoint = snapshotEndpoint
    }
}

/// CURVE settings for a socket that connects to Fulcrum.
public struct CurveClientOptions: Sendable {
    /// Fulcrum's public key, pinned: a server without the matching secret key gets no connection.
    public var serverKey: CurveKey
    /// This client's key pair; its public key must be on Fulcrum's allow-list.
    public var keyPair: CurveKeyPair

    /// Creates CURVE client settings.
    public init(serverKey: CurveKey, keyPair: CurveKeyPair) {
        self.serverKey = serverKey
        self.keyPair = keyPair
    }
}
