import ProtocolHealth
import Testing

/// The Clone rules on positions: snapshot, then numbered updates; gaps and new epochs resync.
@Suite("Position synchronizer")
struct PositionSynchronizerTests {
    static func open(_ account: UInt64, size: Double) -> PositionChange {
        .position(account: account, market: 0, size: size, entryPrice: 100, mode: .cross, isolatedCollateral: 0)
    }

    static func delta(_ sequence: UInt64, epoch: UInt64 = 7, _ changes: [PositionChange]) -> PositionDelta {
        PositionDelta(epoch: epoch, sequence: sequence, changes: changes)
    }

    @Test("Updates during the snapshot wait are applied on top of it; those it reflects are ignored")
    func snapshotThenKeptUpdates() {
        var sync = PositionSynchronizer(marketCount: 1)
        #expect(sync.start() == .requestSnapshot(reason: .start))
        #expect(sync.receive(Self.delta(5, [Self.open(1, size: 1)])) == nil)
        #expect(sync.receive(Self.delta(6, [Self.open(2, size: 2)])) == nil)
        #expect(!sync.isLive)
        // The snapshot reflects update 5 already.
        #expect(sync.receive(snapshot: 7, sequence: 5, changes: [Self.open(1, size: 1), Self.open(3, size: 3)]) == nil)
        #expect(sync.isLive)
        #expect(sync.book.positionCount == 3)
        #expect(sync.counters.updatesApplied == 1 && sync.counters.updatesIgnored == 1)
        #expect(sync.receive(Self.delta(7, [.closeAccount(3)])) == nil)
        #expect(sync.book.positionCount == 2)
        #expect(sync.receive(Self.delta(7, [.closeAccount(1)])) == nil, "a duplicate is ignored")
        #expect(sync.book.positionCount == 2 && sync.counters.updatesIgnored == 2)
    }

    @Test("A gap or a new epoch asks for a snapshot; a snapshot that does not reach the kept updates asks again")
    func resyncs() {
        var sync = PositionSynchronizer(marketCount: 1)
        _ = sync.start()
        _ = sync.receive(snapshot: 7, sequence: 10, changes: [Self.open(1, size: 1)])
        #expect(sync.receive(Self.delta(12, [Self.open(2, size: 1)])) == .requestSnapshot(reason: .gap))
        #expect(sync.receive(Self.delta(13, [Self.open(3, size: 1)])) == nil)
        // Only up to 10: update 11 is missing between it and the kept 12, 13.
        #expect(sync.receive(snapshot: 7, sequence: 10, changes: [Self.open(1, size: 1)])
                == .requestSnapshot(reason: .staleSnapshot))
        #expect(sync.receive(snapshot: 7, sequence: 11, changes: [Self.open(1, size: 1), Self.open(4, size: 1)]) == nil)
        #expect(sync.isLive && sync.book.positionCount == 4)
        #expect(sync.receive(Self.delta(1, epoch: 8, [])) == .requestSnapshot(reason: .newEpoch))
        #expect(sync.counters.resyncs == ["start": 1, "gap": 1, "stale_snapshot": 1, "new_epoch": 1])
    }

    @Test("A change the book refuses is counted and skipped; the rest of the update applies")
    func refusedChange() {
        var sync = PositionSynchronizer(marketCount: 1)
        _ = sync.start()
        _ = sync.receive(snapshot: 1, sequence: 0, changes: [])
        let bad = PositionChange.position(account: 9, market: 5, size: 1, entryPrice: 1, mode: .cross,
                                          isolatedCollateral: 0)
        #expect(sync.receive(Self.delta(1, epoch: 1, [bad, Self.open(1, size: 1), .collateral(account: 1, amount: .nan)]))
                == nil)
        #expect(sync.book.positionCount == 1 && sync.counters.changesRefused == 2)
    }
}
