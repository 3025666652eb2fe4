import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import Testing

/// Fulcrum with its HTTP endpoint on a free port, fed a known series of protobuf ticks over tcp by the test, and
/// a raw subscriber on its risk feed. Fulcrum runs in this process unless the test needs the binary (signals).
final class OperationsScenario {
    static let symbols = ["AAA", "BBB", "CCC"]
    static let basePrices = [100.0, 20.0, 3.0]

    let fulcrum: any FulcrumHost
    let subscriber: FeedSubscriber
    let publisher: TickPublisher
    let httpBase: String
    /// The tcp port of the feed Fulcrum binds (the test's publisher connects to it).
    let feedPort: Int
    let session = Operations.session()
    /// Start of the tick series: a whole second, `history` seconds ago (two minutes by default); a test can send
    /// that many grid intervals before the ticks would be in the future.
    let start: Int64
    private(set) var step = 0

    /// Starts Fulcrum: a feed it binds, symbols AAA, BBB and CCC, a 1 s grid and a 10 s half-life, a warm-up of 10
    /// effective samples, metrics sampled every 100 ms; then whatever `adjust` changes. `process` spawns the binary.
    init(history: Int64 = 120, process: Bool = false,
         _ adjust: (inout FulcrumConfiguration) -> Void = { _ in }) throws {
        start = (Int64(Date().timeIntervalSince1970) - history) * 1_000_000_000
        let ports = try FreePorts.take(2)
        var configuration = FulcrumConfiguration.smallEngine(feeds: [.bound(toPort: ports[0])], symbols: Self.symbols,
                                                             warmupESS: 10)
        configuration.http.sampleInterval = .milliseconds(100)
        adjust(&configuration)
        fulcrum = process ? try FulcrumProcess(configuration: configuration, httpPort: ports[1])
            : try InProcessFulcrumHost(configuration: configuration, httpPort: ports[1])
        httpBase = "http://127.0.0.1:\(ports[1])"
        feedPort = ports[0]
        subscriber = FeedSubscriber(endpoint: fulcrum.publishEndpoint)
        publisher = try TickPublisher(connect: "tcp://127.0.0.1:\(ports[0])")
    }

    deinit {
        subscriber.finish()
        session.invalidateAndCancel()
    }

    /// The tcp port of Fulcrum's risk feed (PUB).
    var publishPort: Int { Int(fulcrum.publishEndpoint.split(separator: ":").last ?? "") ?? 0 }

    /// The price of asset `i` at grid step `k`: a deterministic, bounded walk.
    static func price(_ i: Int, _ k: Int) -> Double {
        basePrices[i] * exp(0.0004 * sin(Double(k) * 0.9 + Double(i)) + 0.0002 * cos(Double(k) * 2.3 * Double(i + 1)))
    }

    /// The tick of asset `i` inside grid interval `k`.
    func tick(_ i: Int, _ k: Int) -> WireTick {
        TickPublisher.tick(Self.symbols[i], price: Self.price(i, k),
                           at: start + Int64(k) * 1_000_000_000 + Int64(i + 1) * 100_000_000)
    }

    /// The current `/parameters` document.
    func parameters() async -> [String: Any] {
        guard let answer = await Operations.get(httpBase + "/parameters", session: session) else { return [:] }
        return Operations.json(answer.body)
    }

    /// The current value of one metric series.
    func metric(_ name: String, _ labels: [String: String] = [:]) async -> Double? {
        guard let answer = await Operations.get(httpBase + "/metrics", session: session) else { return nil }
        return PrometheusSamples(String(decoding: answer.body, as: UTF8.self)).value(name, labels)
    }

    /// Waits for the HTTP endpoint, then sends the first interval's ticks until Fulcrum has received one (the
    /// tcp connection is up: later ticks are not lost). Returns whether it connected.
    func connect() async throws -> Bool {
        let live = try await Operations.poll(httpBase + "/health", session: session) { status, _ in status == 200 }
        guard live?.status == 200 else { return false }
        let deadline = ContinuousClock.now + .seconds(30)
        // The raw subscriber must be in place before the first grid step, or it misses that step's updates.
        while await (metric("fulcrum_subscriptions") ?? 0) < 1, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        while ContinuousClock.now < deadline {
            for i in Self.symbols.indices { try publisher.send(tick(i, 0)) }
            if let received = await metric("fulcrum_ticks_received_total", ["feed": "test"]), received > 0 {
                return true
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Waits until Fulcrum has run a grid step for every interval sent; returns whether it did within `timeout`.
    func settle(timeout: Duration = .seconds(30)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await metric("fulcrum_grid_steps_total") == Double(step) { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Waits until the raw subscriber has received every update published so far; returns that last sequence,
    /// or `nil` if it did not arrive within `timeout`.
    func caughtUp(timeout: Duration = .seconds(30)) async throws -> UInt64? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let last = await metric("fulcrum_publisher_sequence"), last > 0,
               subscriber.received.contains(where: { Double($0.sequence) >= last }) { return UInt64(last) }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// Sends the ticks of the next `count` grid intervals (each tick of interval k closes interval k − 1).
    /// Returns the number of ticks sent.
    @discardableResult
    func advance(_ count: Int) throws -> Int {
        for _ in 0..<count {
            step += 1
            for i in Self.symbols.indices { try publisher.send(tick(i, step)) }
        }
        return count * Self.symbols.count
    }
}
