import Foundation
import FulcrumTestSupport
import FuzzSupport
import MarketData
import Testing

/// Replays the fuzzers' seed corpus and every saved crash input (`Fuzz/Corpus/`) through the decoders and the
/// ingest step. The seeds hold one message of each kind of bad input, so this also checks that each is
/// rejected for the reason its name says. `IngestScript` is the fuzzers' own harness (`Fuzz/Sources/FuzzSupport`),
/// so a crash input copied into `Fuzz/Corpus/regressions/` replays here exactly as the fuzzer ran it.
@Suite("Fuzz corpus and regressions")
struct RegressionCorpusTests {
    static let corpus = repositoryRoot.appendingPathComponent("Fuzz/Corpus")

    static func files(_ folder: String) -> [(name: String, bytes: [UInt8])] {
        let directory = corpus.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().compactMap { name in
            (try? Data(contentsOf: directory.appendingPathComponent(name))).map { (name, Array($0)) }
        }
    }

    /// What the ingest step must do with each named protobuf seed (from the wire contract, not the decoder).
    static let protobufExpectations: [String: RejectionReason?] = [
        "valid": nil, "valid-quote": nil, "valid-sell-no-size": nil, "unknown-fields-and-group": nil,
        "repeated-field-last-wins": nil,
        "truncated": .truncatedProtobuf, "length-past-end": .truncatedProtobuf,
        "bad-wire-type": .invalidProtobuf, "field-zero": .invalidProtobuf, "overlong-varint": .invalidProtobuf,
        "deep-groups": .invalidProtobuf,
        "nan-price": .nonFinitePrice, "inf-price": .nonFinitePrice, "zero-price": .nonPositivePrice,
        "negative-price": .nonPositivePrice, "absurd-price": .absurdMagnitude, "missing-symbol": .missingField,
        "empty-venue": .missingField, "future": .futureTimestamp, "past": .pastTimestamp, "crossed": .crossedQuote,
        "negative-size": .invalidSize, "binary-symbol": .invalidSymbol,
    ]

    /// Likewise for the cryptofeed seeds whose fate the contract fixes (the others need only be survived).
    static let cryptofeedExpectations: [String: RejectionReason?] = [
        "trade": nil, "trade-string-numbers": nil, "trade-exponent": nil, "trade-escaped": nil, "ticker": nil,
        "no-space": .malformedFrame, "not-object": .unknownEncoding, "invalid-json": .invalidJSON,
        "missing-price": .missingField, "null-price": .missingField, "negative-price": .nonPositivePrice,
        "bad-timestamp": .invalidTimestamp, "crossed-ticker": .crossedQuote,
    ]

    /// Market-data seeds: `nil` for an accepted market message.
    static let cryptofeedMarketExpectations: [String: RejectionReason?] = [
        "book-snapshot": nil, "funding": nil, "open-interest": nil, "liquidation": nil, "candle": nil,
        "book-delta-gap": .bookGap, "book-negative-size": .invalidBookLevel, "book-crossed": .crossedBook,
    ]

    @Test("Each protobuf seed is accepted or rejected for the reason its name gives")
    func protobufSeeds() throws {
        let files = Self.files("protobuf")
        #expect(Set(files.map(\.name)) == Set(Self.protobufExpectations.keys), "seed list and expectations differ")
        for (name, bytes) in files {
            var ingestor = TickIngestor(encoding: .fulcrumProtobuf)
            let topic = Array("tick".utf8)
            let outcome = topic.withUnsafeBytes { first in
                bytes.withUnsafeBytes { second in
                    ingestor.ingest(frameCount: 2, first, second, receiptTime: IngestScript.startTime)
                }
            }
            let expected = try #require(Self.protobufExpectations[name])
            #expect(outcome.rejectionReason == expected, "\(name): \(outcome)")
            if expected == nil { #expect(outcome.acceptedTick != nil, "\(name): \(outcome)") }
        }
    }

    @Test("Each cryptofeed seed is decoded without trapping; those the contract fixes get their reason")
    func cryptofeedSeeds() throws {
        let files = Self.files("cryptofeed")
        #expect(files.count >= Self.cryptofeedExpectations.count)
        for (name, bytes) in files {
            var ingestor = TickIngestor(encoding: .cryptofeed)
            let outcome = bytes.withUnsafeBytes {
                ingestor.ingest(frameCount: 1, $0, receiptTime: IngestScript.startTime)
            }
            if name == "fills-ignored" { #expect(outcome == .ignored, "\(name): \(outcome)") }
            if let expected = Self.cryptofeedMarketExpectations[name] {
                #expect(outcome.rejectionReason == expected, "\(name): \(outcome)")
                if expected == nil { #expect(outcome.isMarket, "\(name): \(outcome)") }
            }
            guard let expected = Self.cryptofeedExpectations[name] else { continue }
            #expect(outcome.rejectionReason == expected, "\(name): \(outcome)")
            if expected == nil { #expect(outcome.acceptedTick != nil, "\(name): \(outcome)") }
        }
    }

    /// What the protobuf feed's Tick-or-MarketUpdate path does with each `market` seed after the harness's book
    /// snapshot (`nil`: accepted, as a market message or, for the `tick` seeds, a tick).
    static let marketExpectations: [String: RejectionReason?] = [
        "book-snapshot": nil, "book-delta": nil, "funding": nil, "open-interest": nil, "open-interest-zero": nil,
        "liquidation": nil, "candle": nil, "candle-in-progress": nil, "last-oneof-wins": nil, "tick": nil,
        "book-delta-gap": .bookGap, "book-crossed": .crossedBook, "book-negative-size": .invalidBookLevel,
        "book-nan-price": .invalidBookLevel, "book-out-of-order": .outOfOrder, "funding-missing-mark": .missingField,
        "missing-venue": .missingField, "truncated": .truncatedProtobuf, "bad-wire-type": .invalidProtobuf,
        "tick-no-price": .nonPositivePrice,
    ]

    @Test("Each MarketUpdate seed keeps the market fuzzer's invariants and gets the outcome its name gives")
    func marketSeeds() throws {
        let files = Self.files("market")
        #expect(Set(files.map(\.name)) == Set(Self.marketExpectations.keys), "seed list and expectations differ")
        for (name, bytes) in files {
            let report = bytes.withUnsafeBytes { MarketUpdateHarness.run($0) }
            #expect(report.violations.isEmpty, "\(name): \(report.violations)")
            let expected = try #require(Self.marketExpectations[name])
            #expect(report.outcome.rejectionReason == expected, "\(name): \(report.outcome)")
            if expected == nil {
                #expect(report.outcome.isMarket == name.hasPrefix("tick") ? false : true, "\(name): \(report.outcome)")
            }
        }
        // The last oneof field wins: the seed's funding replaces its open interest.
        let last = try #require(files.first { $0.name == "last-oneof-wins" })
        #expect(last.bytes.withUnsafeBytes { MarketUpdateHarness.run($0) }.decoded?.channel == .funding)
    }

    @Test("Every ingest seed and saved crash input keeps the ingestor's invariants")
    func ingestScripts() {
        let files = Self.files("ingest") + Self.files("regressions")
        #expect(files.count >= 8)
        for (name, bytes) in files {
            var script = IngestScript()
            let report = bytes.withUnsafeBytes { script.run($0) }
            #expect(report.violations.isEmpty, "\(name): \(report.violations)")
            #expect(report.messages > 0, "\(name) holds no message")
        }
    }

    @Test("A script's steady two-venue seed is accepted in full; the hostile mix accepts only its valid ticks")
    func scriptSeedsDoWhatTheySay() {
        let files = Dictionary(uniqueKeysWithValues: Self.files("ingest").map { ($0.name, $0.bytes) })
        var steady = IngestScript()
        let steadyReport = (files["steady-two-venues"] ?? []).withUnsafeBytes { steady.run($0) }
        #expect(steadyReport.messages == 16 && steadyReport.accepted == 16)

        var mixed = IngestScript()
        let mixedReport = (files["mixed-hostile"] ?? []).withUnsafeBytes { mixed.run($0) }
        // One valid protobuf tick, one valid cryptofeed trade, one later valid protobuf tick.
        #expect(mixedReport.messages == 13)
        #expect(mixedReport.accepted == 3)
        #expect(mixed.ingestor.totals.ignored == 1)
    }

    @Test("Scripts round-trip through their encoding")
    func scriptEncoding() {
        let messages = [
            IngestScript.Message(feed: 1, frameCount: 1, advance: 3, first: Array("x y".utf8)),
            IngestScript.Message(feed: 2, frameCount: 2, advance: 15, first: [1, 2], second: [3]),
            IngestScript.Message(feed: 3, frameCount: 0, advance: 0, first: [], second: []),
        ]
        let encoded = IngestScript.encode(messages)
        #expect(encoded.withUnsafeBytes { IngestScript.parse($0) } == messages)
        // A cut input loses the tail of its last message, nothing else.
        let cut = Array(encoded.dropLast(1))
        #expect(cut.withUnsafeBytes { IngestScript.parse($0) }.count == messages.count)
    }
}
