import Foundation
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import RiskFeed
import Testing
import ZeroMQ

/// Protocol health through the binary against an independent Python computation: cryptofeed's BookZMQ and TradeZMQ
/// feed two markets' books and trades, a position source (real PUB and ROUTER sockets) gives cross and isolated
/// positions, and every figure of the published health message is recomputed by
/// `tools/fulcrum_tools/reference/health_from_books.py` from the books as sent, the positions and the parameters the
/// message says it used.
@Suite("Protocol health from live books and a position feed, against Python", .serialized, .timeLimit(.minutes(4)))
struct ProtocolHealthReferenceTests {
    static let symbols = ["BTC-USDT", "ETH-USDT"]
    static let levels = [100.0, 25.0]
    static let shocks = [-0.3, -0.2, -0.1, 0.05, 0.1, 0.2, 0.3]

    /// Accounts 1–12 cross (collateral per account, a position in each market), 13–30 isolated: leverage 3× to 40×,
    /// long and short, entries around the level, so that some units are liquidatable under every shock.
    struct Book {
        var positions: [Fulcrum_V1_Position] = []
        var collateral: [UInt64: Double] = [:]

        init() {
            for account in UInt64(1)...30 {
                let leverage = 3 + Double((account * 7) % 38)
                let isolated = account > 12
                let markets = isolated ? [Int(account) % 2] : [0, 1]
                var margin = 0.0
                for market in markets {
                    var position = Fulcrum_V1_Position()
                    position.account = account
                    position.symbol = ProtocolHealthReferenceTests.symbols[market]
                    let notional = 2_000 + Double((account * 1_777 + UInt64(market) * 911) % 40_000)
                    let entry = ProtocolHealthReferenceTests.levels[market]
                        * (1 + Double(Int(account % 9) - 4) * 0.004)
                    position.size = (account + UInt64(market)) % 3 == 0 ? -notional / entry : notional / entry
                    position.entryPrice = entry
                    position.mode = isolated ? .isolated : .cross
                    if isolated { position.isolatedCollateral = notional / leverage }
                    margin += notional / leverage
                    positions.append(position)
                }
                if !isolated { collateral[account] = margin }
            }
        }
    }

    @Test("Equity, maintenance, liquidatable open interest and every stress figure equal Python's to 1e-9")
    func healthEqualsPython() async throws {
        let ports = try FreePorts.take(5)
        var configuration = FulcrumConfiguration.smallEngine(
            feeds: [.bound(toPort: ports[0], name: "cryptofeed", encoding: .cryptofeed)], symbols: Self.symbols,
            warmupESS: 3)
        configuration.model.governance.refreshIntervalNs = 1_000_000_000
        configuration.health.enabled = true
        configuration.health.publishEndpoint = "tcp://127.0.0.1:\(ports[2])"
        configuration.health.interval = .milliseconds(200)
        configuration.health.scenarios = 0
        configuration.health.hypotheticalShocks = Self.shocks
        configuration.health.insuranceFund = 5_000
        configuration.health.positions.endpoint = "tcp://127.0.0.1:\(ports[3])"
        configuration.health.positions.snapshotEndpoint = "tcp://127.0.0.1:\(ports[4])"

        let book = Book()
        let context = try ZMQContext()
        let updates = try Socket(context: context, type: .pub)
        let snapshots = try Socket(context: context, type: .router)
        defer {
            updates.close()
            snapshots.close()
        }
        try updates.bind(configuration.health.positions.endpoint)
        try snapshots.bind(configuration.health.positions.snapshotEndpoint)

        let fulcrum = try FulcrumProcess(configuration: configuration, httpPort: ports[1])
        let subscriber = FeedSubscriber(endpoint: configuration.health.publishEndpoint, prefixes: ["health"])
        defer { subscriber.finish() }

        // The source answers Fulcrum's first snapshot request with the whole book.
        let deadline = ContinuousClock.now + .seconds(30)
        var answered = false
        while !answered, ContinuousClock.now < deadline {
            if let request = try snapshots.receiveMultipart(wait: false) {
                var snapshot = Fulcrum_V1_PositionSnapshot()
                snapshot.sourceEpoch = 7
                snapshot.sequence = 1
                snapshot.positions = book.positions
                snapshot.collateral = book.collateral.keys.sorted().map { account in
                    var entry = Fulcrum_V1_Collateral()
                    entry.account = account
                    entry.amount = book.collateral[account]!
                    return entry
                }
                _ = try snapshots.send(multipart: [request[0], Array("positions.snapshot".utf8),
                                                   try snapshot.serializedBytes(), SequenceFrame.encode(1)])
                answered = true
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        try #require(answered, "no snapshot request; log:\n\(fulcrum.log)")

        let feeder = try await Python.run(
            ["Tests/FulcrumIntegrationTests/Scripts/health_books.py", "\(ports[0])", "10"], timeout: .seconds(90))
        try #require(feeder.status == 0, "feeder failed: \(feeder.error)")
        let printedBooks = try #require(feeder.output.split(separator: "\n").first { $0.hasPrefix("books ") })
        let books = try #require(try JSONSerialization.jsonObject(with: Data(printedBooks.dropFirst(6).utf8))
            as? [String: Any])

        let health = try #require(subscriber.received.filter { $0.topic == "health" }.compactMap {
            try? Fulcrum_V1_ProtocolHealth(serializedBytes: $0.payload)
        }.last { $0.positions == UInt64(book.positions.count) && $0.markets.allSatisfy(\.depthFromBook) },
            "no health message valued on live books; log:\n\(fulcrum.log)")
        #expect(try await fulcrum.stop() == 0)

        let expected = try await Self.reference(health: health, books: books, book: book, configuration: configuration)
        func close(_ actual: Double, _ wanted: Any?, _ what: String) {
            let wanted = (wanted as? Double) ?? Double((wanted as? Int) ?? -1)
            let scale = max(abs(wanted), 1)
            #expect(abs(actual - wanted) <= 1e-9 * scale, "\(what): Fulcrum \(actual), Python \(wanted)")
        }
        close(health.equity, expected["equity"], "equity")
        close(health.maintenance, expected["maintenance"], "maintenance")
        close(Double(health.liquidatableUnits), expected["liquidatable_units"], "liquidatable units")
        close(health.badDebtAtRisk, expected["bad_debt_at_risk"], "VaR of bad debt")
        close(health.badDebtExpectedShortfall, expected["expected_shortfall"], "expected shortfall")
        close(health.liquidationsAtRisk, expected["liquidations_at_risk"], "liquidations at risk")
        close(health.meanBadDebt, expected["mean_bad_debt"], "mean bad debt")
        close(Double(health.deepestCascade), expected["deepest_cascade"], "deepest cascade")
        let markets = try #require(expected["markets"] as? [[String: Any]])
        for (index, market) in health.markets.enumerated() {
            close(market.longNotional, markets[index]["long"], "\(market.symbol) long")
            close(market.shortNotional, markets[index]["short"], "\(market.symbol) short")
            close(market.liquidatableNotional, markets[index]["liquidatable"], "\(market.symbol) liquidatable")
            close(market.tailBadDebt, markets[index]["tail_bad_debt"], "\(market.symbol) tail bad debt")
        }
        // The check must be able to fail: the shocks leave bad debt, and some units are liquidated.
        #expect(health.badDebtAtRisk > 0 && health.meanBadDebt > 0, "\(health)")
        #expect(health.scenarios == UInt32(Self.shocks.count))
        print("protocol health vs Python: VaR \(health.badDebtAtRisk), ES \(health.badDebtExpectedShortfall), "
              + "LaR \(health.liquidationsAtRisk), deepest cascade \(health.deepestCascade) rounds")
    }

    /// Python's figures for the inputs of `health`.
    static func reference(health: Fulcrum_V1_ProtocolHealth, books: [String: Any], book: Book,
                          configuration: FulcrumConfiguration) async throws -> [String: Any] {
        let index = Dictionary(uniqueKeysWithValues: health.markets.enumerated().map { ($1.symbol, $0) })
        let markets: [[String: Any]] = health.markets.map { market in
            ["symbol": market.symbol, "mark": market.markPrice, "sigma": market.horizonSigma,
             "tiers": market.tiers.map { [$0.notionalFloor, $0.mmf] }, "book": books[market.symbol] ?? [:]]
        }
        let positions: [[String: Any]] = book.positions.map { position in
            ["account": position.account, "market": index[position.symbol] ?? -1, "size": position.size,
             "entry": position.entryPrice, "isolated": position.mode == .isolated,
             "collateral": position.isolatedCollateral]
        }
        let spec: [String: Any] = [
            "notionals": configuration.model.liquidity.impactNotionals, "fee": configuration.health.liquidationFee,
            "confidence": configuration.health.confidence, "insurance_fund": configuration.health.insuranceFund,
            "shocks": Self.shocks, "markets": markets, "positions": positions,
            "collateral": Dictionary(uniqueKeysWithValues: book.collateral.map { ("\($0)", $1) }),
        ]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("health-spec-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try JSONSerialization.data(withJSONObject: spec).write(to: file)
        let result = try await Python.run(["-m", "fulcrum_tools.reference.health_from_books", file.path])
        try #require(result.status == 0, "reference failed: \(result.error)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    }
}
