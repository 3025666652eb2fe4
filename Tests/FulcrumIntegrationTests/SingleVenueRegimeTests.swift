import Foundation
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import MarketData
import Testing

/// The robust filter on a single venue, through the real binary and real sockets: volatility triples and stays,
/// and one-tick spikes are injected. Genuine volatility must reach σ in full; only the spikes may be quarantined.
@Suite("A single venue's regime change through the fulcrum binary", .serialized, .timeLimit(.minutes(4)))
struct SingleVenueRegimeTests {
    static let second: Int64 = 1_000_000_000
    static let millisecond: Int64 = 1_000_000
    static let symbolCount = 20
    /// One tick per symbol every 250 ms: 60 s calm (4 bp per tick), then 120 s at three times the volatility.
    static let spacing = 250 * millisecond
    static let calmSteps = 240
    static let steps = 720

    struct Sent {
        var symbol: String
        var time: Int64
        var price: Double
        var isSpike: Bool
    }

    /// The deterministic series: every symbol's geometric random walk, plus a one-tick spike of 20 per-tick σ
    /// (alternating sign) 100 ms after every 37th tick of every fourth symbol, reverted by the next genuine tick.
    static func series(start: Int64) -> [Sent] {
        var rng = SplitMix64(seed: 15)
        var prices = (0..<symbolCount).map { 10.0 * Double($0 + 1) }
        var sent: [Sent] = []
        var spikes = 0
        for k in 0..<steps {
            let sigma = k < calmSteps ? 0.0004 : 0.0012
            for i in 0..<symbolCount {
                prices[i] *= exp(sigma * rng.nextGaussian())
                let time = start + Int64(k) * spacing + Int64(i) * 5 * millisecond
                sent.append(Sent(symbol: "S\(i)", time: time, price: prices[i], isSpike: false))
                if i % 4 == 0 && k > 20 && k % 37 == 0 {
                    spikes += 1
                    let size = 20 * sigma * (spikes % 2 == 0 ? 1 : -1)
                    sent.append(Sent(symbol: "S\(i)", time: time + 100 * millisecond, price: prices[i] * exp(size),
                                     isSpike: true))
                }
            }
        }
        return sent.sorted { $0.time < $1.time }
    }

    @Test("σ equals the unfiltered pandas reference to 1e-9, and only the injected spikes are quarantined")
    func volatilityIsNotFilteredAway() async throws {
        let ports = try FreePorts.take(2)
        var configuration = FulcrumConfiguration.smallEngine(feeds: [.bound(toPort: ports[0], name: "venue")],
                                                             symbols: [], warmupESS: 5)
        // At least the venue's tick spacing: a held tick is settled before its interval closes.
        configuration.estimation.lateness = 300 * Self.millisecond
        configuration.model.governance.refreshIntervalNs = Self.second
        configuration.http.sampleInterval = .milliseconds(100)
        let fulcrum = try FulcrumProcess(configuration: configuration, httpPort: ports[1])
        let subscriber = FeedSubscriber(endpoint: fulcrum.publishEndpoint, prefixes: ["risk.", "hb"])
        defer { subscriber.finish() }
        _ = try await subscriber.wait(timeout: .seconds(60)) { $0.contains { $0.topic == "hb" } }
        let publisher = try TickPublisher(connect: "tcp://127.0.0.1:\(ports[0])")
        let start = (Int64(Date().timeIntervalSince1970) - 1_200) * Self.second
        var warmUpTime = start - 60 * Self.second
        let warmedUp = try await publisher.warmUp(subscriber: subscriber) {
            warmUpTime += Self.second / 4
            return TickPublisher.tick("ZZZ", price: 50, at: min(warmUpTime, start - Self.second / 10))
        }
        try #require(warmedUp, "fulcrum never answered; log:\n\(fulcrum.log)")
        let session = Operations.session()
        defer { session.invalidateAndCancel() }
        func samples() async -> PrometheusSamples {
            guard let answer = await Operations.get("http://127.0.0.1:\(ports[1])/metrics", session: session) else {
                return PrometheusSamples("")
            }
            return PrometheusSamples(String(decoding: answer.body, as: UTF8.self))
        }
        let labels = ["feed": "venue"]
        let before = await samples()
        let baseline = (received: before.value("fulcrum_ticks_received_total", labels) ?? 0,
                        accepted: before.value("fulcrum_ticks_accepted_total", labels) ?? 0)

        let series = Self.series(start: start)
        for tick in series { try publisher.send(TickPublisher.tick(tick.symbol, price: tick.price, at: tick.time)) }
        // One more calm tick per symbol closes the last interval (and settles nothing: it is in band).
        let end = start + Int64(Self.steps + 4) * Self.spacing
        var closing: [String: Double] = [:]
        for tick in series where !tick.isSpike { closing[tick.symbol] = tick.price }
        for (symbol, price) in closing.sorted(by: { $0.key < $1.key }) {
            try publisher.send(TickPublisher.tick(symbol, price: price, at: end))
        }
        let total = Double(series.count + closing.count)
        var current = await samples()
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline,
              (current.value("fulcrum_ticks_received_total", labels) ?? 0) - baseline.received < total {
            try await Task.sleep(for: .milliseconds(200))
            current = await samples()
        }
        try await Task.sleep(for: .milliseconds(500))
        current = await samples()

        // Counters: every spike quarantined, nothing else; every genuine tick accepted.
        let spikes = Double(series.filter(\.isSpike).count)
        let received = (current.value("fulcrum_ticks_received_total", labels) ?? 0) - baseline.received
        let accepted = (current.value("fulcrum_ticks_accepted_total", labels) ?? 0) - baseline.accepted
        let quarantined = current.value("fulcrum_ticks_rejected_total",
                                        ["feed": "venue", "reason": "quarantined"]) ?? 0
        #expect(received == total)
        #expect(quarantined == spikes, "quarantined \(quarantined) of \(spikes) spikes")
        #expect(accepted == total - spikes, "accepted \(accepted) of \(total - spikes) genuine ticks")

        // σ against pandas over the genuine ticks alone (the unfiltered series).
        let directory = try TemporaryDirectory()
        let csv = directory.path("genuine.csv")
        let lines = series.filter { !$0.isSpike }.map { "\($0.symbol),\($0.time),\($0.price)" }
            + closing.sorted(by: { $0.key < $1.key }).map { "\($0.key),\(end),\($0.value)" }
        try (lines.joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let updates = subscriber.parameters.map(\.message).filter { $0.symbol.hasPrefix("S") && $0.asOfNs > start }
        let last = try #require(updates.map(\.asOfNs).max())
        let reference = try await Python.run([
            "-m", "fulcrum_tools.reference.channel_sigma", csv, "--csv", "--interval", "\(Self.second)",
            "--half-life", "\(configuration.estimation.halfLife)", "--last", "\(last)",
        ], timeout: .seconds(60))
        try #require(reference.status == 0, "reference failed: \(reference.error)")
        let expected = try #require(
            try JSONSerialization.jsonObject(with: Data(reference.output.utf8)) as? [String: [String: Double]])
        var compared = 0
        var worst = 0.0
        for update in updates {
            let series = expected[update.symbol] ?? [:]
            if let first = series.keys.compactMap({ Int64($0) }).min(), update.asOfNs < first {
                #expect(update.inputs.sigmaStep == 0)
                continue
            }
            let sigma = try #require(series["\(update.asOfNs)"], "no reference at \(update.asOfNs)")
            worst = max(worst, abs(update.inputs.sigmaStep / sigma - 1))
            #expect(update.inputs.sigmaStep.isApproximatelyEqual(to: sigma, relativeTolerance: 1e-9),
                    "\(update.symbol) at \(update.asOfNs): \(update.inputs.sigmaStep) vs \(sigma)")
            compared += 1
        }
        #expect(compared >= Self.symbolCount * 20, "only \(compared) updates compared")
        print("single venue regime: \(Int(total)) ticks, \(Int(spikes)) spikes, quarantined \(Int(quarantined)) "
              + "(\(quarantined / total * 100) %), σ compared \(compared), worst relative error \(worst)")
        #expect(try await fulcrum.stop() == 0)
    }
}
