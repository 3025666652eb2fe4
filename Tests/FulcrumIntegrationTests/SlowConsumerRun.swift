import Foundation
import FulcrumProtocol
import Testing

/// Drives one Fulcrum through the phases of the slow-consumer test: bursts that measure ingest throughput and paced
/// steps that measure how fresh the healthy reader's parameters are. Steps continue across phases (event time only
/// moves forward). Used from one test task.
final class SlowConsumerRun {
    let feed: FeedServer
    let reader: TimedSubscriber
    let start: Int64
    let stepNanoseconds: Int64 = 100_000_000
    private(set) var nextStep = 0
    private(set) var ticksSent = 0

    init(feed: FeedServer, reader: TimedSubscriber, start: Int64) {
        self.feed = feed
        self.reader = reader
        self.start = start
    }

    /// The grid boundary the first tick of `step` closes, the as-of of the updates it triggers.
    func boundary(step: Int) -> Int64 { start + Int64(step) * stepNanoseconds }

    /// Sends `steps` steps at once and waits for the reader's portfolio update of the last; returns ticks ingested
    /// per second, from the first send to that update's arrival.
    func burst(steps: Int, timeout: Duration = .seconds(120)) async throws -> Double {
        let range = nextStep..<(nextStep + steps)
        let ticks = SlowConsumerTests.ticks(steps: range, start: start)
        let began = ContinuousClock.now
        for tick in ticks { try feed.send(tick) }
        nextStep = range.upperBound
        ticksSent += ticks.count
        let arrival = try #require(try await reader.waitForPortfolio(asOf: boundary(step: range.upperBound - 1),
                                                                     timeout: timeout),
                                   "the reader never got the burst's last step")
        return Double(ticks.count) / Self.seconds(arrival - began)
    }

    /// Sends `steps` steps one every `interval`, calling `midway` after half of them; returns, per step, the time
    /// from sending it to the reader receiving the portfolio update it closes.
    func paced(steps: Int, interval: Duration, midway: () throws -> Void = {}) async throws -> [Duration] {
        var sentAt: [(step: Int, at: ContinuousClock.Instant)] = []
        let began = ContinuousClock.now
        for index in 0..<steps {
            if index == steps / 2 { try midway() }
            let step = nextStep
            let ticks = SlowConsumerTests.ticks(steps: step..<(step + 1), start: start)
            sentAt.append((step, .now))
            for tick in ticks { try feed.send(tick) }
            nextStep += 1
            ticksSent += ticks.count
            try await Task.sleep(until: began + interval * (index + 1), clock: .continuous)
        }
        _ = try await reader.waitForPortfolio(asOf: boundary(step: nextStep - 1), timeout: .seconds(60))
        return try sentAt.map { step, at in
            let arrival = try #require(reader.portfolioArrival(asOf: boundary(step: step)),
                                       "no portfolio update for paced step \(step)")
            return arrival - at
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The median of `durations`.
    static func median(_ durations: [Duration]) -> Duration {
        let sorted = durations.sorted()
        return sorted.isEmpty ? .zero : sorted[sorted.count / 2]
    }
}
