import FulcrumProtocol
import Testing
@testable import RiskFeed

@Suite("Clone-pattern synchronizer")
struct FeedSynchronizerTests {
    func update(_ symbol: String, epoch: UInt64 = 7, imf: Double = 0.1) -> FeedSynchronizer.Update {
        var message = WireRiskParameters()
        message.symbol = symbol
        message.publisherEpoch = epoch
        message.imf = imf
        return .parameters(message)
    }

    @Test("Queued updates newer than the snapshot are applied, older ones dropped")
    func snapshotThenQueue() {
        var sync = FeedSynchronizer()
        #expect(sync.received(update("A", imf: 0.1), sequence: 4) == .none)
        #expect(sync.received(update("A", imf: 0.2), sequence: 5) == .none)
        #expect(sync.received(update("B", imf: 0.3), sequence: 6) == .none)
        sync.snapshotItem(update("A", imf: 0.2))
        let action = sync.snapshotEnd(epoch: 7, sequence: 5)
        #expect(action == .apply([update("A", imf: 0.2), update("B", imf: 0.3)]))
        #expect(sync.sequence == 6)
        #expect(sync.isLive)
    }

    @Test("A gap in the queue after the snapshot forces a resync")
    func queueGap() {
        var sync = FeedSynchronizer()
        _ = sync.received(update("A"), sequence: 8)
        #expect(sync.snapshotEnd(epoch: 7, sequence: 5) == .resync(.gap))
        #expect(!sync.isLive)
    }

    @Test("Live: in-order applies, duplicates are ignored, gaps and new epochs resync")
    func live() {
        var sync = FeedSynchronizer()
        _ = sync.snapshotEnd(epoch: 7, sequence: 10)
        #expect(sync.received(update("A"), sequence: 11) == .apply([update("A")]))
        #expect(sync.received(update("A"), sequence: 11) == .none)
        #expect(sync.received(update("A"), sequence: 13) == .resync(.gap))
        #expect(sync.received(update("A", epoch: 8), sequence: 12) == .resync(.newEpoch))
    }

    @Test("Heartbeats reveal losses and restarts")
    func heartbeats() {
        var sync = FeedSynchronizer()
        #expect(sync.heartbeat(epoch: 7, sequence: 3) == .none)
        _ = sync.snapshotEnd(epoch: 7, sequence: 3)
        #expect(sync.heartbeat(epoch: 7, sequence: 3) == .none)
        #expect(sync.heartbeat(epoch: 7, sequence: 4) == .resync(.heartbeatAhead))
        #expect(sync.heartbeat(epoch: 9, sequence: 0) == .resync(.newEpoch))
    }

    @Test("An unbounded backlog is refused")
    func backlog() {
        var sync = FeedSynchronizer(maxQueued: 2)
        _ = sync.received(update("A"), sequence: 1)
        _ = sync.received(update("A"), sequence: 2)
        #expect(sync.received(update("A"), sequence: 3) == .resync(.backlogOverflow))
    }
}
