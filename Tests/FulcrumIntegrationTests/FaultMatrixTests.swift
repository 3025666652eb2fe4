import Foundation
import FulcrumProtocol
import FulcrumService
import FulcrumTestSupport
import MarketData
import Testing
import ZeroMQ

/// Faults injected into the real binary (`.build/debug/fulcrum`, or `$FULCRUM_BINARY`), each with the outcome it
/// must have. `run` rows start `fulcrum run`; `check` rows run `fulcrum config check` on the same file, which must
/// answer as `run` does. Exit 2: the configuration is refused before anything starts; exit 1: a failure once it
/// is valid. "One line" means exactly one line at level error or above (or the one `invalid configuration` line).
///
/// | fault | command | exit | within | message names | state afterwards |
/// |---|---|---|---|---|---|
/// | publish port in use | run | 1 | 3 s | `fulcrum failed`, the endpoint, `Address already in use` | the port's owner keeps it |
/// | snapshot port in use | run | 1 | 3 s | the endpoint, `Address already in use` | — |
/// | bound feed's port in use | run | 1 | 3 s | the endpoint, `Address already in use` | — |
/// | bound feed on an address not on this host | run | 1 | 3 s | the endpoint, `Cannot assign requested address` | — |
/// | HTTP port in use | run | 1 | 3 s | `http.address`, `Address already in use` | — |
/// | checkpoint directory is a file | run | 1 | 3 s | the path, `Not a directory` | nothing created |
/// | empty (0-byte) checkpoint | run | 1 | 3 s | the path, `empty`, `--fresh` | file untouched (0 bytes) |
/// | not an SQLite file | run | 1 | 3 s | the path, `not an SQLite database`, `--fresh` | file untouched |
/// | empty checkpoint, `--fresh` | run, SIGTERM | 0 | — | `set aside` | file renamed `*.refused-*`; new database |
/// | secret key file mode 0644 | check, run | 2 | 3 s | `security.curve.secretKeyFile`, the path, `0644` | — |
/// | port 99999 | check, run | 2 | 3 s | `ingest.feeds[0].endpoint`, `99999`, `1 … 65535` | — |
/// | CURVE, connecting tcp feed without server key | check, run | 2 | 3 s | `feedServerKeys.market` | — |
/// | CURVE, in-process simulator, no server key | check, run, SIGTERM | 0 | — | — | ran: heartbeats |
/// | publisher fails, engine ran | run | 1 | 3 s | the endpoint, `Address already in use` | final checkpoint: new epoch |
///
/// The snapshot flood is `SnapshotFloodTests`.
@Suite("Fault matrix through the real binary: start-up failures, checkpoints, keys", .serialized,
       .timeLimit(.minutes(10)))
struct FaultMatrixTests {
    enum Fault: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case publishPortInUse, snapshotPortInUse, feedPortInUse, feedAddressNotLocal, httpPortInUse
        case checkpointDirectoryIsFile, emptyCheckpoint, foreignCheckpoint
        case openKeyFile, portOutOfRange, curveFeedWithoutServerKey

        var testDescription: String { rawValue }
    }

    /// What a failing start must show.
    struct Expectation {
        var status: Int32
        var fragments: [String]
        var within: Duration = .seconds(3)
        /// Also refused the same way by `fulcrum config check`.
        var checkToo = false
    }

    /// One fault set up: the configuration to start with and what holds the fault in place until the run ends.
    final class Scene {
        let directory: TemporaryDirectory
        var configuration: FulcrumConfiguration
        var holders: [Socket] = []
        let context: ZMQContext
        var publishPort: Int
        var snapshotPort: Int
        var httpPort = 0

        init() throws {
            directory = try TemporaryDirectory(prefix: "fault")
            context = try ZMQContext()
            let ports = try FreePorts.take(2)
            (publishPort, snapshotPort) = (ports[0], ports[1])
            // HTTP on (a free port): its shutdown, when another part fails, must add no error line of its own.
            self.configuration = FulcrumConfiguration.smallEngine(
                feeds: [FeedConfiguration(name: "market", endpoint: "tcp://127.0.0.1:1")], symbols: ["AAA", "BBB"])
        }

        deinit {
            for socket in holders { socket.close() }
            directory.remove()
        }

        /// A loopback port held by a listening socket of this test.
        func busyPort() throws -> Int {
            let socket = try Socket(context: context, type: .router)
            try socket.setLinger(milliseconds: 0)
            try socket.bind("tcp://127.0.0.1:*")
            holders.append(socket)
            return Int(try socket.lastEndpoint.split(separator: ":").last ?? "") ?? 0
        }

        var publishEndpoint: String { "tcp://127.0.0.1:\(publishPort)" }
        var snapshotEndpoint: String { "tcp://127.0.0.1:\(snapshotPort)" }

        /// Writes the configuration (with the scene's ports) and returns the file.
        func write() throws -> String {
            var configuration = configuration
            configuration.publisher.configuration.publishEndpoint = publishEndpoint
            configuration.publisher.configuration.snapshotEndpoint = snapshotEndpoint
            configuration.http.address = "127.0.0.1:\(httpPort)"
            let path = directory.path("fulcrum.yaml")
            try configuration.writeConfigurationFile(to: path)
            return path
        }

        /// A CURVE key file as `fulcrum keygen` writes it, with `mode`.
        func keyFile(mode: mode_t) throws -> String {
            let keys = try CurveKeyPair.generate()
            let path = directory.path("fulcrum.key")
            try "public-key \(keys.publicKey.z85)\nsecret-key \(keys.secretKey.z85)\n"
                .write(toFile: path, atomically: false, encoding: .utf8)
            chmod(path, mode)
            return path
        }
    }

    /// Sets `fault` up in a new scene and says what must happen.
    static func arrange(_ fault: Fault) throws -> (Scene, Expectation) {
        let scene = try Scene()
        switch fault {
        case .publishPortInUse:
            scene.publishPort = try scene.busyPort()
            return (scene, Expectation(status: 1, fragments: ["fulcrum failed", scene.publishEndpoint,
                                                              "Address already in use"]))
        case .snapshotPortInUse:
            scene.snapshotPort = try scene.busyPort()
            return (scene, Expectation(status: 1, fragments: [scene.snapshotEndpoint, "Address already in use"]))
        case .feedPortInUse:
            let endpoint = "tcp://127.0.0.1:\(try scene.busyPort())"
            scene.configuration.ingest.feeds = [FeedConfiguration(name: "market", endpoint: endpoint, bind: true)]
            return (scene, Expectation(status: 1, fragments: [endpoint, "Address already in use"]))
        case .feedAddressNotLocal:
            // TEST-NET-1 (RFC 5737): never an address of this host.
            let endpoint = "tcp://192.0.2.1:7600"
            scene.configuration.ingest.feeds = [FeedConfiguration(name: "market", endpoint: endpoint, bind: true)]
            return (scene, Expectation(status: 1, fragments: [endpoint, "Cannot assign requested address"]))
        case .httpPortInUse:
            scene.httpPort = try scene.busyPort()
            return (scene, Expectation(status: 1, fragments: ["http.address", "127.0.0.1:\(scene.httpPort)",
                                                              "Address already in use"]))
        case .checkpointDirectoryIsFile:
            let file = scene.directory.path("not-a-directory")
            #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
            let path = file + "/checkpoint.sqlite"
            scene.configuration.writeCheckpoints(to: path, every: 10 * FulcrumConfiguration.second)
            return (scene, Expectation(status: 1, fragments: [path, "Not a directory"]))
        case .emptyCheckpoint:
            let path = scene.directory.path("checkpoint.sqlite")
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
            scene.configuration.writeCheckpoints(to: path, every: 10 * FulcrumConfiguration.second)
            return (scene, Expectation(status: 1, fragments: [path, "empty", "--fresh"]))
        case .foreignCheckpoint:
            let path = scene.directory.path("checkpoint.sqlite")
            try Data("name,price\nBTC,1\n".utf8).write(to: URL(fileURLWithPath: path))
            scene.configuration.writeCheckpoints(to: path, every: 10 * FulcrumConfiguration.second)
            return (scene, Expectation(status: 1, fragments: [path, "not an SQLite database", "--fresh"]))
        case .openKeyFile:
            let path = try scene.keyFile(mode: 0o644)
            scene.configuration.ingest.feeds = [FeedConfiguration(name: "market", endpoint: "tcp://127.0.0.1:7600",
                                                                  bind: true)]
            scene.configuration.security.curve.enabled = true
            scene.configuration.security.curve.secretKeyFile = path
            return (scene, Expectation(status: 2, fragments: ["security.curve.secretKeyFile", path, "0644", "too open"],
                                       checkToo: true))
        case .portOutOfRange:
            scene.configuration.ingest.feeds[0].endpoint = "tcp://127.0.0.1:99999"
            return (scene, Expectation(status: 2, fragments: ["ingest.feeds[0].endpoint", "99999", "1 … 65535"],
                                       checkToo: true))
        case .curveFeedWithoutServerKey:
            scene.configuration.security.curve.enabled = true
            scene.configuration.security.curve.secretKeyFile = try scene.keyFile(mode: 0o600)
            return (scene, Expectation(status: 2, fragments: ["security.curve.feedServerKeys.market"],
                                       checkToo: true))
        }
    }

    /// Lines at level error or critical in a log, and `invalid configuration` lines.
    static func errorLines(_ log: String) -> [Substring] {
        log.split(separator: "\n").filter {
            $0.contains(" error fulcrum") || $0.contains(" critical fulcrum") || $0.hasPrefix("invalid configuration")
        }
    }

    /// Runs `arguments` to completion (at most 10 s); exit status, standard error and the time it took.
    static func run(_ arguments: [String]) async throws -> (status: Int32, log: String, elapsed: Duration) {
        let started = ContinuousClock.now
        let result = try await runFulcrumBinary(arguments, timeout: .seconds(10))
        return (result.status, result.error + result.output, ContinuousClock.now - started)
    }

    @Test("Each fault ends the start with its exit status, in time, with one line naming what and why",
          arguments: Fault.allCases)
    func startFails(_ fault: Fault) async throws {
        let (scene, expected) = try Self.arrange(fault)
        let file = try scene.write()
        var before: Data?
        if fault == .emptyCheckpoint || fault == .foreignCheckpoint {
            before = try Data(contentsOf: URL(fileURLWithPath: scene.configuration.checkpoint.path))
        }
        var commands = [["run", "--config", file]]
        if expected.checkToo { commands.insert(["config", "check", file], at: 0) }
        for command in commands {
            let outcome = try await Self.run(command)
            print("fault \(fault.rawValue) [\(command[0]) \(command[1])]: exit \(outcome.status) in \(outcome.elapsed)")
            #expect(outcome.status == expected.status, "\(command): exit \(outcome.status); log:\n\(outcome.log)")
            #expect(outcome.elapsed < expected.within, "\(command): took \(outcome.elapsed); log:\n\(outcome.log)")
            let lines = Self.errorLines(outcome.log)
            #expect(lines.count == 1, "\(command): error lines \(lines); log:\n\(outcome.log)")
            for fragment in expected.fragments {
                #expect(lines.first?.contains(fragment) == true, "\(command): '\(fragment)' missing in \(lines)")
            }
            #expect(!outcome.log.contains("shutdown did not finish"), "the shutdown deadline had to end it")
        }
        // State afterwards.
        switch fault {
        case .publishPortInUse, .snapshotPortInUse, .feedPortInUse, .httpPortInUse:
            // The port's owner still has it: binding it again fails.
            let probe = try Socket(context: scene.context, type: .pair)
            defer { probe.close() }
            let port = fault == .publishPortInUse ? scene.publishPort : fault == .snapshotPortInUse
                ? scene.snapshotPort : fault == .httpPortInUse ? scene.httpPort : nil
            if let port { #expect(throws: ZMQError.self) { try probe.bind("tcp://127.0.0.1:\(port)") } }
        case .checkpointDirectoryIsFile:
            let file = URL(fileURLWithPath: scene.directory.path("not-a-directory"))
            #expect(try Data(contentsOf: file) == Data("x".utf8))
        case .emptyCheckpoint, .foreignCheckpoint:
            let path = scene.configuration.checkpoint.path
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "the refused file was changed")
            #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        default:
            break
        }
    }

    @Test("An empty checkpoint with --fresh is set aside and a new database started; exit 0 on SIGTERM")
    func emptyCheckpointFresh() async throws {
        let (scene, _) = try Self.arrange(.emptyCheckpoint)
        let path = scene.configuration.checkpoint.path
        let fulcrum = try FulcrumProcess(configuration: scene.configuration, arguments: ["--fresh"])
        let subscriber = FeedSubscriber(endpoint: fulcrum.publishEndpoint)
        defer { subscriber.finish() }
        let beat = try await subscriber.wait { $0.contains { $0.topic == "hb" } }
        #expect(beat.contains { $0.topic == "hb" }, "no heartbeat; log:\n\(fulcrum.log)")
        #expect(try await fulcrum.stop() == 0, "log:\n\(fulcrum.log)")
        #expect(fulcrum.log.contains("set aside"))
        let files = try FileManager.default.contentsOfDirectory(atPath: scene.directory.url.path)
        let aside = try #require(files.first { $0.hasPrefix("checkpoint.sqlite.refused-") }, "\(files)")
        #expect(try Data(contentsOf: scene.directory.url.appendingPathComponent(aside)).isEmpty)
        let header = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(16)
        #expect(header == Data("SQLite format 3\0".utf8), "no new database at \(path)")
    }

    @Test("CURVE with the in-process simulator and no server key: config check accepts it and run runs")
    func curveWithInProcessSimulator() async throws {
        let scene = try Scene()
        var configuration = FulcrumConfiguration.embeddedDefault
        configuration.http.enabled = false
        configuration.security.curve.enabled = true
        configuration.security.curve.secretKeyFile = try scene.keyFile(mode: 0o600)
        scene.configuration = configuration
        let check = try await Self.run(["config", "check", try scene.write()])
        #expect(check.status == 0, "config check refused it:\n\(check.log)")
        let fulcrum = try FulcrumProcess(configuration: configuration)
        // CURVE is on for the PUB: a plain subscriber hears nothing, so the log says whether it runs.
        let deadline = ContinuousClock.now + .seconds(20)
        while !fulcrum.log.contains("publishing"), fulcrum.process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(fulcrum.process.isRunning, "fulcrum exited; log:\n\(fulcrum.log)")
        #expect(fulcrum.log.contains("feed open") && fulcrum.log.contains("inproc://fulcrum-simulator"))
        #expect(try await fulcrum.stop() == 0, "log:\n\(fulcrum.log)")
    }

    @Test("The publisher fails while the engine runs: exit 1 in time, and the engine's final checkpoint is written")
    func publisherFailsAfterEngineRan() async throws {
        let series = TickSeries(steps: 30)
        let directory = try TemporaryDirectory(prefix: "fault-resume")
        defer { directory.remove() }
        let database = directory.path("checkpoint.sqlite")
        let (writer, feed, subscriber) = try await RestartTests.start(database)
        for tick in series.ticks { try feed.send(tick) }
        try #require(try await RestartTests.waitForPortfolio(subscriber, asOf: series.lastBoundary),
                     "log:\n\(writer.log)")
        subscriber.finish()
        #expect(try await writer.stop() == 0)
        let first = try #require(try await SQLiteProbe.checkpoint(database))

        // Resume (the engine runs from the checkpoint) with the publish port taken.
        let scene = try Scene()
        let busy = try scene.busyPort()
        let started = ContinuousClock.now
        let failing = try FulcrumProcess(configuration: RestartTests.configuration(feed: feed.endpoint,
                                                                                   checkpoint: database),
                                         publisherPorts: [busy, try FreePorts.take(1)[0]])
        #expect(try await waitForExit(failing.process, timeout: .seconds(10)))
        let elapsed = ContinuousClock.now - started
        print("fault publisherFailsAfterEngineRan [run]: exit \(failing.process.terminationStatus) in \(elapsed)")
        #expect(failing.process.terminationStatus == 1, "log:\n\(failing.log)")
        #expect(elapsed < .seconds(3), "took \(elapsed); log:\n\(failing.log)")
        let lines = Self.errorLines(failing.log)
        #expect(lines.count == 1 && lines.first?.contains("tcp://127.0.0.1:\(busy)") == true
                    && lines.first?.contains("Address already in use") == true, "\(lines)")
        #expect(failing.log.contains("resuming from checkpoint"), "the engine did not run; log:\n\(failing.log)")
        // The final checkpoint of the failed run: same state (no tick arrived), written under its epoch.
        let second = try #require(try await SQLiteProbe.checkpoint(database))
        #expect(second.boundary == first.boundary && second.steps == first.steps)
        #expect(second.epoch != first.epoch, "the failed run wrote no final checkpoint; log:\n\(failing.log)")
    }
}
