import Foundation
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import MarketData
import Testing

/// The whole product across process boundaries: the built `fulcrum` binary, real tcp sockets,
/// and real Python consumers and feed handlers.
@Suite("End to end: ticks in, parameters out, other languages", .serialized, .timeLimit(.minutes(3)))
struct EndToEndTests {
    static let symbols = ["AAA", "BBB", "CCC"]
    static let steps = 40
    static let halfLifeSeconds = 10.0

    static func configuration(feedPort: Int) -> FulcrumConfiguration {
        let second = FulcrumConfiguration.second
        var configuration = FulcrumConfiguration.smallEngine(feeds: [.bound(toPort: feedPort)],
                                                             symbols: symbols + ["ZZZ"], warmupESS: 10)
        configuration.estimation.halfLife = Int64(halfLifeSeconds) * second
        configuration.model.governance.refreshIntervalNs = second
        return configuration
    }

    /// Deterministic, bounded log returns: r(k, i) for asset i at interval k ≥ 1.
    static func logReturn(_ k: Int, _ i: Int) -> Double {
        0.0004 * sin(Double(k) * 0.9 + Double(i)) + 0.0002 * cos(Double(k) * 2.3 * Double(i + 1))
    }

    static func prices(asset i: Int) -> [Double] {
        var price = [100.0, 20.0, 3.0][i]
        var result = [price]
        for k in 1...steps {
            price *= exp(logReturn(k, i))
            result.append(price)
        }
        return result
    }

    /// Independent reference: bias-corrected zero-mean EWMA of squared grid returns r₁…r_{m−1},
    /// λ = 2^(−Δ/h) (RiskMetrics with pandas `adjust=True` weights).
    static func referenceSigma(asset i: Int, returnsThrough last: Int) -> Double {
        let lambda = pow(2, -1 / halfLifeSeconds)
        var numerator = 0.0, denominator = 0.0
        for k in 1...last {
            numerator = lambda * numerator + pow(logReturn(k, i), 2)
            denominator = lambda * denominator + 1
        }
        return (numerator / denominator).squareRoot()
    }

    /// A subscriber to `fulcrum`'s feed, once a heartbeat has come through it.
    static func subscribe(to fulcrum: InProcessFulcrumHost) async throws -> FeedSubscriber {
        let subscriber = FeedSubscriber(endpoint: fulcrum.publishEndpoint)
        let beats = try await subscriber.wait { $0.contains { $0.topic == "hb" } }
        let heard = beats.contains { $0.topic == "hb" }
        if !heard { subscriber.finish() }
        try #require(heard, "no heartbeat from fulcrum; log:\n\(fulcrum.log)")
        return subscriber
    }

    /// Sends the three symbols' series (ticks 0.1, 0.3 and 0.7 s into each 1 s interval, from two minutes ago) and
    /// the tick that closes the last interval, after a warm-up on a fourth symbol at earlier event times until
    /// its parameters come back: then the connection is surely up, and nothing sent before has touched the three
    /// assets under test. Returns the series' start and the last boundary it closes.
    static func sendSeries(feedPort: Int, subscriber: FeedSubscriber, log: @autoclosure () -> String) async throws
        -> (start: Int64, lastBoundary: Int64) {
        let start = (Int64(Date().timeIntervalSince1970) - 120) * 1_000_000_000
        let offsets: [Int64] = [100_000_000, 300_000_000, 700_000_000]
        let series = symbols.indices.map { prices(asset: $0) }
        let publisher = try TickPublisher(connect: "tcp://127.0.0.1:\(feedPort)")
        var warmUpTime = start - 60_000_000_000
        let warmedUp = try await publisher.warmUp(subscriber: subscriber) {
            warmUpTime += 250_000_000
            return TickPublisher.tick("ZZZ", price: 50, at: min(warmUpTime, start - 100_000_000))
        }
        try #require(warmedUp, "fulcrum never answered the warm-up ticks; log:\n\(log())")
        for k in 0...steps {
            for i in symbols.indices {
                let time = start + Int64(k) * 1_000_000_000 + offsets[i]
                try publisher.send(TickPublisher.tick(symbols[i], price: series[i][k], at: time))
            }
        }
        // Closes the last interval.
        try publisher.send(TickPublisher.tick("AAA", price: series[0][steps],
                                              at: start + Int64(steps + 1) * 1_000_000_000 + offsets[0]))
        return (start, start + Int64(steps + 1) * 1_000_000_000)
    }

    /// Every frame received until the portfolio of `lastBoundary` has come in both encodings (the JSON copies of a
    /// step leave after all of its protobuf messages).
    static func framesThroughLastPortfolio(_ subscriber: FeedSubscriber, lastBoundary: Int64) async throws
        -> [FeedSubscriber.Frame] {
        try await subscriber.wait { frames in
            guard let last = frames.first(where: {
                $0.topic == "portfolio" && (try? WirePortfolioUpdate(serializedBytes: $0.payload))?.asOfNs == lastBoundary
            }) else { return false }
            return frames.contains { $0.topic == "json.portfolio" && $0.sequence == last.sequence }
        }
    }

    @Test("Protobuf ticks in over tcp, parameters out with contiguous sequences and the grid EWMA σ")
    func protobufPipeline() async throws {
        let feedPort = try FreePorts.take(1)[0]
        // The application runs in process: the socket path, not the process, is the point here.
        let fulcrum = try InProcessFulcrumHost(configuration: Self.configuration(feedPort: feedPort), httpPort: 0)
        let subscriber = try await Self.subscribe(to: fulcrum)
        defer { subscriber.finish() }

        let (start, lastBoundary) = try await Self.sendSeries(feedPort: feedPort, subscriber: subscriber,
                                                              log: fulcrum.log)
        let frames = try await Self.framesThroughLastPortfolio(subscriber, lastBoundary: lastBoundary)

        // Sequence numbers: updates are numbered 1, 2, 3... with no gap; JSON copies repeat them.
        let updates = frames.filter { $0.topic.hasPrefix("risk.") || $0.topic == "portfolio" }
        #expect(!updates.isEmpty)
        #expect(updates.map(\.sequence) == Array(1...UInt64(updates.count)), "sequences must be contiguous")
        let json = frames.filter { $0.topic.hasPrefix("json.risk.") || $0.topic == "json.portfolio" }
        #expect(json.map(\.sequence) == updates.map(\.sequence))

        // Every update carries the epoch of the first one. Each must decode: one that does not fails the test
        // rather than drop out of the checks.
        func epoch(_ frame: FeedSubscriber.Frame) throws -> UInt64 {
            frame.topic == "portfolio" ? try WirePortfolioUpdate(serializedBytes: frame.payload).publisherEpoch
                : try WireRiskParameters(serializedBytes: frame.payload).publisherEpoch
        }
        let firstEpoch = try epoch(try #require(updates.first))
        #expect(firstEpoch != 0, "the publisher epoch is set")
        for frame in updates {
            #expect(try epoch(frame) == firstEpoch, "\(frame.topic) #\(frame.sequence) from another epoch")
        }

        var checked: [String: [Int]] = [:]
        for frame in updates where frame.topic.hasPrefix("risk.") {
            let message = try WireRiskParameters(serializedBytes: frame.payload)
            #expect(frame.topic == "risk.\(message.symbol)")
            guard let i = Self.symbols.firstIndex(of: message.symbol) else { continue }
            let m = Int((message.asOfNs - start) / 1_000_000_000)
            #expect(message.asOfNs == start + Int64(m) * 1_000_000_000, "as_of must be a grid boundary")
            #expect(message.imf >= message.mmf && message.mmf > 0)
            #expect(message.maxLeverage >= 1 && Double(message.maxLeverage) <= 1 / message.imf + 1e-9)
            guard m >= 3 else { continue }
            let expected = Self.referenceSigma(asset: i, returnsThrough: m - 1)
            let relative = abs(message.inputs.sigmaStep - expected) / expected
            #expect(relative < 1e-9, "\(message.symbol) σ at step \(m): \(message.inputs.sigmaStep) vs \(expected)")
            checked[message.symbol, default: []].append(m)
        }
        // One update per symbol per closed step, each σ checked: from the third boundary (two returns) to the last.
        for symbol in Self.symbols {
            #expect(checked[symbol] == Array(3...(Self.steps + 1)),
                    "\(symbol): σ checked at steps \(checked[symbol] ?? [])")
        }
        #expect(try await fulcrum.stop() == 0)
    }

    @Test("A Python consumer (pyzmq + protobuf) decodes what fulcrum publishes, in both encodings",
          arguments: ["protobuf", "json"])
    func pythonConsumer(encoding: String) async throws {
        let fulcrum = try FulcrumProcess(configuration: nil)
        let result = try await Python.run([
            "protocols/examples/fulcrum_client.py", fulcrum.publishEndpoint, "--snapshot", fulcrum.snapshotEndpoint,
            "--encoding", encoding, "--count", "12", "--seconds", "60",
        ], timeout: .seconds(90))
        #expect(result.status == 0, "python client failed: \(result.error)\nfulcrum log:\n\(fulcrum.log)")
        let line = try #require(result.output.split(separator: "\n").last)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let parameters = try #require(summary["parameters"] as? [String: [String: Any]])
        #expect(Set(parameters.keys).isSuperset(of: ["BTC-USD", "ETH-USD"]))
        let btc = try #require(parameters["BTC-USD"])
        let imf = try #require(btc["imf"] as? Double)
        #expect(imf > 0 && imf <= 1)
        #expect((summary["sequence"] as? Int ?? 0) > 0)
        #expect((summary["snapshots"] as? Int ?? 0) >= 1)
        #expect(try await fulcrum.stop() == 0)
    }

    @Test("cryptofeed's TradeZMQ and TickerZMQ backends feed a running fulcrum")
    func cryptofeedBackends() async throws {
        let feedPort = try FreePorts.take(1)[0]
        var feed = FeedConfiguration.bound(toPort: feedPort, name: "cryptofeed", encoding: .cryptofeed)
        // As deploy/ subscribes: cryptofeed's topics read EXCHANGE-key-SYMBOL, and a trailing space ends the symbol.
        feed.topicPrefixes = ["COINBASE-trades-", "BINANCE-ticker-ETH-USDT "]
        var configuration = FulcrumConfiguration()
        configuration.ingest.feeds = [feed]
        let fulcrum = try FulcrumProcess(configuration: configuration)
        let subscriber = FeedSubscriber(endpoint: fulcrum.publishEndpoint, prefixes: ["risk.", "hb"])
        defer { subscriber.finish() }
        _ = try await subscriber.wait { $0.contains { $0.topic == "hb" } }
        let feeder = try await Python.run(
            ["Tests/FulcrumIntegrationTests/Scripts/cryptofeed_feed.py", "\(feedPort)", "5"], timeout: .seconds(60))
        #expect(feeder.status == 0, "cryptofeed feeder failed: \(feeder.error)")
        let frames = try await subscriber.wait { frames in
            Set(frames.filter { $0.topic.hasPrefix("risk.") }.map(\.topic)).count >= 2
        }
        let topics = Set(frames.map(\.topic))
        #expect(topics.contains("risk.BTC-USD"), "topics: \(topics)\nlog:\n\(fulcrum.log)")
        #expect(topics.contains("risk.ETH-USDT"))
        let eth = subscriber.parameters.last { $0.message.symbol == "ETH-USDT" }?.message
        // The ticker's price is the bid/ask mid.
        #expect(abs((eth?.price ?? 0) / 3400 - 1) < 0.01)
        #expect(try await fulcrum.stop() == 0)
    }
}
