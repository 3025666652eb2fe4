import Foundation
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import MarketData
import Testing

/// cryptofeed's market-data backends (`BookZMQ` with and without `snapshots_only`, `FundingZMQ`,
/// `OpenInterestZMQ`, `LiquidationsZMQ`) and `TradeZMQ`, each on its own socket, through the real binary.
@Suite("cryptofeed's books, funding, open interest and liquidations through the fulcrum binary", .serialized,
       .timeLimit(.minutes(4)))
struct CryptofeedMarketDataTests {
    static let second: Int64 = 1_000_000_000

    @Test("Every message is counted; books set the tiers, mark and open interest are published, a burst trips the breaker")
    func marketData() async throws {
        let ports = try FreePorts.take(2)
        var configuration = FulcrumConfiguration.smallEngine(
            feeds: [.bound(toPort: ports[0], name: "cryptofeed", encoding: .cryptofeed)], symbols: [], warmupESS: 3)
        configuration.model.governance.refreshIntervalNs = Self.second
        configuration.model.liquidity.cascadeWindowNs = 5 * Self.second
        configuration.http.sampleInterval = .milliseconds(100)
        let fulcrum = try FulcrumProcess(configuration: configuration, httpPort: ports[1])
        let subscriber = FeedSubscriber(endpoint: fulcrum.publishEndpoint, prefixes: ["risk.", "hb"])
        defer { subscriber.finish() }
        _ = try await subscriber.wait(timeout: .seconds(60)) { $0.contains { $0.topic == "hb" } }

        let feeder = try await Python.run(
            ["Tests/FulcrumIntegrationTests/Scripts/cryptofeed_market.py", "\(ports[0])", "12"],
            timeout: .seconds(90))
        try #require(feeder.status == 0, "cryptofeed feeder failed: \(feeder.error)")
        var printed: [String: String] = [:]
        for line in feeder.output.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2 { printed[String(parts[0])] = String(parts[1]) }
        }
        let sent = Double(printed["sent"] ?? "") ?? 0
        let marks = Set((printed["marks"] ?? "").split(separator: ",").compactMap { Double(String($0)) })
        let cascade = try #require(Int64(printed["cascade"] ?? ""))
        #expect(sent > 200, "\(feeder.output)")

        // Every message counted once, and every one accepted: books, funding, open interest and liquidations too.
        let session = Operations.session()
        defer { session.invalidateAndCancel() }
        var samples = PrometheusSamples("")
        let labels = ["feed": "cryptofeed"]
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
        let ignored = samples.value("fulcrum_ticks_ignored_total", labels) ?? -1
        let rejected = RejectionReason.allCases.map {
            samples.value("fulcrum_ticks_rejected_total", ["feed": "cryptofeed", "reason": $0.metricName]) ?? 0
        }.reduce(0, +)
        #expect(received == sent, "received \(received) of \(sent); log:\n\(fulcrum.log)")
        #expect(received == accepted + rejected + ignored)
        #expect(accepted == sent && ignored == 0)

        let updates = subscriber.parameters.map(\.message)
        let deep = updates.filter { $0.symbol == "DEEP-USDT" }
        let thin = updates.filter { $0.symbol == "THIN-USDT" }
        try #require(!deep.isEmpty && !thin.isEmpty, "no updates; log:\n\(fulcrum.log)")
        for update in deep + thin {
            #expect(update.reasons.contains(.bookImpact), "\(update.symbol) at \(update.asOfNs): \(update.reasons)")
            #expect(!update.reasons.contains(.liquidityUnknown))
            #expect(update.inputs.liquiditySource == .book)
            #expect(update.inputs.bookDepthNotional > 0)
        }
        // The thinner book: higher margins and lower leverage for the same notional, a smaller position limit.
        let deepFirst = try #require(deep.first)
        let thinFirst = try #require(thin.first { $0.asOfNs == deepFirst.asOfNs })
        func tier(_ update: WireRiskParameters, _ notional: Double) -> Fulcrum_V1_MarginTier? {
            update.tiers.last { $0.notionalFloor <= notional }
        }
        let notional = 20_000.0
        let deepTier = try #require(tier(deepFirst, notional))
        let thinTier = try #require(tier(thinFirst, notional))
        #expect(thinTier.mmf > deepTier.mmf, "thin \(thinFirst.tiers) deep \(deepFirst.tiers)")
        #expect(thinTier.maxLeverage <= deepTier.maxLeverage)
        #expect(thinFirst.tiers.last!.notionalCap < deepFirst.tiers.last!.notionalCap)

        // The mark price (one that was sent) and its basis to the index; open interest at the mark.
        let lastDeep = try #require(deep.last)
        #expect(marks.count > 10)
        for update in deep {
            #expect(marks.contains(update.inputs.markPrice), "mark \(update.inputs.markPrice) was not sent")
            let index = update.inputs.indexPrice
            #expect(index > 0 && update.inputs.basis.isApproximatelyEqual(
                to: (update.inputs.markPrice - index) / index, relativeTolerance: 1e-12))
        }
        #expect(lastDeep.inputs.openInterestNotional > 1000 * 99)
        #expect(thin.allSatisfy { $0.inputs.markPrice == 0 && $0.inputs.openInterestNotional == 0 })

        // The burst on THIN: the breaker with its own reason, from the first step after it.
        let burst = thin.filter { $0.asOfNs > cascade + Self.second && $0.asOfNs < cascade + 3 * Self.second }
        try #require(!burst.isEmpty, "no THIN update after the burst at \(cascade)")
        for update in burst {
            #expect(update.reasons.contains(.liquidationCascade), "\(update.asOfNs): \(update.reasons)")
            #expect(update.status == .stressed)
            #expect(update.inputs.liquidatedNotional > update.inputs.bookDepthNotional)
        }
        #expect(thin.filter { $0.asOfNs < cascade }.allSatisfy { !$0.reasons.contains(.liquidationCascade) })
        #expect(deep.allSatisfy { !$0.reasons.contains(.liquidationCascade) })
        print("cryptofeed market data: sent \(Int(sent)), accepted \(Int(accepted)); DEEP tier at 20k: MMF "
              + "\(deepTier.mmf) max \(deepTier.maxLeverage)×, THIN: MMF \(thinTier.mmf) max \(thinTier.maxLeverage)×")
        #expect(try await fulcrum.stop() == 0)
    }
}
