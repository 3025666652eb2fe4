import Foundation
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import Testing

/// The governance rules seen from outside: a volatility regime switch through the real binary.
@Suite("Volatility regime switch through the fulcrum binary", .serialized, .timeLimit(.minutes(3)))
struct RegimeSwitchTests {
    static let second: Int64 = 1_000_000_000

    static func configuration(feedPort: Int) -> FulcrumConfiguration {
        var configuration = FulcrumConfiguration.smallEngine(feeds: [.bound(toPort: feedPort)], symbols: ["AAA", "ZZZ"],
                                                             warmupESS: 10)
        configuration.ingest.validation.maximumAge = 30 * FulcrumConfiguration.day
        configuration.ingest.filter.scaleCeiling = 0.5
        configuration.ingest.filter.deviationThreshold = 1_000
        configuration.model.antiProcyclicality.mode = .off
        return configuration
    }

    @Test("Higher volatility raises IMF within one grid step; it comes down only in governed steps")
    func fastUpSlowDown() async throws {
        let feedPort = try FreePorts.take(1)[0]
        let fulcrum = try FulcrumProcess(configuration: Self.configuration(feedPort: feedPort))
        let subscriber = FeedSubscriber(endpoint: fulcrum.publishEndpoint, prefixes: ["risk.AAA", "risk.ZZZ"])
        defer { subscriber.finish() }
        let start = (Int64(Date().timeIntervalSince1970) - 6 * 3_600) * Self.second
        let publisher = try TickPublisher(connect: "tcp://127.0.0.1:\(feedPort)")
        var warmUpTime = start - 60 * Self.second
        let warmedUp = try await publisher.warmUp(subscriber: subscriber) {
            warmUpTime += Self.second / 4
            return TickPublisher.tick("ZZZ", price: 50, at: min(warmUpTime, start - Self.second / 10))
        }
        try #require(warmedUp, "fulcrum never answered; log:\n\(fulcrum.log)")

        // Calm (80 s), stressed (20 s, 20× the moves), then calm again for 3 h with a tick every 10 s.
        var price = 100.0
        var time = start
        var stressStart: Int64 = 0
        for k in 1...100 {
            let stressed = k > 80
            if k == 81 { stressStart = time }
            price *= exp((stressed ? 0.004 : 0.0002) * sin(Double(k) * 1.7))
            time = start + Int64(k) * Self.second + Self.second / 10
            try publisher.send(TickPublisher.tick("AAA", price: price, at: time))
        }
        for k in 1...1_080 {
            price *= exp(0.0002 * sin(Double(k) * 1.3))
            time += 10 * Self.second
            try publisher.send(TickPublisher.tick("AAA", price: price, at: time))
        }
        let last = time
        let frames = try await subscriber.wait(timeout: .seconds(60)) { frames in
            frames.contains { frame in
                frame.topic == "risk.AAA"
                    && ((try? WireRiskParameters(serializedBytes: frame.payload))?.asOfNs ?? 0) >= last - 20 * Self.second
            }
        }
        let updates = frames.filter { $0.topic == "risk.AAA" }.compactMap { try? WireRiskParameters(serializedBytes: $0.payload) }
        try #require(updates.count > 10, "too few updates; log:\n\(fulcrum.log)")

        // Fast up: whenever the target rises above what was published, the published IMF follows in the same update.
        var previous = updates[0]
        var decreases: [(time: Int64, from: Double, to: Double)] = []
        for update in updates.dropFirst() {
            if update.imfTarget > previous.imf * (1 + 1e-3) {
                #expect(update.imf >= update.imfTarget * (1 - 1e-12),
                        "IMF target rose to \(update.imfTarget) at \(update.asOfNs) but \(update.imf) was published")
            }
            if update.imf < previous.imf * (1 - 1e-12) { decreases.append((update.asOfNs, previous.imf, update.imf)) }
            #expect(update.mmf <= update.imf)
            previous = update
        }
        let calmIMF = try #require(updates.last { $0.asOfNs < stressStart }).imf
        let peakIMF = updates.map(\.imf).max() ?? 0
        #expect(peakIMF > 1.5 * calmIMF, "stress did not raise IMF: calm \(calmIMF), peak \(peakIMF)")
        let peakTime = try #require(updates.first { $0.imf == peakIMF }).asOfNs
        #expect(peakTime - stressStart <= 25 * Self.second, "IMF peaked only at \(peakTime - stressStart) ns")

        // Slow down: each decrease is at most the configured 10 % step and at least the 15 min cooldown apart.
        #expect(!decreases.isEmpty, "IMF never came down after the stress")
        for decrease in decreases { #expect(decrease.to >= decrease.from * 0.9 * (1 - 1e-12)) }
        for (earlier, later) in zip(decreases, decreases.dropFirst()) {
            #expect(later.time - earlier.time >= 900 * Self.second)
        }
        #expect((updates.last?.imf ?? 0) < peakIMF)
        #expect(try await fulcrum.stop() == 0)
    }
}
