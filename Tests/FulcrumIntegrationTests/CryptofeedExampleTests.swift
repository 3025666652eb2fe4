import Foundation
import FulcrumProtocol
import FulcrumTestSupport
import Testing

/// examples/cryptofeed: the real binary runs the example's configuration, and the example script's cryptofeed
/// ZeroMQ callbacks, driven with cryptofeed's own Trade and Ticker objects (no network), feed it.
@Suite("The cryptofeed example through the fulcrum binary", .serialized, .timeLimit(.minutes(3)))
struct CryptofeedExampleTests {
    static let symbols = ["BTC-USDT", "ETH-USDT", "SOL-USDT"]
    static let configuration = repositoryRoot.appendingPathComponent("examples/cryptofeed/fulcrum.yaml")

    @Test("The example configuration checks clean as shipped")
    func configurationChecks() async throws {
        let result = try await Operations.runFulcrum(["config", "check", Self.configuration.path],
                                                     timeout: .seconds(20))
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("\"encoding\" : \"cryptofeed\""), "\(result.output)")
    }

    @Test("The feed handler's backends reach Fulcrum: every message accepted, every symbol published")
    func feedHandlerFeedsFulcrum() async throws {
        let ports = try FreePorts.take(2)
        // The shipped file with its feed on a free port (its publisher and HTTP addresses move by environment).
        let shipped = try String(contentsOf: Self.configuration, encoding: .utf8)
        #expect(shipped.components(separatedBy: "tcp://127.0.0.1:5555").count == 2, "one feed endpoint to move")
        let directory = try TemporaryDirectory(prefix: "fulcrum-cryptofeed-example")
        defer { directory.remove() }
        let file = try directory.write(shipped.replacingOccurrences(of: "tcp://127.0.0.1:5555",
                                                                    with: "tcp://127.0.0.1:\(ports[0])"),
                                       to: "fulcrum.yaml")
        let fulcrum = try FulcrumProcess(configuration: nil, httpPort: ports[1], arguments: ["--config", file])
        let subscriber = FeedSubscriber(endpoint: fulcrum.publishEndpoint, prefixes: ["risk.", "hb"])
        defer { subscriber.finish() }
        _ = try await subscriber.wait(timeout: .seconds(60)) { $0.contains { $0.topic == "hb" } }

        let feeder = try await Python.run(
            ["Tests/FulcrumIntegrationTests/Scripts/cryptofeed_example.py", "\(ports[0])", "8"],
            timeout: .seconds(60))
        try #require(feeder.status == 0, "the feed handler's callbacks failed: \(feeder.error)")
        let sent = Double(feeder.output.split(separator: " ").last.map { String($0.filter(\.isNumber)) } ?? "") ?? 0
        #expect(sent > 400, "\(feeder.output)")

        let session = Operations.session()
        defer { session.invalidateAndCancel() }
        let labels = ["feed": "binance"]
        var samples = PrometheusSamples("")
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let answer = await Operations.get("http://127.0.0.1:\(ports[1])/metrics", session: session) {
                samples = PrometheusSamples(String(decoding: answer.body, as: UTF8.self))
                if samples.value("fulcrum_ticks_received_total", labels) == sent { break }
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        let received = samples.value("fulcrum_ticks_received_total", labels) ?? -1
        let accepted = samples.value("fulcrum_ticks_accepted_total", labels) ?? -1
        #expect(received == sent, "received \(received) of \(sent); log:\n\(fulcrum.log)")
        #expect(accepted == sent, "accepted \(accepted) of \(sent); log:\n\(fulcrum.log)")

        let frames = try await subscriber.wait(timeout: .seconds(20)) { frames in
            Set(frames.compactMap { $0.topic.hasPrefix("risk.") ? String($0.topic.dropFirst(5)) : nil })
                .isSuperset(of: Self.symbols)
        }
        let published = Set(frames.compactMap { $0.topic.hasPrefix("risk.") ? String($0.topic.dropFirst(5)) : nil })
        #expect(published == Set(Self.symbols), "published \(published.sorted())")
        for frame in frames where frame.topic.hasPrefix("risk.") {
            let message = try Fulcrum_V1_RiskParameters(serializedBytes: frame.payload)
            #expect(message.price > 0 && message.imf >= message.mmf && message.mmf > 0, "\(message.symbol)")
        }
        #expect(try await fulcrum.stop() == 0)
    }
}
