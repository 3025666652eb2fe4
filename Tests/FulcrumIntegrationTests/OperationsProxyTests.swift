import Foundation
import FulcrumProtocol
import FulcrumService
import RiskFeed
import Testing
import ZeroMQ

/// `fulcrum proxy`: libzmq's XSUB/XPUB forwarder joining several publishers into one feed, through real sockets.
@Suite("Operations: scale-out through fulcrum proxy", .serialized, .timeLimit(.minutes(3)))
struct OperationsProxyTests {
    @Test("Two publishers and one subscriber: frames pass intact, subscriptions filter upstream")
    func twoPublishers() async throws {
        let ports = try FreePorts.take(2)
        let proxy = try FulcrumCommandProcess(["proxy", "--frontend", "tcp://127.0.0.1:\(ports[0])",
                                               "--backend", "tcp://127.0.0.1:\(ports[1])"])
        let subscriber = FeedSubscriber(endpoint: "tcp://127.0.0.1:\(ports[1])", prefixes: ["risk."])
        defer { subscriber.finish() }
        let context = try ZMQContext()
        let publishers = try (0..<2).map { _ in try Socket(context: context, type: .pub) }
        defer { for socket in publishers { socket.close() } }
        for socket in publishers {
            try socket.setLinger(milliseconds: 0)
            try socket.connect("tcp://127.0.0.1:\(ports[0])")
        }
        // Slow joiners: keep publishing until both publishers' messages come through.
        var sequence: UInt64 = 0
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            for (index, socket) in publishers.enumerated() {
                sequence += 1
                let payload = Array("payload-\(index)-\(sequence)".utf8)
                _ = try socket.send(multipart: [Array("risk.P\(index)".utf8), payload, SequenceFrame.encode(sequence)],
                                    wait: false)
                _ = try socket.send(multipart: [Array("other.P\(index)".utf8), [1], SequenceFrame.encode(sequence)],
                                    wait: false)
            }
            let topics = Set(subscriber.received.map(\.topic))
            if topics.isSuperset(of: ["risk.P0", "risk.P1"]) { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let frames = subscriber.received
        #expect(Set(frames.map(\.topic)) == ["risk.P0", "risk.P1"], "got \(Set(frames.map(\.topic)))")
        for frame in frames {
            let index = frame.topic.last.map(String.init) ?? ""
            #expect(String(decoding: frame.payload, as: UTF8.self) == "payload-\(index)-\(frame.sequence)")
        }
        #expect(try await proxy.stop() == 0, "log:\n\(proxy.log)")
        #expect(proxy.log.contains("proxy running") && proxy.log.contains("proxy stopped"), "log:\n\(proxy.log)")
    }

    @Test("Two Fulcrum shards joined by the proxy: every symbol on one endpoint, sequences per publisher epoch")
    func twoShards() async throws {
        /// The simulated market, of which the shard takes `symbols`.
        func shard(_ symbols: [String]) throws -> FulcrumProcess {
            var configuration = FulcrumConfiguration.embeddedDefault
            configuration.ingest.symbols.allowList = symbols
            configuration.estimation.warmupESS = 5
            configuration.http.enabled = false
            return try FulcrumProcess(configuration: configuration)
        }
        let shards = [try shard(["BTC-USD", "ETH-USD"]), try shard(["SOL-USD", "DOGE-USD", "LINK-USD"])]
        let port = try FreePorts.take(1)[0]
        let proxy = try FulcrumCommandProcess(["proxy", "--backend", "tcp://127.0.0.1:\(port)"]
                                              + shards.flatMap { ["--upstream", $0.publishEndpoint] })
        // Every topic that takes a sequence number (parameters and the portfolio), so each shard's stream is whole.
        let subscriber = FeedSubscriber(endpoint: "tcp://127.0.0.1:\(port)", prefixes: ["risk.", "portfolio"])
        defer { subscriber.finish() }
        let symbols: Set = ["BTC-USD", "ETH-USD", "SOL-USD", "DOGE-USD", "LINK-USD"]
        try await subscriber.wait(timeout: .seconds(60)) { frames in
            let epochs = Dictionary(grouping: frames.compactMap(Self.portfolioEpoch), by: { $0 })
            return Set(subscriber.parameters.map(\.message.symbol)).isSuperset(of: symbols)
                && epochs.count == 2 && epochs.values.allSatisfy { $0.count >= 4 }
        }
        let updates = subscriber.parameters
        #expect(Set(updates.map(\.message.symbol)) == symbols, "log:\n\(proxy.log)")
        let epochs = Dictionary(grouping: updates, by: \.message.publisherEpoch)
        #expect(epochs.count == 2, "one epoch per shard")
        for (_, stream) in epochs {
            let owners = Set(stream.map(\.message.symbol))
            #expect(owners == ["BTC-USD", "ETH-USD"] || owners == ["SOL-USD", "DOGE-USD", "LINK-USD"])
        }
        // Per publisher epoch, from the first portfolio update after a parameter update on (both subscriptions are
        // in force upstream by then, whichever was forwarded first), the sequence numbers through the proxy are
        // consecutive: nothing lost, duplicated or reordered.
        let frames = subscriber.received
        for epoch in Set(frames.compactMap(Self.epoch(of:))) {
            let stream = frames.filter { Self.epoch(of: $0) == epoch }
            let firstRisk = try #require(stream.firstIndex { $0.topic.hasPrefix("risk.") })
            let start = try #require(stream[firstRisk...].firstIndex { $0.topic == "portfolio" })
            let sequences = stream[start...].map(\.sequence)
            #expect(sequences.count >= 3 && zip(sequences, sequences.dropFirst()).allSatisfy { $1 == $0 + 1 },
                    "epoch \(epoch): sequences \(sequences.prefix(40))")
        }
        #expect(try await proxy.stop() == 0)
        for shard in shards { #expect(try await shard.stop() == 0) }
    }

    /// The publisher epoch of a `risk.*` or `portfolio` frame.
    static func epoch(of frame: FeedSubscriber.Frame) -> UInt64? {
        if frame.topic == "portfolio" { return portfolioEpoch(frame) }
        return (try? WireRiskParameters(serializedBytes: frame.payload))?.publisherEpoch
    }

    /// The publisher epoch of a `portfolio` frame (`nil` for other topics).
    static func portfolioEpoch(_ frame: FeedSubscriber.Frame) -> UInt64? {
        guard frame.topic == "portfolio" else { return nil }
        return (try? WirePortfolioUpdate(serializedBytes: frame.payload))?.publisherEpoch
    }
}
