import FulcrumProtocol
import ZeroMQ

/// The socket side of ``RiskFeedClient``: owns the SUB and DEALER sockets on the client thread.
struct ClientLoop {
    let client: RiskFeedClient
    let subscriber: Socket
    var snapshots: Socket
    var poller: Poller
    var synchronizer: FeedSynchronizer
    var lastHeard = ContinuousClock.now
    var snapshotRequestedAt = ContinuousClock.now
    /// A request was sent on `snapshots` and its `snapshot.end` has not arrived yet.
    var requestOutstanding = false
    var alive = false
    let message = Message()

    init(client: RiskFeedClient) throws {
        self.client = client
        let configuration = client.configuration
        synchronizer = FeedSynchronizer(maxQueued: configuration.maxQueuedUpdates)
        subscriber = try Socket(context: client.context, type: .sub)
        try subscriber.setLinger(milliseconds: 0)
        try subscriber.setReceiveHighWaterMark(configuration.receiveHighWaterMark)
        if let curve = configuration.curve { try curve.apply(to: subscriber) }
        for prefix in [Topic.riskPrefix, Topic.portfolio, Topic.heartbeat] { try subscriber.subscribe(prefix) }
        try subscriber.connect(configuration.publishEndpoint)
        snapshots = try Self.makeSnapshotSocket(client)
        poller = try Poller(readable: [subscriber, snapshots])
    }

    static func makeSnapshotSocket(_ client: RiskFeedClient) throws -> Socket {
        let socket = try Socket(context: client.context, type: .dealer)
        try socket.setLinger(milliseconds: 0)
        if let curve = client.configuration.curve { try curve.apply(to: socket) }
        try socket.connect(client.configuration.snapshotEndpoint)
        return socket
    }

    mutating func run() throws {
        defer {
            subscriber.close()
            snapshots.close()
        }
        try requestSnapshot()
        while !client.stopSignal.isStopped {
            try poller.poll(timeoutMilliseconds: 100)
            if poller.isReadable(0) { try drainSubscriber() }
            if poller.isReadable(1) { try drainSnapshots() }
            try checkTimers()
        }
    }

    /// Asks for a snapshot. A request still outstanding is abandoned with its socket: the rest of its reply (and its
    /// `snapshot.end`) would otherwise arrive on the same DEALER and be taken for the new reply, complete.
    mutating func requestSnapshot() throws {
        if requestOutstanding {
            snapshots.close()
            snapshots = try Self.makeSnapshotSocket(client)
            poller = try Poller(readable: [subscriber, snapshots])
        }
        synchronizer.beginResync()
        client.stateBox.withLock { $0.isSynchronized = false }
        var request = Fulcrum_V1_SnapshotRequest()
        request.encoding = .protobuf
        try snapshots.send(try request.serializedBytes())
        requestOutstanding = true
        snapshotRequestedAt = .now
    }

    mutating func checkTimers() throws {
        let now = ContinuousClock.now
        if alive, now - lastHeard > client.configuration.deadAfter {
            alive = false
            client.stateBox.withLock { $0.isPublisherAlive = false }
            client.continuation.yield(.publisherDead)
        }
        if requestOutstanding, now - snapshotRequestedAt > client.configuration.snapshotTimeout {
            // The reply may be lost with a vanished connection; the new request goes out on a fresh socket.
            try perform(.resync(.snapshotTimeout))
        }
    }

    mutating func heard() throws {
        lastHeard = .now
        guard !alive else { return }
        alive = true
        client.stateBox.withLock { $0.isPublisherAlive = true }
        client.continuation.yield(.publisherAlive)
    }

    mutating func drainSubscriber() throws {
        while let frames = try subscriber.receiveMultipart(wait: false) {
            guard frames.count == 3, let sequence = SequenceFrame.decode(frames[2]) else { continue }
            try heard()
            let topic = String(decoding: frames[0], as: UTF8.self)
            let action: FeedSynchronizer.Action
            if Topic.kind(of: topic) == .heartbeat {
                guard let beat = try? WireHeartbeat(serializedBytes: frames[1]) else { continue }
                action = synchronizer.heartbeat(epoch: beat.publisherEpoch, sequence: beat.sequence)
            } else {
                guard let update = Self.decode(topic: topic, payload: frames[1]) else { continue }
                action = synchronizer.received(update, sequence: sequence)
            }
            try perform(action)
        }
    }

    mutating func drainSnapshots() throws {
        while let frames = try snapshots.receiveMultipart(wait: false) {
            guard frames.count == 3 else { continue }
            let topic = String(decoding: frames[0], as: UTF8.self)
            if Topic.kind(of: topic) == .snapshotEnd {
                guard let end = try? Fulcrum_V1_SnapshotEnd(serializedBytes: frames[1]) else { continue }
                requestOutstanding = false
                try heard()
                let action = synchronizer.snapshotEnd(epoch: end.publisherEpoch, sequence: end.sequence)
                try perform(action, snapshot: true)
            } else if let update = Self.decode(topic: topic, payload: frames[1]) {
                synchronizer.snapshotItem(update)
            }
        }
    }

    mutating func perform(_ action: FeedSynchronizer.Action, snapshot: Bool = false) throws {
        switch action {
        case .none:
            return
        case .resync(let reason):
            client.continuation.yield(.resyncing(reason))
            try requestSnapshot()
        case .apply(let updates):
            let (epoch, sequence) = (synchronizer.epoch ?? 0, synchronizer.sequence)
            let symbols = client.stateBox.withLock { state in
                if snapshot {
                    state.parameters.removeAll()
                    state.portfolio = nil
                    state.snapshotsApplied += 1
                }
                for update in updates { state.apply(update) }
                state.epoch = epoch
                state.sequence = sequence
                state.isSynchronized = true
                return state.parameters.count
            }
            if snapshot { client.continuation.yield(.synchronized(epoch: epoch, sequence: sequence, symbols: symbols)) }
            for update in updates {
                switch update {
                case .parameters(let message): client.continuation.yield(.parameters(message))
                case .portfolio(let message): client.continuation.yield(.portfolio(message))
                }
            }
        }
    }

    static func decode(topic: String, payload: [UInt8]) -> FeedSynchronizer.Update? {
        switch Topic.kind(of: topic) {
        case .risk: (try? WireRiskParameters(serializedBytes: payload)).map { .parameters($0) }
        case .portfolio: (try? WirePortfolioUpdate(serializedBytes: payload)).map { .portfolio($0) }
        default: nil
        }
    }
}

extension CurveClientOptions {
    /// Applies the options to a socket before it connects.
    public func apply(to socket: Socket) throws(ZMQError) {
        try socket.setCurveClient(serverKey: serverKey, keyPair: keyPair)
    }
}
