import FulcrumService
import FulcrumTestSupport
import MarginModel
import MarketData
import Testing
@testable import FulcrumEngine
@testable import FulcrumOperations

@Suite("Rate-limited rejection log of the ingest thread")
struct RejectionLogTests {
    /// Counters of two feeds, mutated by the tests.
    struct Feeds {
        var counters = [IngestCounters(), IngestCounters()]

        mutating func reject(_ reason: RejectionReason, feed: Int, times: Int = 1) {
            for _ in 0..<times { counters[feed].record(.rejected(reason)) }
        }
    }

    static func collect(_ log: inout RejectionLog, _ feeds: Feeds, at now: ContinuousClock.Instant)
        -> [RejectionLog.Line] {
        var lines: [RejectionLog.Line] = []
        log.collect(counters: { feeds.counters[$0] }, now: now) { lines.append($0) }
        return lines
    }

    @Test("The first rejection is reported at once; a flood yields one line per interval with the count since")
    func foldsWithinInterval() {
        let start = ContinuousClock.now
        var log = RejectionLog(feedCount: 2, interval: .seconds(1))
        var feeds = Feeds()
        #expect(Self.collect(&log, feeds, at: start).isEmpty)

        feeds.reject(.invalidProtobuf, feed: 0)
        #expect(Self.collect(&log, feeds, at: start) == [.init(feed: 0, reason: .invalidProtobuf, events: 1, total: 1)])

        feeds.reject(.invalidProtobuf, feed: 0, times: 500)
        #expect(Self.collect(&log, feeds, at: start + .milliseconds(300)).isEmpty)
        feeds.reject(.invalidProtobuf, feed: 0, times: 499)
        #expect(Self.collect(&log, feeds, at: start + .milliseconds(999)).isEmpty)
        #expect(Self.collect(&log, feeds, at: start + .seconds(1))
                == [.init(feed: 0, reason: .invalidProtobuf, events: 999, total: 1_000)])
        // Nothing new: no line, however long after.
        #expect(Self.collect(&log, feeds, at: start + .seconds(60)).isEmpty)
    }

    @Test("Feeds and reasons are limited independently")
    func independentKeys() {
        let start = ContinuousClock.now
        var log = RejectionLog(feedCount: 2, interval: .seconds(10))
        var feeds = Feeds()
        feeds.reject(.duplicate, feed: 0, times: 3)
        #expect(Self.collect(&log, feeds, at: start).count == 1)
        feeds.reject(.duplicate, feed: 0)
        feeds.reject(.duplicate, feed: 1, times: 2)
        feeds.reject(.nonFinitePrice, feed: 0)
        let lines = Self.collect(&log, feeds, at: start + .seconds(1))
        #expect(Set(lines.map { "\($0.feed).\($0.reason)" }) == ["1.duplicate", "0.non_finite_price"])
        #expect(lines.first { $0.feed == 1 }?.events == 2)
    }

    @Test("Flush reports what is still folded, whatever the interval")
    func flushReportsTail() {
        let start = ContinuousClock.now
        var log = RejectionLog(feedCount: 2, interval: .seconds(10))
        var feeds = Feeds()
        feeds.reject(.late, feed: 1)
        _ = Self.collect(&log, feeds, at: start)
        feeds.reject(.late, feed: 1, times: 41)
        var lines: [RejectionLog.Line] = []
        log.flush(counters: { feeds.counters[$0] }, now: start + .milliseconds(1)) { lines.append($0) }
        #expect(lines == [.init(feed: 1, reason: .late, events: 41, total: 42)])
        lines.removeAll()
        log.flush(counters: { feeds.counters[$0] }, now: start + .milliseconds(2)) { lines.append($0) }
        #expect(lines.isEmpty)
    }
}
