import Foundation
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import MarketData
import RiskFeed
import Testing
import ZeroMQ

/// CURVE on every socket of the real binary: feeds in (one Fulcrum binds, one it connects to), PUB and snapshot,
/// with Fulcrum's own ZAP handler admitting only allow-listed client keys.
@Suite("CURVE authentication and encryption through the fulcrum binary", .serialized, .timeLimit(.minutes(3)))
struct CurveTests {
    /// A feed handler connecting to a feed Fulcrum binds: an XPUB, so it sees Fulcrum's subscription arrive.
    final class ConnectingFeed {
        let context: ZMQContext
        let socket: Socket

        init(endpoint: String, serverKey: CurveKey?, keyPair: CurveKeyPair?) throws {
            context = try ZMQContext()
            socket = try Socket(context: context, type: .xpub)
            try socket.setLinger(milliseconds: 0)
            try socket.setSendHighWaterMark(0)
            if let serverKey, let keyPair { try socket.setCurveClient(serverKey: serverKey, keyPair: keyPair) }
            try socket.connect(endpoint)
        }

        deinit { socket.close() }

        func subscribed(within timeout: Duration) async throws -> Bool {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                if let frames = try socket.receiveMultipart(wait: false), frames.first?.first == 1 { return true }
                try await Task.sleep(for: .milliseconds(20))
            }
            return false
        }

        func send(_ tick: WireTick) throws {
            try socket.send(multipart: [Array("tick.\(tick.venue).\(tick.symbol)".utf8), try tick.serializedBytes()])
        }
    }

    /// Whether a SUB set up by `configure` receives anything (heartbeats come every 500 ms) within `milliseconds`.
    static func receives(_ endpoint: String, milliseconds: Int = 2_000,
                         configure: (Socket) throws -> Void) throws -> Bool {
        let context = try ZMQContext()
        let socket = try Socket(context: context, type: .sub)
        defer { socket.close() }
        try socket.setLinger(milliseconds: 0)
        try socket.setReceiveTimeout(milliseconds: milliseconds)
        try configure(socket)
        try socket.subscribe("")
        try socket.connect(endpoint)
        return try socket.receiveMultipart() != nil
    }

    static func keyFile(_ pair: CurveKeyPair, at url: URL) throws {
        try "public-key \(pair.publicKey.z85)\nsecret-key \(pair.secretKey.z85)\n".write(
            to: url, atomically: true, encoding: .utf8)
    }

    @Test("Allowed clients get data on every socket; unknown keys, plain clients and a wrong server key get nothing")
    func allowList() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Fulcrum's key pair from `fulcrum keygen`.
        let keygen = try await runFulcrumBinary(["keygen", "--out", directory.path, "--name", "fulcrum"])
        try #require(keygen.status == 0, "keygen failed: \(keygen.error)")
        let publicLine = try String(contentsOf: directory.appendingPathComponent("fulcrum.pub"), encoding: .utf8)
        let serverKey = try CurveKey(z85: String(publicLine.dropFirst("public-key ".count)))
        let consumer = try CurveKeyPair.generate()
        let feedClient = try CurveKeyPair.generate()
        let feedServer = try CurveKeyPair.generate()
        let stranger = try CurveKeyPair.generate()
        let consumerKeyFile = directory.appendingPathComponent("consumer.key")
        try Self.keyFile(consumer, at: consumerKeyFile)
        let allowFile = directory.appendingPathComponent("allowed.txt")
        try "# feed handlers\npublic-key \(feedClient.publicKey.z85)\n".write(to: allowFile, atomically: true,
                                                                             encoding: .utf8)

        let connected = try FeedServer(curve: feedServer)
        let boundPort = try FreePorts.take(1)[0]
        var configuration = FulcrumConfiguration.smallEngine(
            feeds: [.bound(toPort: boundPort, name: "bound"),
                    FeedConfiguration(name: "connected", endpoint: connected.endpoint, bind: false)],
            symbols: ["AAA", "BBB", "CCC"])
        configuration.http.sampleInterval = .milliseconds(100)
        configuration.security.curve.enabled = true
        configuration.security.curve.secretKeyFile = directory.appendingPathComponent("fulcrum.key").path
        configuration.security.curve.allowedClientKeys = [consumer.publicKey.z85]
        configuration.security.curve.allowedClientsFile = allowFile.path
        configuration.security.curve.feedServerKeys = ["connected": feedServer.publicKey.z85]
        let httpPort = try FreePorts.take(1)[0]
        let fulcrum = try FulcrumProcess(configuration: configuration, httpPort: httpPort)
        // Feeds: Fulcrum, a CURVE client, subscribes to the feed server; an allowed feed handler reaches the
        // feed Fulcrum binds.
        try #require(try await connected.waitForSubscriber(), "no CURVE subscription to the feed; log:\n\(fulcrum.log)")
        let bound = try ConnectingFeed(endpoint: "tcp://127.0.0.1:\(boundPort)", serverKey: serverKey,
                                       keyPair: feedClient)
        try #require(try await bound.subscribed(within: .seconds(10)), "bound feed refused; log:\n\(fulcrum.log)")
        let series = TickSeries(steps: 20)
        for tick in series.ticks {
            if tick.symbol == "AAA" { try bound.send(tick) } else { try connected.send(tick) }
        }

        // An allowed consumer: `fulcrum watch` pinned to Fulcrum's key gets snapshot and updates.
        let watch = try await runFulcrumBinary([
            "watch", fulcrum.publishEndpoint, "--snapshot", fulcrum.snapshotEndpoint, "--format", "json",
            "--count", "3", "--curve-server-key=\(serverKey.z85)", "--curve-key-file", consumerKeyFile.path,
        ], timeout: .seconds(30))
        #expect(watch.status == 0, "watch failed: \(watch.error)\nlog:\n\(fulcrum.log)")
        let symbols = Set(watch.output.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["symbol"] as? String
        })
        #expect(symbols == ["AAA", "BBB", "CCC"], "watch saw \(symbols) — both feeds must have delivered")
        let allowedSnapshot = try requestSnapshot(fulcrum.snapshotEndpoint,
                                                  curve: CurveClientOptions(serverKey: serverKey, keyPair: consumer))
        #expect(allowedSnapshot?["risk.AAA"] != nil)
        #expect(try Self.receives(fulcrum.publishEndpoint) {
            try $0.setCurveClient(serverKey: serverKey, keyPair: consumer)
        })

        // Refused: an unknown key (PUB and snapshot), a plain client, a client pinned to another server key.
        #expect(try !Self.receives(fulcrum.publishEndpoint) {
            try $0.setCurveClient(serverKey: serverKey, keyPair: stranger)
        }, "unknown key got data")
        #expect(try requestSnapshot(fulcrum.snapshotEndpoint, curve: CurveClientOptions(
            serverKey: serverKey, keyPair: stranger), timeoutMilliseconds: 1_500) == nil, "unknown key got a snapshot")
        #expect(try !Self.receives(fulcrum.publishEndpoint) { _ in }, "plain client got data")
        #expect(try requestSnapshot(fulcrum.snapshotEndpoint, timeoutMilliseconds: 1_500) == nil,
                "plain client got a snapshot")
        #expect(try !Self.receives(fulcrum.publishEndpoint) {
            try $0.setCurveClient(serverKey: try CurveKeyPair.generate().publicKey, keyPair: consumer)
        }, "client pinned to the wrong server key got data")
        // A feed handler with an unknown key cannot subscribe-connect to the bound feed.
        let intruder = try ConnectingFeed(endpoint: "tcp://127.0.0.1:\(boundPort)", serverKey: serverKey,
                                          keyPair: stranger)
        #expect(try await !intruder.subscribed(within: .seconds(2)), "an unknown feed handler was admitted")

        // The refusals are counted (the ZAP handler's counters, logged within a second of changing).
        var denied = 0
        let deadline = ContinuousClock.now + .seconds(10)
        while denied < 3, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            denied = Self.lastCount("fulcrum.security.denied", in: fulcrum.log)
        }
        #expect(denied >= 3, "denials counted: \(denied); log:\n\(fulcrum.log)")
        #expect(Self.lastCount("fulcrum.security.accepted", in: fulcrum.log) >= 3)
        // Every kind of refusal is counted on /metrics: the plain clients and the client pinned to the wrong
        // server key never reach the ZAP handler (their handshake fails first), so only the socket monitors see them.
        // A plain client's refusal is `plain` when Fulcrum reads its greeting first and `other` when the client,
        // which sees the mismatch too, hangs up before that: only the two together are held to a count.
        let session = Operations.session()
        defer { session.invalidateAndCancel() }
        let refusals = ["plain_or_other": 2.0, "wrong_key": 1, "not_allowed": 2]
        var counted: [String: Double] = [:]
        let metricsDeadline = ContinuousClock.now + .seconds(10)
        repeat {
            try await Task.sleep(for: .milliseconds(200))
            if let answer = await Operations.get("http://127.0.0.1:\(httpPort)/metrics", session: session) {
                let samples = PrometheusSamples(String(decoding: answer.body, as: UTF8.self))
                for reason in ["plain", "other", "wrong_key", "not_allowed"] {
                    counted[reason] = samples.value("fulcrum_security_handshakes_refused_total", ["reason": reason])
                }
                counted["plain_or_other"] = (counted["plain"] ?? 0) + (counted["other"] ?? 0)
                counted["zap_denied"] = samples.value("fulcrum_security_zap_decisions_total", ["result": "denied"])
            }
        } while refusals.contains(where: { (counted[$0.key] ?? 0) < $0.value }) && ContinuousClock.now < metricsDeadline
        for (reason, minimum) in refusals {
            #expect((counted[reason] ?? 0) >= minimum, "\(reason) refusals counted: \(counted)")
        }
        #expect((counted["zap_denied"] ?? 0) >= 3, "ZAP denials on /metrics: \(counted)")
        #expect(try await fulcrum.stop() == 0)
    }

    /// The last value logged for `key=N`.
    static func lastCount(_ key: String, in log: String) -> Int {
        var value = 0
        var rest = Substring(log)
        while let range = rest.range(of: key + "=") {
            rest = rest[range.upperBound...]
            value = Int(rest.prefix(while: \.isNumber)) ?? value
        }
        return value
    }

    @Test("A key file that does not exist stops fulcrum before it binds, naming the key")
    func missingKeyFile() async throws {
        var configuration = FulcrumConfiguration()
        configuration.ingest.feeds = [FeedConfiguration(name: "test", endpoint: "tcp://127.0.0.1:1")]
        configuration.http.enabled = false
        configuration.security.curve.enabled = true
        configuration.security.curve.secretKeyFile = "/nonexistent/fulcrum.key"
        let fulcrum = try FulcrumProcess(configuration: configuration)
        #expect(try await waitForExit(fulcrum.process))
        #expect(fulcrum.process.terminationStatus != 0)
        #expect(fulcrum.log.contains("security.curve.secretKeyFile"), "log:\n\(fulcrum.log)")
    }
}
