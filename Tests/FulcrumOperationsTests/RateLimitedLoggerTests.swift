import FulcrumService
import FulcrumTestSupport
import Logging
import MarginModel
import Testing
@testable import FulcrumEngine
@testable import FulcrumOperations

@Suite("Rate-limited problem log")
struct RateLimitedLoggerTests {
    let start = ContinuousClock.now

    @Test("The first event logs at once; events within the interval are folded into the next line")
    func foldsWithinInterval() {
        let capture = LogCapture()
        let limited = RateLimitedLogger(logger: capture.logger(), interval: .seconds(10))
        #expect(limited.log(.warning, key: "k", "ticks rejected", count: 3, now: start))
        #expect(!limited.log(.warning, key: "k", "ticks rejected", count: 5, now: start + .seconds(2)))
        #expect(!limited.log(.warning, key: "k", "ticks rejected", count: 1, now: start + .seconds(9)))
        #expect(limited.pendingCount(key: "k") == 6)
        #expect(limited.log(.warning, key: "k", "ticks rejected", count: 2, now: start + .seconds(10)))
        let records = capture.records
        #expect(records.count == 2)
        #expect(records.map { $0.metadata["fulcrum.events"] } == ["3", "8"])
        #expect(records.allSatisfy { $0.level == .warning && $0.message == "ticks rejected" })
        #expect(limited.pendingCount(key: "k") == 0)
    }

    @Test("Keys are limited independently")
    func independentKeys() {
        let capture = LogCapture()
        let limited = RateLimitedLogger(logger: capture.logger(), interval: .seconds(10))
        #expect(limited.log(.warning, key: "a", "a", now: start))
        #expect(limited.log(.warning, key: "b", "b", now: start + .seconds(1)))
        #expect(!limited.log(.warning, key: "a", "a", now: start + .seconds(1)))
        #expect(capture.records.map(\.message) == ["a", "b"])
    }

    @Test("flush logs the tail of a burst once its interval has passed, with the latest metadata")
    func flushesTail() {
        let capture = LogCapture()
        let limited = RateLimitedLogger(logger: capture.logger(), interval: .seconds(10))
        limited.log(.warning, key: "k", "ticks rejected", metadata: ["fulcrum.feed": "x"], now: start)
        limited.log(.warning, key: "k", "ticks rejected", metadata: ["fulcrum.feed": "y"], count: 4,
                    now: start + .seconds(1))
        #expect(limited.flush(now: start + .seconds(5)) == 0)
        #expect(limited.flush(now: start + .seconds(10)) == 1)
        #expect(limited.flush(now: start + .seconds(30)) == 0)
        let last = capture.records.last
        #expect(capture.records.count == 2)
        #expect(last?.metadata["fulcrum.events"] == "4")
        #expect(last?.metadata["fulcrum.feed"] == "y")
    }

    @Test("Events below the logger's level are neither logged nor counted")
    func respectsLevel() {
        let capture = LogCapture()
        let limited = RateLimitedLogger(logger: capture.logger(level: .error), interval: .seconds(1))
        #expect(!limited.log(.warning, key: "k", "ignored", now: start))
        #expect(limited.pendingCount(key: "k") == 0)
        #expect(capture.records.isEmpty)
    }
}
