import Foundation
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import Testing

/// Old data replayed into a live configuration: every tick is refused as too old. The run must say so and what to
/// change, not succeed silently.
@Suite("Replays of old data through the fulcrum binary", .serialized, .timeLimit(.minutes(3)))
struct ReplayHintTests {
    @Test("Ticks older than maximumAge log the key that widens it; a run that accepted nothing exits non-zero")
    func oldTicksSayWhatToChange() async throws {
        let ports = try FreePorts.take(2)
        var configuration = FulcrumConfiguration.smallEngine(feeds: [.bound(toPort: ports[0], name: "replay")],
                                                             symbols: ["AAA"])
        configuration.http.sampleInterval = .milliseconds(100)
        let fulcrum = try FulcrumProcess(configuration: configuration, httpPort: ports[1])
        let subscriber = FeedSubscriber(endpoint: fulcrum.publishEndpoint, prefixes: ["hb"])
        defer { subscriber.finish() }
        _ = try await subscriber.wait(timeout: .seconds(60)) { $0.contains { $0.topic == "hb" } }
        let publisher = try TickPublisher(connect: "tcp://127.0.0.1:\(ports[0])")
        let session = Operations.session()
        defer { session.invalidateAndCancel() }
        func received() async -> Double {
            guard let answer = await Operations.get("http://127.0.0.1:\(ports[1])/metrics", session: session) else {
                return 0
            }
            return PrometheusSamples(String(decoding: answer.body, as: UTF8.self))
                .value("fulcrum_ticks_received_total", ["feed": "replay"]) ?? 0
        }
        // A day old: beyond the configured hour.
        let old = (Int64(Date().timeIntervalSince1970) - 86_400) * FulcrumConfiguration.second
        var sent = 0
        func send() throws {
            try publisher.send(TickPublisher.tick("AAA", price: 100 + Double(sent) / 100,
                                                  at: old + Int64(sent) * FulcrumConfiguration.second))
            sent += 1
        }
        // Until the connection is up (messages before the subscription arrives are dropped by the sender).
        let connected = ContinuousClock.now + .seconds(30)
        while await received() == 0, ContinuousClock.now < connected {
            try send()
            try await Task.sleep(for: .milliseconds(100))
        }
        for _ in 0..<40 { try send() }
        let deadline = ContinuousClock.now + .seconds(30)
        var counted = await received()
        while counted < Double(sent), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            counted = await received()
        }
        let total = counted
        #expect(total >= 40)

        let status = try await fulcrum.stop()
        let log = fulcrum.log
        #expect(status != 0, "a run that accepted nothing must fail; log:\n\(log)")
        #expect(log.contains("fulcrum.hint=ingest.validation.maximumAge"), "no hint in the rejection log:\n\(log)")
        #expect(log.contains("no tick accepted of \(Int(total)) received"), "log:\n\(log)")
        #expect(log.contains("past_timestamp=\(Int(total)) (ingest.validation.maximumAge"), "log:\n\(log)")
    }

    @Test("A backtest whose every tick was refused exits 1, naming the top rejection and the key that decides it")
    func backtestThatAcceptedNothingFails() async throws {
        let directory = try TemporaryDirectory(prefix: "fulcrum-refused")
        defer { directory.remove() }
        var rows = ["timestamp,symbol,price"]
        for second in 0..<600 { rows.append("\(1_700_000_000 + second),AAA,\(100 + Double(second % 7) / 10)") }
        let ticks = try directory.write(rows.joined(separator: "\n") + "\n", to: "ticks.csv")
        // Only ZZZ is allowed: every AAA row is refused as unknown_symbol.
        var configuration = FulcrumConfiguration()
        configuration.ingest.symbols.allowList = ["ZZZ"]
        let config = try directory.write(configuration, to: "config.yaml")
        let refused = try await FulcrumCommandLine.run(["backtest", ticks, "--config", config,
                                                        "--out", directory.path("refused")])
        #expect(refused.status == 1, "stderr:\n\(refused.error)")
        #expect(refused.error.contains("backtest failed: no tick accepted of 600 received; top rejections: "
                                       + "unknown_symbol=600 (ingest.symbols.allowList"),
                "stderr:\n\(refused.error)")

        // The same rows with the symbol allowed: the replay succeeds.
        configuration.ingest.symbols.allowList = ["AAA"]
        let allowed = try directory.write(configuration, to: "allowed.yaml")
        let accepted = try await FulcrumCommandLine.run(["backtest", ticks, "--config", allowed,
                                                         "--out", directory.path("accepted")])
        #expect(accepted.status == 0, "stderr:\n\(accepted.error)")
        #expect(!accepted.error.contains("no tick accepted"))
    }
}
