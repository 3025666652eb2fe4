import DedicatedThreads
import FulcrumProtocol
import Synchronization
import ZeroMQ

/// A consumer of Fulcrum's risk feed: subscribes, takes a snapshot, applies updates in
/// sequence, resyncs on gaps and restarts, and watches heartbeats.
///
/// ```swift
/// let client = try RiskFeedClient(configuration: .init(publishEndpoint: pub, snapshotEndpoint: snap))
/// async let _ = client.run()
/// for await event in client.events { ... }      // or read `client.state` at any time
/// ```
/// Sockets live on one dedicated thread started by ``run()``; `events` and `state` may be used
/// from anywhere.
public final class RiskFeedClient: Sendable {
    /// The configuration the client was created with.
    public let configuration: RiskFeedClientConfiguration
    /// Everything that happens, in order. Buffers the newest 100,000 events if not consumed.
    public let events: AsyncStream<RiskFeedEvent>
    let continuation: AsyncStream<RiskFeedEvent>.Continuation
    let stateBox = Mutex(RiskFeedState())
    let stopSignal = StopSignal()
    let context: ZMQContext

    /// Creates a client; nothing connects until ``run()``.
    public init(configuration: RiskFeedClientConfiguration, context: ZMQContext? = nil) throws(ZMQError) {
        self.configuration = configuration
        if let context { self.context = context } else { self.context = try ZMQContext() }
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(100_000))
    }

    /// A copy of the current state.
    public var state: RiskFeedState { stateBox.withLock { $0 } }

    /// Connects and follows the feed until ``stop()``, task cancellation or, inside a `ServiceGroup`, graceful
    /// shutdown.
    public func run() async throws {
        try await DedicatedService.run(name: "fulcrum-feed-client", stop: stopSignal) { [self] _ in
            defer { continuation.finish() }
            var loop = try ClientLoop(client: self)
            try loop.run()
        }
    }

    /// Stops the client's thread within about 100 ms.
    public func stop() { stopSignal.stop() }
}
