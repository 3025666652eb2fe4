import Foundation
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import MarketData
import Testing

/// cryptofeed's standard setup through the real binary and real sockets: `TradeZMQ` and `TickerZMQ` each on its own
/// PUB socket, tickers stamped at receipt 20–80 ms behind the trades, six assets, in real time.
@Suite("cryptofeed's two sockets through the fulcrum binary", .serialized, .timeLimit(.minutes(4)))
struct CryptofeedChannelsTests {
    static let second: Int64 = 1_000_000_000
    static let symbols = ["BTC-USDT", "ETH-USDT", "SOL-USDT", "XRP-USDT", "DOGE-USDT", "ADA-USDT"]

    @Test("No tick is lost to ordering, and σ is the grid convention's, to 1e-10, against pandas")
    func twoSocketsLoseNothing() async throws {
        let ports = try FreePorts.take(2)
        var configuration = FulcrumConfiguration.smallEngine(
            feeds: [.bound(toPort: ports[0], name: "cryptofeed", encoding: .cryptofeed)], symbols: [], warmupESS: 3)
        // The documented tolerance for receipt-stamped channels: lateness above their lag (80 ms) plus jitter.
        configuration.estimation.lateness = 250 * FulcrumConfiguration.millisecond
        configuration.model.governance.refreshIntervalNs = Self.second
        configuration.http.sampleInterval = .milliseconds(100)
        let fulcrum = try FulcrumProcess(configuration: configuration, httpPort: ports[1])
        let subscriber = FeedSubscriber(endpoint: fulcrum.publishEndpoint, prefixes: ["risk.", "hb"])
        defer { subscriber.finish() }
        _ = try await subscriber.wait(timeout: .seconds(60)) { $0.contains { $0.topic == "hb" } }

        let directory = try TemporaryDirectory()
        let log = directory.path("sent.jsonl")
        let feeder = try await Python.run(
            ["Tests/FulcrumIntegrationTests/Scripts/cryptofeed_channels.py", "\(ports[0])", "20", log],
            timeout: .seconds(90))
        try #require(feeder.status == 0, "cryptofeed feeder failed: \(feeder.error)")
        let sent = Double(feeder.output.split(separator: " ").last.map { String($0.filter(\.isNumber)) } ?? "") ?? 0
        #expect(sent > 2_000, "\(feeder.output)")

        // Every message counted, then the counters: nothing lost at the door.
        let session = Operations.session()
        defer { session.invalidateAndCancel() }
        var samples = PrometheusSamples("")
        let deadline = ContinuousClock.now + .seconds(30)
        let labels = ["feed": "cryptofeed"]
        while ContinuousClock.now < deadline {
            if let answer = await Operations.get("http://127.0.0.1:\(ports[1])/metrics", session: session) {
                samples = PrometheusSamples(String(decoding: answer.body, as: UTF8.self))
                if samples.value("fulcrum_ticks_received_total", labels) == sent { break }
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        let received = samples.value("fulcrum_ticks_received_total", labels) ?? -1
        let accepted = samples.value("fulcrum_ticks_accepted_total", labels) ?? -1
        let ignored = samples.value("fulcrum_ticks_ignored_total", labels) ?? -1
        func rejected(_ reason: RejectionReason) -> Double {
            samples.value("fulcrum_ticks_rejected_total", ["feed": "cryptofeed", "reason": reason.metricName]) ?? 0
        }
        let allRejected = RejectionReason.allCases.map(rejected).reduce(0, +)
        #expect(received == sent, "received \(received) of \(sent); log:\n\(fulcrum.log)")
        #expect(received == accepted + allRejected + ignored)
        for reason in [RejectionReason.outOfOrder, .late, .duplicate, .quarantined] {
            #expect(rejected(reason) == 0, "\(reason): \(rejected(reason))")
        }
        #expect(accepted == sent)

        // σ at each published boundary against the pandas reference over what was sent.
        let updates = subscriber.parameters.map(\.message).filter { Self.symbols.contains($0.symbol) }
        let last = try #require(updates.map(\.asOfNs).max())
        let reference = try await Python.run([
            "-m", "fulcrum_tools.reference.channel_sigma", log, "--interval", "\(Self.second)",
            "--half-life", "\(configuration.estimation.halfLife)", "--last", "\(last)",
        ], timeout: .seconds(60))
        try #require(reference.status == 0, "reference failed: \(reference.error)")
        let expected = try #require(
            try JSONSerialization.jsonObject(with: Data(reference.output.utf8)) as? [String: [String: Double]])
        var compared = 0
        var worst = 0.0
        for update in updates {
            let series = expected[update.symbol] ?? [:]
            // Before an asset's first return there is no σ to compare: it is published as 0.
            if let first = series.keys.compactMap({ Int64($0) }).min(), update.asOfNs < first {
                #expect(update.inputs.sigmaStep == 0)
                continue
            }
            let note = "\(update.symbol): no reference at \(update.asOfNs) (σ \(update.inputs.sigmaStep)); "
                + "reference from \(series.keys.min() ?? "-")"
            let sigma = try #require(series["\(update.asOfNs)"], Comment(rawValue: note))
            let error = abs(update.inputs.sigmaStep / sigma - 1)
            worst = max(worst, error)
            #expect(update.inputs.sigmaStep.isApproximatelyEqual(to: sigma, relativeTolerance: 1e-10),
                    "\(update.symbol) at \(update.asOfNs): \(update.inputs.sigmaStep) vs \(sigma)")
            compared += 1
        }
        #expect(compared >= 6 * 5, "only \(compared) updates compared")
        print("cryptofeed two sockets: sent \(Int(sent)), accepted \(Int(accepted)), σ compared \(compared), "
              + "worst relative error \(worst)")
        #expect(try await fulcrum.stop() == 0)
    }
}
