import Foundation
import FulcrumProtocol
import Logging
import ProtocolHealth
import RiskFeed
import ZeroMQ

/// The positions protocol health values, on the health thread: a fixed book, or a position source's feed kept
/// by a ``PositionSynchronizer`` (SUB for updates, DEALER for snapshots). Malformed frames and updates are
/// counted and skipped; they never reach the book.
struct PositionInput {
    /// Frames from the source that could not be read (wrong frame count, undecodable payload), by reason.
    private(set) var malformed: [String: UInt64] = [:]
    private var fixed: PositionBook?
    private var feed: Feed?

    struct Feed {
        let settings: PositionFeedSettings
        let updates: Socket
        let snapshots: Socket
        let poller: Poller
        let markets: [String: Int]
        var synchronizer: PositionSynchronizer
        var requestedAt: ContinuousClock.Instant?
        var epoch: UInt64 = 0
        let logger: Logger
    }

    init(source: HealthPositionSource, context: ZMQContext, logger: Logger) throws {
        switch source {
        case let .fixed(book, _):
            fixed = book
        case let .feed(settings, symbols):
            let updates = try Socket(context: context, type: .sub)
            try updates.setLinger(milliseconds: 0)
            try updates.setMaxMessageSize(Int64(settings.maxMessageSize))
            try updates.subscribe("positions")
            try updates.connect(settings.endpoint)
            let snapshots = try Socket(context: context, type: .dealer)
            try snapshots.setLinger(milliseconds: 0)
            try snapshots.setMaxMessageSize(Int64(settings.maxMessageSize))
            try snapshots.connect(settings.snapshotEndpoint)
            var markets: [String: Int] = [:]
            for (index, symbol) in symbols.enumerated() { markets[symbol] = index }
            feed = Feed(settings: settings, updates: updates, snapshots: snapshots,
                        poller: try Poller(readable: [updates, snapshots]), markets: markets,
                        synchronizer: PositionSynchronizer(marketCount: symbols.count), logger: logger)
            logger.info("reading positions", metadata: [
                "fulcrum.positions.endpoint": "\(settings.endpoint)",
                "fulcrum.positions.snapshotEndpoint": "\(settings.snapshotEndpoint)",
            ])
        }
    }

    /// The book to value now: the fixed one, or the feed's once it follows the source.
    var book: PositionBook? {
        if let fixed { return fixed }
        guard let feed, feed.synchronizer.isLive else { return nil }
        return feed.synchronizer.book
    }

    /// The feed's counters (nil for a fixed book).
    var counters: PositionSynchronizer.Counters? { feed?.synchronizer.counters }

    /// Waits up to `milliseconds` for the source and handles what came.
    mutating func pump(milliseconds: Int) throws {
        guard var current = feed else {
            Thread.sleep(forTimeInterval: Double(milliseconds) / 1_000)
            return
        }
        defer { feed = current }
        if current.requestedAt == nil, !current.synchronizer.isLive, current.synchronizer.counters.resyncs.isEmpty {
            try request(current.synchronizer.start(), feed: &current)
        }
        if let asked = current.requestedAt, ContinuousClock.now - asked > current.settings.snapshotTimeout {
            try request(.requestSnapshot(reason: .snapshotTimeout), feed: &current)
        }
        guard try current.poller.poll(timeoutMilliseconds: milliseconds) > 0 else { return }
        while let frames = try current.updates.receiveMultipart(wait: false) {
            guard frames.count == 3, let delta = decodeUpdate(frames, markets: current.markets) else {
                malformed["update", default: 0] += 1
                continue
            }
            current.epoch = delta.epoch
            if let action = current.synchronizer.receive(delta) { try request(action, feed: &current) }
        }
        while let frames = try current.snapshots.receiveMultipart(wait: false) {
            guard frames.count == 3,
                  let snapshot = try? Fulcrum_V1_PositionSnapshot(serializedBytes: frames[1]) else {
                malformed["snapshot", default: 0] += 1
                continue
            }
            current.requestedAt = nil
            let changes = Self.changes(snapshot.positions, snapshot.collateral, [], markets: current.markets)
            if let action = current.synchronizer.receive(snapshot: snapshot.sourceEpoch, sequence: snapshot.sequence,
                                                         changes: changes) {
                try request(action, feed: &current)
            }
        }
    }

    private func request(_ action: PositionSynchronizer.Action, feed: inout Feed) throws {
        if case let .requestSnapshot(reason) = action {
            feed.logger.info("requesting a positions snapshot",
                             metadata: ["fulcrum.positions.reason": "\(reason.rawValue)"])
        }
        var request = Fulcrum_V1_PositionSnapshotRequest()
        request.knownEpoch = feed.epoch
        _ = try feed.snapshots.send(try request.serializedBytes(), wait: false)
        feed.requestedAt = .now
    }

    private func decodeUpdate(_ frames: [[UInt8]], markets: [String: Int]) -> PositionDelta? {
        guard let sequence = SequenceFrame.decode(frames[2]),
              let update = try? Fulcrum_V1_PositionUpdate(serializedBytes: frames[1]) else { return nil }
        return PositionDelta(epoch: update.sourceEpoch, sequence: sequence,
                             changes: Self.changes(update.positions, update.collateral, update.closedAccounts,
                                                   markets: markets))
    }

    /// The wire's changes as the book's; a symbol not among the markets gets market −1, which the book refuses
    /// (and the synchronizer counts).
    static func changes(_ positions: [Fulcrum_V1_Position], _ collateral: [Fulcrum_V1_Collateral],
                        _ closed: [UInt64], markets: [String: Int]) -> [PositionChange] {
        var changes: [PositionChange] = closed.map { .closeAccount($0) }
        changes += collateral.map { .collateral(account: $0.account, amount: $0.amount) }
        changes += positions.map { position in
            .position(account: position.account, market: markets[position.symbol] ?? -1, size: position.size,
                      entryPrice: position.entryPrice, mode: position.mode == .isolated ? .isolated : .cross,
                      isolatedCollateral: position.isolatedCollateral)
        }
        return changes
    }
}
