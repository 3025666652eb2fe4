import MarketData

/// A fuzzer input read as a script of inbound messages for one ``TickIngestor``, so that a single input reaches
/// the stateful checks (duplicates, ordering, symbol and venue caps, the cross-venue filter) and not only the
/// decoders; after every message the ingestor's invariants are checked.
///
/// Format, repeated until the input ends (a short tail is cut, never padded):
///
/// | bytes | meaning |
/// |---|---|
/// | 1 | control: bits 0–1 the feed (0 protobuf, 1 cryptofeed, 2 protobuf with topic filter `tick.`, 3 a feed
///       index the ingestor does not have); bits 2–3 the frame count (0 … 3); bits 4–7 how far the receipt
///       clock advances before the message, in steps of 250 ms |
/// | 1 | length of the first frame (0 … 255) |
/// | 1 | length of the second frame (0 … 255) |
/// | n | the first frame, then the second |
///
/// The receipt clock starts at ``startTime`` (2023-11-14T22:13:20Z), so seeds carry exchange times near it.
public struct IngestScript {
    /// One message of a script.
    public struct Message: Sendable, Hashable {
        /// Feed index as encoded in the control byte (0 … 3).
        public var feed: Int
        /// Frame count as encoded in the control byte (0 … 3).
        public var frameCount: Int
        /// Receipt-clock advance before the message, in 250 ms steps (0 … 15).
        public var advance: Int
        /// First frame (topic, or the whole cryptofeed message); at most 255 bytes.
        public var first: [UInt8]
        /// Second frame (the protobuf tick); at most 255 bytes.
        public var second: [UInt8]

        /// Creates a message; out-of-range fields are masked when encoded.
        public init(feed: Int, frameCount: Int, advance: Int = 0, first: [UInt8], second: [UInt8] = []) {
            self.feed = feed
            self.frameCount = frameCount
            self.advance = advance
            self.first = first
            self.second = second
        }
    }

    /// What a run did.
    public struct Report: Sendable {
        /// Messages handed to the ingestor.
        public var messages = 0
        /// Messages accepted.
        public var accepted = 0
        /// Broken invariants, empty when all held.
        public var violations: [String] = []
    }

    /// Receipt time of the first message: 1,700,000,000 s after the Unix epoch, in nanoseconds.
    public static let startTime: Int64 = 1_700_000_000_000_000_000
    /// One step of the receipt clock.
    public static let clockStep: Int64 = 250_000_000
    /// The feeds the script addresses (index 3 is deliberately missing).
    public static let feedCount = 3
    /// Largest message the feeds accept, small enough for a fuzzer to reach ``RejectionReason/oversizedFrame``.
    public static let maxMessageSize = 300

    /// The ingestor configuration of every run: small name caps so that the cap checks are reachable.
    public static var configuration: IngestConfiguration {
        IngestConfiguration(
            feeds: [
                FeedConfiguration(name: "protobuf", maxMessageSize: maxMessageSize),
                FeedConfiguration(name: "cryptofeed", encoding: .cryptofeed, maxMessageSize: maxMessageSize),
                FeedConfiguration(name: "filtered", topicPrefixes: ["tick."], maxMessageSize: maxMessageSize),
            ],
            symbols: SymbolTableConfiguration(maximumDiscovered: 4),
            venues: SymbolTableConfiguration(maximumDiscovered: 3))
    }

    /// The ingestor under test.
    public private(set) var ingestor = TickIngestor(configuration: IngestScript.configuration)
    private var clock = IngestScript.startTime
    private var unknownFeedMessages: UInt64 = 0

    /// A fresh ingestor.
    public init() {}

    /// Splits `input` into messages.
    public static func parse(_ input: UnsafeRawBufferPointer) -> [Message] {
        var messages: [Message] = []
        var index = 0
        while index < input.count {
            let control = Int(input[index])
            let firstLength = index + 1 < input.count ? Int(input[index + 1]) : 0
            let secondLength = index + 2 < input.count ? Int(input[index + 2]) : 0
            index = min(index + 3, input.count)
            let firstEnd = min(index + firstLength, input.count)
            let first = Array(input[index..<firstEnd])
            let secondEnd = min(firstEnd + secondLength, input.count)
            let second = Array(input[firstEnd..<secondEnd])
            index = secondEnd
            messages.append(Message(feed: control & 3, frameCount: (control >> 2) & 3, advance: control >> 4,
                                    first: first, second: second))
        }
        return messages
    }

    /// Encodes messages in the script format (frames longer than 255 bytes are cut).
    public static func encode(_ messages: [Message]) -> [UInt8] {
        var bytes: [UInt8] = []
        for message in messages {
            let first = message.first.prefix(255), second = message.second.prefix(255)
            bytes.append(UInt8(message.feed & 3 | (message.frameCount & 3) << 2 | (message.advance & 15) << 4))
            bytes.append(UInt8(first.count))
            bytes.append(UInt8(second.count))
            bytes += first
            bytes += second
        }
        return bytes
    }

    /// Runs every message of `input` and checks the invariants after each.
    public mutating func run(_ input: UnsafeRawBufferPointer) -> Report {
        var report = Report()
        for message in Self.parse(input) {
            let outcome = ingest(message)
            report.messages += 1
            if outcome.acceptedTick != nil { report.accepted += 1 }
            check(outcome, messages: UInt64(report.messages), into: &report.violations)
            if !report.violations.isEmpty { break }
        }
        return report
    }

    /// Hands one message to the ingestor.
    public mutating func ingest(_ message: Message) -> IngestOutcome {
        clock &+= Int64(message.advance) &* Self.clockStep
        if message.feed >= Self.feedCount { unknownFeedMessages &+= 1 }
        return message.first.withUnsafeBytes { first in
            message.second.withUnsafeBytes { second in
                ingestor.ingest(feed: message.feed, frameCount: message.frameCount, first, second,
                                receiptTime: clock)
            }
        }
    }

    /// The invariants that must hold after any sequence of messages.
    func check(_ outcome: IngestOutcome, messages: UInt64, into violations: inout [String]) {
        let totals = ingestor.totals
        if totals.received != messages {
            violations.append("received \(totals.received) after \(messages) messages")
        }
        if totals.received != totals.accepted &+ totals.ignored &+ totals.rejected &+ totals.held {
            violations.append("received \(totals.received) ≠ accepted \(totals.accepted) + ignored "
                              + "\(totals.ignored) + rejected \(totals.rejected) + held \(totals.held)")
        }
        var perFeed = IngestCounters()
        for feed in 0..<Self.feedCount {
            let counters = ingestor.counters(feed: feed)
            if counters.received != counters.accepted &+ counters.ignored &+ counters.rejected &+ counters.held {
                violations.append("feed \(feed): received \(counters.received) ≠ accepted \(counters.accepted) + "
                                  + "ignored \(counters.ignored) + rejected \(counters.rejected)")
            }
            perFeed.add(counters)
        }
        if perFeed.received &+ unknownFeedMessages != totals.received || perFeed.accepted != totals.accepted {
            violations.append("per-feed counters do not add up to the totals")
        }
        let symbolCap = Self.configuration.symbols.allowList.count + Self.configuration.symbols.maximumDiscovered
        let venueCap = Self.configuration.venues.allowList.count + Self.configuration.venues.maximumDiscovered
        if ingestor.symbols.count > symbolCap { violations.append("\(ingestor.symbols.count) symbols interned") }
        if ingestor.venues.count > venueCap { violations.append("\(ingestor.venues.count) venues interned") }
        switch outcome {
        case .accepted(let tick, _), .quarantined(let tick), .held(let tick):
            let bounds = Self.configuration.validation
            if !(tick.price.isFinite && tick.price >= bounds.minimumPrice && tick.price <= bounds.maximumPrice) {
                violations.append("tick with price \(tick.price) passed validation")
            }
            if !(tick.robustPrice.isFinite && tick.robustPrice > 0) {
                violations.append("robust price \(tick.robustPrice)")
            }
            if tick.exchangeTime > clock &+ bounds.maximumFutureSkew || tick.exchangeTime < clock &- bounds.maximumAge {
                violations.append("tick at \(tick.exchangeTime) passed validation at receipt \(clock)")
            }
            if Int(tick.symbol.rawValue) >= ingestor.symbols.count || Int(tick.venue.rawValue) >= ingestor.venues.count {
                violations.append("tick refers to a name that was not interned")
            }
        case .rejected(.late):
            violations.append("the ingestor reported lateness, which only the estimator decides")
        case .market(let event):
            if Int(event.symbol.rawValue) >= ingestor.symbols.count || Int(event.venue.rawValue) >= ingestor.venues.count {
                violations.append("market event refers to a name that was not interned")
            }
        case .rejected, .ignored:
            break
        }
    }
}
