import DedicatedThreads
import Foundation
import FulcrumProtocol
import Logging
import SwiftProtobuf
import Synchronization
import ZeroMQ

/// Publishes risk parameters on a PUB socket and answers snapshot requests on a ROUTER socket.
///
/// Runs on one dedicated thread (``run(stop:)``) that owns both sockets. Updates arrive from the
/// engine through an ``UpdateOutbox``; each gets the next sequence number, is published in
/// protobuf (and JSON, if enabled) and stored for snapshots. Heartbeats go out every
/// ``PublisherConfiguration/heartbeatInterval`` whether or not updates flow.
///
/// The PUB side is an XPUB socket (wire-compatible with PUB for every SUB client) so that the
/// publisher sees its subscribers' prefixes: JSON renditions are rendered only while someone
/// subscribes to them, and after every protobuf update of a batch has left. Socket monitors count
/// connected subscribers and the peers refused in the CURVE handshake.
public final class RiskPublisher: Sendable {
    /// The configuration the publisher was created with.
    public let configuration: PublisherConfiguration
    /// Counters for metrics.
    public let statistics = PublisherStatistics()
    /// The in-process endpoint an ``UpdateOutbox`` connects to.
    public let inboxEndpoint: String
    private let context: ZMQContext
    private let logger: Logger
    private let bound = Mutex<(publish: String, snapshot: String)?>(nil)

    /// Creates a publisher; nothing is bound until ``run(stop:)``.
    public init(context: ZMQContext, configuration: PublisherConfiguration, logger: Logger,
                inboxEndpoint: String = "inproc://fulcrum-updates-\(UInt64.random(in: 0...UInt64.max))") {
        self.context = context
        self.configuration = configuration
        self.logger = logger
        self.inboxEndpoint = inboxEndpoint
    }

    /// The endpoints actually bound (ports resolved), once ``run(stop:)`` has bound them.
    public var boundEndpoints: (publish: String, snapshot: String)? { bound.withLock { $0 } }

    /// Binds the sockets and publishes until the outbox sends its end marker, or `stop` is set
    /// and a grace period passes. Blocks the calling thread: run it on a ``DedicatedThread``.
    public func run(stop: StopSignal, ready: (@Sendable () -> Void)? = nil) throws {
        var loop = try PublisherLoop(context: context, configuration: configuration, inboxEndpoint: inboxEndpoint,
                                     statistics: statistics, logger: logger)
        bound.withLock { $0 = (loop.publishEndpoint, loop.snapshotEndpoint) }
        logger.info("publishing", metadata: [
            "fulcrum.publish.endpoint": "\(loop.publishEndpoint)",
            "fulcrum.snapshot.endpoint": "\(loop.snapshotEndpoint)",
        ])
        ready?()
        try loop.run(stop: stop)
    }
}

/// The state and sockets of the publisher thread.
struct PublisherLoop {
    let configuration: PublisherConfiguration
    let statistics: PublisherStatistics
    let logger: Logger
    let publisher: Socket
    let snapshots: Socket
    let inbox: Socket
    let poller: Poller
    var connections: PublisherConnections
    var subscriptions = SubscriptionBook()
    /// Updates whose JSON renditions are still to send, after the current batch's protobuf updates.
    var pendingJSON: [(topic: [UInt8], payload: [UInt8], sequence: UInt64)] = []
    let publishEndpoint: String
    let snapshotEndpoint: String
    var cache = SnapshotCache()
    var sequence: UInt64 = 0
    var lastEventTime: Int64 = 0
    var riskTopics: Set<[UInt8]> = []
    let message = Message()

    init(context: ZMQContext, configuration: PublisherConfiguration, inboxEndpoint: String,
         statistics: PublisherStatistics, logger: Logger) throws {
        self.configuration = configuration
        self.statistics = statistics
        self.logger = logger
        inbox = try Socket(context: context, type: .pair)
        try inbox.setReceiveHighWaterMark(0)
        try inbox.bind(inboxEndpoint)
        publisher = try Socket(context: context, type: .xpub)
        try publisher.setXPubVerboser(true)
        try publisher.setSendHighWaterMark(configuration.sendHighWaterMark)
        try publisher.setLinger(milliseconds: configuration.lingerMilliseconds)
        snapshots = try Socket(context: context, type: .router)
        try snapshots.setLinger(milliseconds: configuration.lingerMilliseconds)
        try snapshots.setMaxMessageSize(Int64(SnapshotLimits.maxRequestBytes))
        try snapshots.setReceiveHighWaterMark(SnapshotLimits.queuedRequestsPerClient)
        try snapshots.setSendHighWaterMark(SnapshotLimits.clientBacklog)
        try snapshots.setRouterMandatory(true)
        if let curve = configuration.curve {
            try curve.apply(to: publisher)
            try curve.apply(to: snapshots)
        }
        try publisher.bind(configuration.publishEndpoint)
        try snapshots.bind(configuration.snapshotEndpoint)
        publishEndpoint = try publisher.lastEndpoint
        snapshotEndpoint = try snapshots.lastEndpoint
        connections = try PublisherConnections(publisher: publisher, snapshots: snapshots, statistics: statistics,
                                               logger: logger)
        poller = try Poller(readable: [inbox, snapshots, publisher] + connections.monitors.map(\.socket))
    }

    mutating func run(stop: StopSignal) throws {
        defer { closeAll() }
        let interval = configuration.heartbeatInterval
        var nextBeat = ContinuousClock.now
        var stopSeen: ContinuousClock.Instant?
        var streamEnded = false
        while true {
            let now = ContinuousClock.now
            if now >= nextBeat {
                try sendHeartbeat()
                nextBeat = now.advanced(by: interval)
            }
            if stop.isStopped, stopSeen == nil { stopSeen = now }
            // Normally the engine has ended the stream with its final update by the time the publisher is
            // asked to stop; if it has not, wait a little for it, not forever.
            if let stopSeen, streamEnded || now - stopSeen > .seconds(2) { return }
            let wait = max(0, min(100, (nextBeat - now).milliseconds))
            try poller.poll(timeoutMilliseconds: wait)
            // After the end marker the publisher keeps answering snapshots and beating until it is stopped.
            if poller.isReadable(0), try drainInbox() { streamEnded = true }
            if poller.isReadable(1) { try answerSnapshots() }
            if poller.isReadable(2) { try readSubscriptions() }
            if poller.isReadable(3) { try connections.drain(monitor: 0) }
            if poller.isReadable(4) { try connections.drain(monitor: 1) }
        }
    }

    /// Publishes everything the engine queued, protobuf first and the batch's JSON renditions after it;
    /// returns true at the end marker.
    mutating func drainInbox() throws -> Bool {
        defer { try? flushJSON() }
        while try inbox.receive(into: message, wait: false) {
            let topicBytes = message.array
            if topicBytes == UpdateOutbox.endMarker {
                try flushJSON()
                try sendHeartbeat()
                return true
            }
            guard message.hasMore else { continue }
            try inbox.receive(into: message)
            let payload = message.array
            guard message.hasMore else { continue }
            try inbox.receive(into: message)
            lastEventTime = Int64(bitPattern: SequenceFrame.decode(message.array) ?? 0)
            try publish(topic: topicBytes, payload: payload)
        }
        return false
    }

    mutating func publish(topic: [UInt8], payload: [UInt8]) throws {
        sequence += 1
        let sequenceFrame = SequenceFrame.encode(sequence)
        try publisher.send(multipart: [topic, payload, sequenceFrame], wait: false)
        if configuration.publishJSON, subscriptions.wantsJSON {
            pendingJSON.append((topic, payload, sequence))
        }
        cache.store(topic: topic, payload: payload, sequence: sequence)
        if topic.starts(with: Topic.riskPrefixBytes) { riskTopics.insert(topic) }
        statistics.updatesPublished.add(1, ordering: .relaxed)
        statistics.lastSequence.store(sequence, ordering: .relaxed)
    }

    /// Renders and sends the JSON renditions held back by ``publish(topic:payload:)``, for the topics some
    /// subscriber's prefix reaches.
    mutating func flushJSON() throws {
        defer { pendingJSON.removeAll(keepingCapacity: true) }
        for pending in pendingJSON {
            let topic = Topic.jsonPrefixBytes + pending.topic
            guard subscriptions.wants(topic: topic),
                  let json = PayloadRendering.json(topic: String(decoding: pending.topic, as: UTF8.self),
                                                   payload: pending.payload) else { continue }
            try publisher.send(multipart: [topic, json, SequenceFrame.encode(pending.sequence)], wait: false)
            statistics.jsonRendered.add(1, ordering: .relaxed)
        }
    }

    /// Applies the subscribers' (un)subscriptions the XPUB socket delivered.
    mutating func readSubscriptions() throws {
        while try publisher.receive(into: message, wait: false) {
            subscriptions.apply(message.bytes)
            while message.hasMore { try publisher.receive(into: message) }
        }
        statistics.subscriptions.store(subscriptions.total, ordering: .relaxed)
    }

    func heartbeat() -> Fulcrum_V1_Heartbeat {
        var beat = Fulcrum_V1_Heartbeat()
        beat.publisherEpoch = configuration.epoch
        beat.sequence = sequence
        beat.wallTimeNs = WallClock.now
        beat.eventTimeNs = lastEventTime
        beat.intervalMs = UInt32(configuration.heartbeatInterval.milliseconds)
        beat.symbols = UInt32(riskTopics.count)
        return beat
    }

    func sendHeartbeat() throws {
        let beat = heartbeat()
        let sequenceFrame = SequenceFrame.encode(sequence)
        try publisher.send(multipart: [Array(Topic.heartbeat.utf8), try beat.serializedBytes(), sequenceFrame],
                           wait: false)
        if configuration.publishJSON, subscriptions.wants(topic: Array((Topic.jsonPrefix + Topic.heartbeat).utf8)) {
            try publisher.send(multipart: [Array((Topic.jsonPrefix + Topic.heartbeat).utf8),
                                           try beat.jsonUTF8Bytes(options: PayloadRendering.jsonOptions),
                                           sequenceFrame], wait: false)
        }
        statistics.heartbeatsSent.add(1, ordering: .relaxed)
    }

    /// Answers queued snapshot requests (`[identity, SnapshotRequest]`), at most
    /// ``SnapshotLimits/requestsPerTurn`` of them: the rest wait for the next turn of the loop.
    mutating func answerSnapshots() throws {
        for _ in 0..<SnapshotLimits.requestsPerTurn {
            guard let frames = try snapshots.receiveMultipart(wait: false) else { return }
            guard frames.count == 2, let request = try? Fulcrum_V1_SnapshotRequest(serializedBytes: frames[1]) else {
                statistics.invalidSnapshotRequests.add(1, ordering: .relaxed)
                continue
            }
            if try reply(to: frames[0], request: request) {
                statistics.snapshotRequests.add(1, ordering: .relaxed)
            } else {
                statistics.snapshotRepliesDropped.add(1, ordering: .relaxed)
            }
        }
    }

    /// Sends one reply message to `identity`; false when the client's backlog is full or the client is gone.
    func send(to identity: [UInt8], _ frames: [[UInt8]]) throws -> Bool {
        do {
            return try snapshots.send(multipart: [identity] + frames, wait: false)
        } catch let error where error.code == .hostUnreachable {
            return false
        }
    }

    /// Sends the snapshot a request asks for; false, with the rest of the reply not sent, as soon as a message does
    /// not fit in the client's backlog (``SnapshotLimits/clientBacklog``): the client, missing `snapshot.end`, asks
    /// again on its snapshot timeout.
    func reply(to identity: [UInt8], request: Fulcrum_V1_SnapshotRequest) throws -> Bool {
        let json = request.encoding == .json
        let entries = cache.matching(prefix: Array(request.topicPrefix.utf8))
        for (topic, entry) in entries {
            let payload = json ? PayloadRendering.json(topic: String(decoding: topic, as: UTF8.self),
                                                       payload: entry.payload) ?? [] : entry.payload
            let name = json ? Topic.jsonPrefixBytes + topic : topic
            guard try send(to: identity, [name, payload, SequenceFrame.encode(entry.sequence)]) else { return false }
        }
        var end = Fulcrum_V1_SnapshotEnd()
        end.publisherEpoch = configuration.epoch
        end.sequence = sequence
        end.count = UInt32(entries.count)
        let endPayload: [UInt8] = json ? try end.jsonUTF8Bytes(options: PayloadRendering.jsonOptions) : try end.serializedBytes()
        let endTopic = json ? Topic.jsonPrefix + Topic.snapshotEnd : Topic.snapshotEnd
        return try send(to: identity, [Array(endTopic.utf8), endPayload, SequenceFrame.encode(sequence)])
    }

    func closeAll() {
        publisher.stopMonitor()
        snapshots.stopMonitor()
        connections.close()
        inbox.close()
        snapshots.close()
        publisher.close()
    }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1_000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
