import Foundation
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import RiskFeed
import Testing
import ZeroMQ

/// A position source over real sockets (PUB for updates, ROUTER for snapshots) feeding a running Fulcrum's
/// protocol health: the snapshot, the updates after it, a gap and its resync, and a malformed frame.
@Suite("Positions in from a position source", .serialized, .timeLimit(.minutes(3)))
struct PositionFeedTests {
    /// The source: answers every snapshot request with `snapshot()`, publishes updates when told.
    final class Source: @unchecked Sendable {
        // @unchecked: the sockets are used on the test's task only, one call at a time.
        let context: ZMQContext
        let updates: Socket
        let snapshots: Socket
        let endpoint: String
        let snapshotEndpoint: String
        var state: [UInt64: Fulcrum_V1_Position] = [:]
        var sequence: UInt64 = 0
        var requests = 0
        let epoch: UInt64 = 42

        init() throws {
            let ports = try FreePorts.take(2)
            context = try ZMQContext()
            updates = try Socket(context: context, type: .pub)
            snapshots = try Socket(context: context, type: .router)
            endpoint = "tcp://127.0.0.1:\(ports[0])"
            snapshotEndpoint = "tcp://127.0.0.1:\(ports[1])"
            try updates.bind(endpoint)
            try snapshots.bind(snapshotEndpoint)
        }

        static func position(_ account: UInt64, _ symbol: String, _ size: Double, _ entry: Double)
            -> Fulcrum_V1_Position {
            var position = Fulcrum_V1_Position()
            position.account = account
            position.symbol = symbol
            position.size = size
            position.entryPrice = entry
            position.mode = .isolated
            position.isolatedCollateral = abs(size) * entry / 5
            return position
        }

        /// Answers pending snapshot requests with the current state.
        func answer() throws {
            while let request = try snapshots.receiveMultipart(wait: false) {
                requests += 1
                var snapshot = Fulcrum_V1_PositionSnapshot()
                snapshot.sourceEpoch = epoch
                snapshot.sequence = sequence
                snapshot.positions = state.keys.sorted().compactMap { state[$0] }
                _ = try snapshots.send(multipart: [request[0], Array("positions.snapshot".utf8),
                                                   try snapshot.serializedBytes(), SequenceFrame.encode(sequence)])
            }
        }

        /// Changes the state and publishes the update (or, with `drop`, only numbers it: a lost update).
        func update(_ positions: [Fulcrum_V1_Position], drop: Bool = false) throws {
            sequence += 1
            for position in positions { state[position.account] = position }
            guard !drop else { return }
            var update = Fulcrum_V1_PositionUpdate()
            update.sourceEpoch = epoch
            update.positions = positions
            _ = try updates.send(multipart: [Array("positions".utf8), try update.serializedBytes(),
                                             SequenceFrame.encode(sequence)])
        }

        func close() {
            updates.close()
            snapshots.close()
        }
    }

    @Test("Snapshot, updates, a lost update resynced by snapshot, a malformed frame skipped: health follows the source")
    func followsTheSource() async throws {
        let source = try Source()
        defer { source.close() }
        var configuration = FulcrumConfiguration.embeddedDefault
        let symbols = configuration.simulator.market.assets.map(\.symbol)
        let prices = configuration.simulator.market.assets.map(\.initialPrice)
        configuration.ingest.symbols.allowList = symbols
        let healthPort = try FreePorts.take(1)[0]
        configuration.health.publishEndpoint = "tcp://127.0.0.1:\(healthPort)"
        configuration.health.interval = .milliseconds(200)
        configuration.health.scenarios = 10
        configuration.health.positions.endpoint = source.endpoint
        configuration.health.positions.snapshotEndpoint = source.snapshotEndpoint
        for account in 1...10 as ClosedRange<UInt64> {
            let market = Int(account) % symbols.count
            source.state[account] = Source.position(account, symbols[market], account % 2 == 0 ? 1 : -1,
                                                    prices[market])
        }
        source.sequence = 3
        let subscriber = FeedSubscriber(endpoint: configuration.health.publishEndpoint, prefixes: ["health"])
        defer { subscriber.finish() }
        let fulcrum = try InProcessFulcrumHost(configuration: configuration, httpPort: 0)

        func waitFor(positions count: UInt64) async throws -> Bool {
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                try source.answer()
                let latest = subscriber.received.last { $0.topic == "health" }
                if let latest, (try? Fulcrum_V1_ProtocolHealth(serializedBytes: latest.payload))?.positions == count {
                    return true
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            return false
        }

        #expect(try await waitFor(positions: 10), "the snapshot never showed; log:\n\(fulcrum.log)")
        #expect(source.requests == 1)
        // Two updates in order; a frame that is not an update; then one lost and one after it.
        try source.update([Source.position(11, symbols[0], 2, prices[0])])
        try source.update([Source.position(12, symbols[1], -2, prices[1])])
        _ = try source.updates.send(multipart: [Array("positions".utf8), [0xFF, 0xFF], SequenceFrame.encode(99)])
        #expect(try await waitFor(positions: 12), "log:\n\(fulcrum.log)")
        try source.update([Source.position(13, symbols[2], 3, prices[2])], drop: true)
        try source.update([Source.position(14, symbols[3], -3, prices[3])])
        #expect(try await waitFor(positions: 14), "the resync never showed; log:\n\(fulcrum.log)")
        #expect(source.requests == 2)
        // A position in a market Fulcrum does not price is refused alone.
        try source.update([Source.position(15, "NOPE-USD", 1, 1), Source.position(16, symbols[4], 1, prices[4])])
        #expect(try await waitFor(positions: 15), "log:\n\(fulcrum.log)")

        #expect(try await fulcrum.stop() == 0)
        let log = fulcrum.log
        #expect(log.contains("requesting a positions snapshot fulcrum.positions.reason=start"), "\(log)")
        #expect(log.contains("requesting a positions snapshot fulcrum.positions.reason=gap"), "\(log)")
    }
}
