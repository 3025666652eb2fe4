import Foundation
import Logging
import MarketData
import RiskFeed
import ServiceLifecycle
import ZeroMQ

/// The ingest thread as a lifecycle service: receives from every feed socket, runs the
/// ``RiskEngine`` inline and hands updates to the publisher thread.
///
/// On graceful shutdown it stops intake, republishes every asset's latest parameters as the
/// final update, tells the publisher the stream ended, and closes its sockets.
public struct EngineService: Service {
    let configuration: FulcrumConfiguration
    let context: ZMQContext
    let outboxEndpoint: String
    let epoch: UInt64
    let logger: Logger
    let status: EngineStatus

    /// Creates the service; sockets open when it runs.
    public init(configuration: FulcrumConfiguration, context: ZMQContext, outboxEndpoint: String, epoch: UInt64,
                status: EngineStatus, logger: Logger) {
        self.configuration = configuration
        self.context = context
        self.outboxEndpoint = outboxEndpoint
        self.epoch = epoch
        self.status = status
        self.logger = logger
    }

    public func run() async throws {
        try await DedicatedService.run(name: "fulcrum-engine") { [self] stop in
            var loop = try IngestLoop(engine: try RiskEngine(configuration: configuration, epoch: epoch), service: self)
            try loop.run(until: stop)
        }
    }
}

/// The sockets and the engine of the ingest thread.
struct IngestLoop {
    var engine: RiskEngine
    let service: EngineService
    let feeds: [Socket]
    let poller: Poller
    let outbox: UpdateOutbox
    let first = Message()
    let second = Message()
    let extra = Message()
    var published: UInt64 = 0

    init(engine: RiskEngine, service: EngineService) throws {
        self.engine = engine
        self.service = service
        var sockets: [Socket] = []
        for feed in service.configuration.ingest.feeds {
            sockets.append(try Self.openFeed(feed, context: service.context, logger: service.logger))
        }
        feeds = sockets
        poller = try Poller(readable: sockets)
        outbox = try UpdateOutbox(context: service.context, endpoint: service.outboxEndpoint)
    }

    static func openFeed(_ feed: FeedConfiguration, context: ZMQContext, logger: Logger) throws -> Socket {
        let socket = try Socket(context: context, type: .sub)
        try socket.setLinger(milliseconds: 0)
        try socket.setReceiveHighWaterMark(1_000_000)
        try socket.setMaxMessageSize(Int64(feed.maxMessageSize))
        if feed.topicPrefixes.isEmpty { try socket.subscribe("") }
        for prefix in feed.topicPrefixes { try socket.subscribe(prefix) }
        if feed.bind { try socket.bind(feed.endpoint) } else { try socket.connect(feed.endpoint) }
        logger.info("feed open", metadata: [
            "fulcrum.feed": "\(feed.name)", "fulcrum.feed.endpoint": "\(feed.endpoint)",
            "fulcrum.feed.encoding": "\(feed.encoding.rawValue)", "fulcrum.feed.bind": "\(feed.bind)",
        ])
        return socket
    }

    mutating func run(until stop: StopSignal) throws {
        defer {
            for socket in feeds { socket.close() }
            outbox.close()
        }
        while !stop.isStopped {
            var received = 0
            for index in feeds.indices { received += try drain(feed: index, limit: 4_096) }
            if received == 0 {
                service.status.publish(engine)
                try poller.poll(timeoutMilliseconds: 100)
            }
        }
        try finish()
    }

    /// Receives and processes up to `limit` messages from one feed without blocking.
    mutating func drain(feed index: Int, limit: Int) throws -> Int {
        let socket = feeds[index]
        var count = 0
        while count < limit, try socket.receive(into: first, wait: false) {
            count += 1
            var frames = 1
            if first.hasMore {
                try socket.receive(into: second)
                frames = 2
                var more = second.hasMore
                while more {
                    try socket.receive(into: extra)
                    frames += 1
                    more = extra.hasMore
                }
            }
            let secondBytes = frames >= 2 ? second.bytes : UnsafeRawBufferPointer(start: nil, count: 0)
            let outbox = self.outbox
            var sent = 0
            let receiptTime = WallClock.now
            let stepsBefore = engine.stepsRun
            try engine.ingest(feed: index, frameCount: frames, first.bytes, secondBytes, receiptTime: receiptTime) {
                try outbox.send(topic: $0.topic, payload: $0.payload, eventTime: $0.eventTime)
                sent += 1
            }
            if engine.stepsRun != stepsBefore {
                service.status.recordSteps(engine.stepsRun &- stepsBefore, nanoseconds: WallClock.now &- receiptTime)
            }
            if sent > 0 {
                published += UInt64(sent)
                service.status.publish(engine)
            }
        }
        return count
    }

    /// The final update: every asset's latest parameters, then the end of the stream.
    mutating func finish() throws {
        let outbox = self.outbox
        try engine.republishAll { try outbox.send(topic: $0.topic, payload: $0.payload, eventTime: $0.eventTime) }
        try outbox.finish()
        service.status.publish(engine)
        let totals = engine.ingestor.totals
        let rejected = RejectionReason.allCases.filter { totals[$0] > 0 }.map { "\($0.metricName)=\(totals[$0])" }
        service.logger.info("engine stopped", metadata: [
            "fulcrum.ticks.received": "\(totals.received)",
            "fulcrum.ticks.accepted": "\(totals.accepted)",
            "fulcrum.ticks.rejected": "\(rejected.joined(separator: ","))",
            "fulcrum.grid.steps": "\(engine.stepsRun)",
        ])
    }
}

/// Wall-clock time for receipt timestamps (event time comes from the ticks themselves).
enum WallClock {
    static var now: Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}
