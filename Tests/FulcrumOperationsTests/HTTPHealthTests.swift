import FulcrumService
import FulcrumTestSupport
import MarginModel
import MarketData
import Testing
@testable import FulcrumEngine
@testable import FulcrumOperations

@Suite("Liveness and readiness")
struct HTTPHealthTests {
    static func observation(
        estimates: [String] = ["ready", "ready"], steps: UInt64 = 10, feedAges: [Duration] = [.seconds(1)],
        heard: [Bool] = [true], heartbeatAge: Duration? = .milliseconds(400)
    ) -> MetricsObservation {
        var snapshot = EngineSnapshot()
        snapshot.symbols = estimates.indices.map { "S\($0)" }
        snapshot.estimateStatus = estimates
        snapshot.stepsRun = steps
        return MetricsObservation(snapshot: snapshot, feedAges: feedAges, feedsHeard: heard,
                                  heartbeatAge: heartbeatAge, lastSequence: 1, uptime: .seconds(60))
    }

    let settings = HTTPSettings()

    @Test("Ready when warm, stepping, fresh and not shutting down")
    func ready() {
        let result = HTTPHealth.readiness(Self.observation(), settings: settings, feedNames: ["f"],
                                          shuttingDown: false)
        #expect(result.ok)
        #expect(result.reasons.isEmpty)
    }

    @Test("Each failed condition is named")
    func reasons() {
        let stale = HTTPHealth.readiness(Self.observation(feedAges: [.seconds(31)]), settings: settings,
                                         feedNames: ["binance"], shuttingDown: false)
        #expect(!stale.ok)
        #expect(stale.reasons == ["feed binance: no accepted tick for 31s"])

        let silent = HTTPHealth.readiness(Self.observation(feedAges: [.seconds(2)], heard: [false]),
                                          settings: settings, feedNames: ["binance"], shuttingDown: false)
        #expect(silent.reasons == ["feed binance: no accepted tick yet"])

        let warming = HTTPHealth.readiness(Self.observation(estimates: ["ready", "warming", "noData"]),
                                           settings: settings, feedNames: ["f"], shuttingDown: false)
        #expect(warming.reasons == ["warming up: S1"])

        let empty = HTTPHealth.readiness(Self.observation(estimates: ["noData"], steps: 0), settings: settings,
                                         feedNames: ["f"], shuttingDown: false)
        #expect(empty.reasons == ["no grid step yet", "no asset has data yet"])

        let stopping = HTTPHealth.readiness(Self.observation(), settings: settings, feedNames: ["f"],
                                            shuttingDown: true)
        #expect(stopping.reasons == ["shutting down"])
    }

    @Test("An asset with no data does not hold readiness back")
    func noDataIgnored() {
        let result = HTTPHealth.readiness(Self.observation(estimates: ["ready", "noData"]), settings: settings,
                                          feedNames: ["f"], shuttingDown: false)
        #expect(result.ok)
    }

    @Test("Not live when the publisher's heartbeats stop; live without a publisher")
    func liveness() {
        #expect(HTTPHealth.liveness(Self.observation(), settings: settings).ok)
        #expect(HTTPHealth.liveness(Self.observation(heartbeatAge: nil), settings: settings).ok)
        let dead = HTTPHealth.liveness(Self.observation(heartbeatAge: .seconds(11)), settings: settings)
        #expect(!dead.ok)
        #expect(dead.reasons == ["no heartbeat from the publisher for 11s"])
        let notReady = HTTPHealth.readiness(Self.observation(heartbeatAge: .seconds(11)), settings: settings,
                                            feedNames: ["f"], shuttingDown: false)
        #expect(!notReady.ok)
    }
}
