import Foundation
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import Testing
import ZeroMQ

/// Protocol health in a running Fulcrum: the embedded simulated market and its simulated position book, valued at
/// the published parameters and stressed, published on the health socket in both encodings.
@Suite("Protocol health published by a running Fulcrum", .serialized, .timeLimit(.minutes(3)))
struct ProtocolHealthServiceTests {
    static func configuration(healthPort: Int) -> FulcrumConfiguration {
        var configuration = FulcrumConfiguration.embeddedDefault
        configuration.http.address = "127.0.0.1:0"
        configuration.health.publishEndpoint = "tcp://127.0.0.1:\(healthPort)"
        configuration.health.interval = .milliseconds(500)
        // Ten grid steps a second, so that 50 steps of residual history (filtered historical draws) come quickly.
        configuration.estimation.gridInterval = 100_000_000
        configuration.health.scenarios = 200
        configuration.health.simulatedAccounts = 500
        return configuration
    }

    @Test("Open interest per market equals the book at the published marks; the stress figures hold together")
    func publishedHealthMatchesTheBook() async throws {
        let ports = try FreePorts.take(3)
        let configuration = Self.configuration(healthPort: ports[2])
        let book = try #require(try configuration.healthPositionBook())
        let subscriber = FeedSubscriber(endpoint: configuration.health.publishEndpoint,
                                        prefixes: ["health", "json.health"])
        defer { subscriber.finish() }
        let fulcrum = try InProcessFulcrumHost(configuration: configuration, httpPort: 0)
        // The first messages stress with Student-t draws; once the engine has 50 joint residual rows, with draws of
        // them (filtered historical simulation) and their worst rows.
        func historical(_ frame: FeedSubscriber.Frame) -> Bool {
            frame.topic == "health"
                && (try? Fulcrum_V1_ProtocolHealth(serializedBytes: frame.payload))?.scenarioModel == .filteredHistorical
        }
        let frames = try await subscriber.wait(timeout: .seconds(90)) { frames in
            frames.contains(where: historical) && frames.contains { $0.topic == "json.health" }
        }
        #expect(try await fulcrum.stop() == 0)
        let first = try #require(frames.first { $0.topic == "health" }, "no health message; log:\n\(fulcrum.log)")
        #expect(try Fulcrum_V1_ProtocolHealth(serializedBytes: first.payload).scenarioModel == .studentT)
        let binary = try #require(frames.first(where: historical), "no FHS health message; log:\n\(fulcrum.log)")
        let health = try Fulcrum_V1_ProtocolHealth(serializedBytes: binary.payload)
        #expect(health.historicalRows >= 50)
        #expect(binary.sequence >= 1)

        #expect(health.positions == UInt64(book.positionCount))
        #expect(health.units == UInt64(book.unitCount))
        #expect(health.markets.map(\.symbol) == configuration.simulator.market.assets.map(\.symbol))
        // Each market's open interest, recomputed from the positions at the marks the message names.
        var long = [Double](repeating: 0, count: book.marketCount)
        var short = [Double](repeating: 0, count: book.marketCount)
        for slot in 0..<book.positionSlotCount where book.positionUnit[slot] >= 0 {
            let market = Int(book.positionMarket[slot])
            let notional = abs(book.positionSize[slot]) * health.markets[market].markPrice
            if book.positionSize[slot] > 0 { long[market] += notional } else { short[market] += notional }
        }
        for (index, market) in health.markets.enumerated() {
            #expect(market.longNotional.isApproximatelyEqual(to: long[index], relativeTolerance: 1e-12))
            #expect(market.shortNotional.isApproximatelyEqual(to: short[index], relativeTolerance: 1e-12))
            let total = long[index] + short[index]
            #expect(market.notionalByLeverage.count == 6)
            #expect(market.notionalByLeverage.reduce(0, +).isApproximatelyEqual(to: total, relativeTolerance: 1e-12))
            #expect(market.notionalWithinSigma.count == 3)
            #expect(zip(market.notionalWithinSigma, market.notionalWithinSigma.dropFirst()).allSatisfy { $0 <= $1 })
            #expect((market.notionalWithinSigma.last ?? 0) <= total * (1 + 1e-12))
            #expect(market.liquidatableNotional <= market.notionalWithinSigma[0] * (1 + 1e-12))
            // The simulator publishes books: the cascade walks their impact curves.
            #expect(market.depthFromBook)
            #expect(market.horizonSigma > 0 && !market.tiers.isEmpty)
        }
        let worst = min(configuration.health.worstHistoricalScenarios, Int(health.historicalRows))
        #expect(health.scenarios == UInt32(200 + worst + configuration.health.hypotheticalShocks.count))
        #expect(health.confidence == 0.99)
        #expect(health.badDebtExpectedShortfall >= health.badDebtAtRisk)
        #expect(health.insuranceFund == configuration.health.insuranceFund)
        if health.badDebtAtRisk > 0 {
            #expect(health.coverageRatio == health.insuranceFund / health.badDebtAtRisk)
        } else {
            #expect(health.coverageRatio == .infinity)
        }
        #expect(health.liquidationsAtRisk > 0, "the −30 % scenario liquidates someone")
        #expect(health.deepestCascade >= 1)
        #expect(health.computeNs > 0)

        // The JSON rendition decodes to a message of the same kind (proto3 JSON mapping, proto field names).
        let json = try #require(frames.first { $0.topic == "json.health" })
        let decoded = try Fulcrum_V1_ProtocolHealth(jsonUTF8Bytes: json.payload)
        #expect(decoded.positions == health.positions && decoded.markets.count == health.markets.count)
    }

    @Test("Health-constrained margins: bad debt beyond the limit raises the driving markets' targets, with the reason")
    func constrainedMargins() async throws {
        let ports = try FreePorts.take(3)
        var configuration = Self.configuration(healthPort: ports[2])
        // A fund so small that any bad debt at risk is beyond half of it.
        configuration.health.insuranceFund = 1
        configuration.health.marginConstraint.enabled = true
        let healthFeed = FeedSubscriber(endpoint: configuration.health.publishEndpoint, prefixes: ["health"])
        defer { healthFeed.finish() }
        let fulcrum = try InProcessFulcrumHost(configuration: configuration, httpPort: 0)
        let riskFeed = FeedSubscriber(endpoint: fulcrum.publishEndpoint, prefixes: ["risk."])
        defer { riskFeed.finish() }
        func constrained(_ frames: [FeedSubscriber.Frame]) -> Fulcrum_V1_ProtocolHealth? {
            frames.lazy.compactMap { try? Fulcrum_V1_ProtocolHealth(serializedBytes: $0.payload) }
                .first { $0.marginsConstrained }
        }
        _ = try await healthFeed.wait(timeout: .seconds(90)) { constrained($0) != nil }
        let health = try #require(constrained(healthFeed.received), "never constrained; log:\n\(fulcrum.log)")
        let raised = Set(health.markets.filter { $0.marginMultiplier > 1 }.map(\.symbol))
        #expect(!raised.isEmpty)
        #expect(health.badDebtLimit == 0.5)
        #expect(health.currentParameters.badDebtAtRisk > health.badDebtLimit)
        #expect(health.proposedParameters.badDebtAtRisk <= health.currentParameters.badDebtAtRisk)
        #expect(health.proposedParameters.capitalEfficiency < health.currentParameters.capitalEfficiency)
        #expect(health.proposedParameters.openInterest <= health.currentParameters.openInterest)
        // The engine picks the multipliers up at its next step: the raised markets' updates say why.
        let updates = try await riskFeed.wait(timeout: .seconds(30)) { frames in
            frames.contains { frame in
                (try? Fulcrum_V1_RiskParameters(serializedBytes: frame.payload))
                    .map { raised.contains($0.symbol) && $0.reasons.contains(.protocolHealth) } ?? false
            }
        }
        let flagged = updates.compactMap { try? Fulcrum_V1_RiskParameters(serializedBytes: $0.payload) }
            .filter { $0.reasons.contains(.protocolHealth) }
        #expect(!flagged.isEmpty, "no update carried REASON_PROTOCOL_HEALTH; log:\n\(fulcrum.log)")
        // Only markets health ever raised carry it (the drivers may change from one evaluation to the next).
        let everRaised = Set(healthFeed.received.compactMap { try? Fulcrum_V1_ProtocolHealth(serializedBytes: $0.payload) }
            .flatMap { $0.markets.filter { $0.marginMultiplier > 1 }.map(\.symbol) })
        #expect(flagged.allSatisfy { everRaised.contains($0.symbol) })
        #expect(try await fulcrum.stop() == 0)
    }

    @Test("A health port in use is logged; the risk feed runs on and the process stops cleanly")
    func healthPortInUse() async throws {
        let ports = try FreePorts.take(3)
        let context = try ZMQContext()
        let squatter = try Socket(context: context, type: .pub)
        defer { squatter.close() }
        try squatter.bind("tcp://127.0.0.1:\(ports[2])")
        let configuration = Self.configuration(healthPort: ports[2])
        let fulcrum = try InProcessFulcrumHost(configuration: configuration, httpPort: 0)
        let subscriber = FeedSubscriber(endpoint: fulcrum.publishEndpoint, prefixes: ["risk."])
        defer { subscriber.finish() }
        let updates = try await subscriber.wait(timeout: .seconds(60)) { !$0.isEmpty }
        #expect(!updates.isEmpty, "the risk feed published nothing; log:\n\(fulcrum.log)")
        #expect(try await fulcrum.stop() == 0)
        #expect(fulcrum.log.contains("protocol health is not published: its socket did not bind"), "\(fulcrum.log)")
    }
}
