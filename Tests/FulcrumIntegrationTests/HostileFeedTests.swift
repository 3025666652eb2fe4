import Foundation
import FulcrumProtocol
import Testing

/// Broken and hostile input through real sockets and the real binary: nothing a feed sends may crash Fulcrum,
/// block ingest or change an estimate, and every rejection is counted by feed and reason.
@Suite("Hostile feeds through the fulcrum binary", .serialized, .timeLimit(.minutes(6)))
struct HostileFeedTests {
    static func bytes(_ messages: [WireRiskParameters]) -> [[UInt8]] {
        messages.map { (try? $0.serializedBytes()) ?? [] }
    }

    @Test("A hostile mix publishes byte for byte the clean run's parameters (steps inline there, on the step thread here), each rejection counted")
    func hostileMixChangesNothing() async throws {
        let start = HostileFeedScenario.defaultStart()
        // Steps on the ingest thread in one run, on the step thread in the other: the same bytes either way.
        let clean = try await HostileFeedScenario(hostile: false, start: start, stepThread: false).run()
        let hostile = try await HostileFeedScenario(hostile: true, start: start, stepThread: true).run()

        // Parameters: the same updates, in the same order, with the same bytes (publisher epoch aside).
        for symbol in HostileFeedScenario.symbols {
            let expected = Self.bytes(clean.parameters[symbol] ?? [])
            let actual = Self.bytes(hostile.parameters[symbol] ?? [])
            #expect(expected.count >= 10, "too few \(symbol) updates in the clean run; log:\n\(clean.log)")
            #expect(actual.count == expected.count, "\(symbol): \(actual.count) updates vs \(expected.count)")
            if let index = zip(expected, actual).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
                let clean = clean.parameters[symbol]?[index].textFormatString() ?? ""
                let mixed = hostile.parameters[symbol]?[index].textFormatString() ?? ""
                Issue.record("\(symbol) update \(index) differs:\nclean:\n\(clean)\nhostile:\n\(mixed)")
            }
        }

        // Counters: every message sent is counted under the reason it was sent for; no other reason moves.
        for (run, result) in [("clean", clean), ("hostile", hostile)] {
            for feed in ["market", "cryptofeed"] {
                let expected = result.expected[feed] ?? [:]
                let baseline = try #require(result.baseline[feed])
                let labels = ["feed": feed]
                let accepted = result.samples.value("fulcrum_ticks_accepted_total", labels) ?? -1
                let ignored = result.samples.value("fulcrum_ticks_ignored_total", labels) ?? -1
                #expect(accepted - baseline.accepted == Double(expected["accepted"] ?? 0), "\(run) \(feed) accepted")
                #expect(ignored - baseline.ignored == Double(expected["ignored"] ?? 0), "\(run) \(feed) ignored")
                let prefix = "fulcrum_ticks_rejected_total{feed=\"\(feed)\",reason=\""
                let reported = result.samples.values.filter { $0.key.hasPrefix(prefix) }
                #expect(reported.count >= 20, "\(run) \(feed): rejection series missing")
                // Every message ends in exactly one of accepted, rejected (one reason) or ignored.
                let received = result.samples.value("fulcrum_ticks_received_total", labels) ?? -1
                #expect(received == accepted + ignored + reported.values.reduce(0, +), "\(run) \(feed) accounting")
                for (series, value) in reported {
                    let reason = String(series.dropFirst(prefix.count).dropLast(2))
                    #expect(value == Double(expected[reason] ?? 0), "\(run) \(feed) \(reason): \(value)")
                }
            }
        }
        let hostileReasons = Set(hostile.expected.values.flatMap(\.keys)).subtracting(["accepted", "ignored"])
        #expect(hostileReasons.count >= 20, "the hostile mix covers \(hostileReasons.sorted())")

        // Rate-limited logging: each reason is logged (the first of a kind at once), far fewer lines than events.
        let lines = hostile.log.split(separator: "\n").filter { $0.contains("ticks rejected") }
        for reason in hostileReasons {
            #expect(lines.contains { $0.contains("fulcrum.reason=\(reason)") }, "no log line for \(reason)")
        }
        let events = hostile.expected.values.flatMap { $0 }.filter { hostileReasons.contains($0.key) }
            .map(\.value).reduce(0, +)
        #expect(lines.count < events, "\(lines.count) log lines for \(events) rejections")
        #expect(clean.log.split(separator: "\n").filter { $0.contains("ticks rejected") }.isEmpty)
        #expect(hostile.log.contains("late=\(hostile.expected["market"]?["late"] ?? -1)"), "shutdown totals")
    }

    @Test("When every feed falls silent, every asset is republished STALE; the next grid step clears it")
    func silentFeedsPublishStale() async throws {
        let scenario = try HostileFeedScenario(hostile: false, feedSilenceStaleAfter: .seconds(2))
        let result = try await scenario.runUntilSilent()
        let symbols = ["AAA", "BBB", "CCC", "ZZZ"]
        #expect(Set(result.stale.map(\.symbol)) == Set(symbols), "stale: \(result.stale.map(\.symbol))\n\(result.log)")
        for message in result.stale {
            #expect(message.status == .stale)
            #expect(message.reasons.contains(.staleFeed))
            // Values as last published: the rule flags, it does not recompute.
            let previous = try #require(result.beforeSilence[message.symbol])
            #expect(message.imf == previous.imf && message.asOfNs == previous.asOfNs)
        }
        #expect(Set(result.afterSilence.map(\.symbol)) == Set(symbols), "not all republished after the silence")
        // ZZZ's last tick came from the warm-up, before the series: by event time it may well be stale.
        for message in result.afterSilence where HostileFeedScenario.symbols.contains(message.symbol) {
            #expect(message.status != .stale && !message.reasons.contains(.staleFeed), "\(message.symbol)")
        }
        #expect(result.sequences == Array(1...UInt64(result.sequences.count)), "sequences must stay contiguous")
        #expect(result.log.contains("every feed silent"))
    }
}
