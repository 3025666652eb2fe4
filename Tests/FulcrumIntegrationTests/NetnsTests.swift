import Foundation
import FulcrumService
import FulcrumTestSupport
import MarketData
import Testing

/// Three hosts on one machine: network namespaces for the feed, Fulcrum and a consumer, joined by veth links with
/// private /30 addresses that exist only inside them. Needs root and `ip netns` (iproute2); skipped otherwise.
enum NetnsLab {
    static let ip = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs `ip ARGUMENTS`; returns the exit status and standard error.
    @discardableResult
    static func run(_ arguments: [String]) -> (status: Int32, error: String) {
        guard let ip else { return (127, "no ip binary") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ip)
        process.arguments = arguments
        let error = Pipe()
        process.standardError = error
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { return (126, "\(error)") }
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: error.fileHandleForReading.readDataToEndOfFile(),
                                                  as: UTF8.self))
    }

    /// Whether namespaces can be made here (tried once, on a throw-away namespace).
    static let isPermitted: Bool = {
        let probe = "fnp-\(getpid())"
        guard run(["netns", "add", probe]).status == 0 else { return false }
        run(["netns", "del", probe])
        return true
    }()

    static let skipReason: Comment = "network namespaces are not permitted here (needs root and `ip netns add`)"
}

/// The namespaces and links of one test run, removed on `deinit`.
final class NetnsTopology {
    let suffix = String(getpid() % 100_000)
    var feed: String { "ffeed\(suffix)" }
    var core: String { "fcore\(suffix)" }
    var consumer: String { "fcons\(suffix)" }
    var consumerLink: String { "fs\(suffix)" }
    static let feedAddress = "10.231.1.1", coreFeedAddress = "10.231.1.2"
    static let corePublishAddress = "10.231.2.1", consumerAddress = "10.231.2.2"

    init() throws {
        for namespace in [feed, core, consumer] {
            NetnsLab.run(["netns", "del", namespace])
            try step(["netns", "add", namespace])
            try step(["-n", namespace, "link", "set", "lo", "up"])
        }
        try link(left: ("ff\(suffix)", feed, Self.feedAddress), right: ("fc\(suffix)", core, Self.coreFeedAddress))
        try link(left: ("fp\(suffix)", core, Self.corePublishAddress),
                 right: (consumerLink, consumer, Self.consumerAddress))
    }

    deinit {
        for namespace in [feed, core, consumer] { NetnsLab.run(["netns", "del", namespace]) }
    }

    func step(_ arguments: [String]) throws {
        let result = NetnsLab.run(arguments)
        try #require(result.status == 0, "ip \(arguments.joined(separator: " ")): \(result.error)")
    }

    /// A veth pair created inside the two namespaces, addressed with a /30 each side.
    func link(left: (String, String, String), right: (String, String, String)) throws {
        try step(["link", "add", left.0, "netns", left.1, "type", "veth", "peer", "name", right.0, "netns", right.1])
        for (device, namespace, address) in [left, right] {
            try step(["-n", namespace, "addr", "add", "\(address)/30", "dev", device])
            try step(["-n", namespace, "link", "set", device, "up"])
        }
    }

    /// Cuts (`up: false`) or restores the consumer's side of its link.
    func setConsumerLink(up: Bool) throws {
        try step(["-n", consumer, "link", "set", consumerLink, up ? "up" : "down"])
    }

    /// Starts `command` inside `namespace`, its output going to `log`.
    func spawn(in namespace: String, _ command: [String], log: URL,
               environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: NetnsLab.ip ?? "/usr/sbin/ip")
        process.arguments = ["netns", "exec", namespace] + command
        process.currentDirectoryURL = repositoryRoot
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }
}

@Suite("Feed, Fulcrum and consumer on three network namespaces", .serialized, .timeLimit(.minutes(3)),
       .enabled(if: NetnsLab.isPermitted, NetnsLab.skipReason))
struct NetnsTests {
    @Test("The consumer's link is cut and restored: it goes stale, resyncs by snapshot, never applies a wrong value")
    func linkCut() async throws {
        let topology = try NetnsTopology()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("netns-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let publish = "tcp://\(NetnsTopology.corePublishAddress):7601"
        let snapshot = "tcp://\(NetnsTopology.corePublishAddress):7602"
        let config = directory.appendingPathComponent("fulcrum.yaml")
        let millisecond = FulcrumConfiguration.millisecond
        let labFeed = FeedConfiguration(name: "lab", endpoint: "tcp://\(NetnsTopology.coreFeedAddress):7600",
                                        bind: true)
        var configuration = FulcrumConfiguration.fastEngine(feeds: [labFeed], gridInterval: 250 * millisecond,
                                                            warmupESS: 3)
        configuration.publisher.publishEndpoint = publish
        configuration.publisher.snapshotEndpoint = snapshot
        configuration.publisher.heartbeatInterval = .milliseconds(200)
        configuration.publisher.sendHighWaterMark = 20
        try configuration.writeConfigurationFile(to: config.path)
        let fulcrumLog = directory.appendingPathComponent("fulcrum.log")
        let fulcrum = try topology.spawn(in: topology.core, [FulcrumProcess.binary.path, "run", "--config", config.path,
                                                             "--log-level", "debug"], log: fulcrumLog)
        defer { if fulcrum.isRunning { fulcrum.terminate() } }
        let logs = { () -> String in
            ["fulcrum.log", "feed.log", "consumer.log", "reference.log"].map { name in
                "--- \(name)\n" + ((try? String(contentsOf: directory.appendingPathComponent(name),
                                                 encoding: .utf8)) ?? "")
            }.joined(separator: "\n")
        }
        let script = "Tests/FulcrumIntegrationTests/Scripts/netns_peer.py"
        let seconds = 26
        let cutOut = directory.appendingPathComponent("consumer.jsonl")
        let referenceOut = directory.appendingPathComponent("reference.jsonl")
        // The reference consumer, on Fulcrum's own host, is live before the first tick is sent: it sees every update
        // Fulcrum publishes, so every value the other consumer applies, live or from a snapshot, can be checked
        // against it. It runs a little longer so that both end after the feed has stopped.
        let reference = try topology.spawn(in: topology.core, ["python3", script, "consume", publish, snapshot,
                                                               "--seconds", "\(seconds + 4)", "--out",
                                                               referenceOut.path],
                                           log: directory.appendingPathComponent("reference.log"))
        defer { if reference.isRunning { reference.terminate() } }
        let referenceLive = try await Self.waitFor(referenceOut, timeout: .seconds(20)) {
            $0.contains { $0["kind"] as? String == "alive" }
        }
        try #require(referenceLive, "the reference consumer never heard fulcrum: \(logs())")
        let feed = try topology.spawn(in: topology.feed, ["python3", script, "feed",
                                                          "tcp://\(NetnsTopology.coreFeedAddress):7600",
                                                          "--seconds", "\(seconds - 5)"],
                                      log: directory.appendingPathComponent("feed.log"))
        defer { if feed.isRunning { feed.terminate() } }
        let consumer = try topology.spawn(in: topology.consumer, ["python3", script, "consume", publish, snapshot,
                                                                  "--seconds", "\(seconds)", "--out", cutOut.path],
                                          log: directory.appendingPathComponent("consumer.log"))
        defer { if consumer.isRunning { consumer.terminate() } }
        // Live for a while, then 6 s without the consumer's link, then live again; the feed stops 5 s before the
        // consumers so that both end on the same final state. The cut's times are on the clock the peers stamp
        // their events with (CLOCK_MONOTONIC, Python's time.monotonic()).
        try await Task.sleep(for: .seconds(8))
        let cutAt = Self.monotonicSeconds()
        try topology.setConsumerLink(up: false)
        try await Task.sleep(for: .seconds(6))
        let restoredAt = Self.monotonicSeconds()
        try topology.setConsumerLink(up: true)
        #expect(try await waitForExit(consumer, timeout: .seconds(40)), "\(logs())")
        #expect(try await waitForExit(reference, timeout: .seconds(15)), "\(logs())")
        fulcrum.interrupt()
        #expect(try await waitForExit(fulcrum, timeout: .seconds(15)))

        let cut = try Self.events(cutOut), truth = try Self.events(referenceOut)
        func applied(_ events: [[String: Any]]) -> [[String: Any]] {
            events.filter { $0["kind"] as? String == "applied" }
        }

        // The reference saw every update live, in one epoch, with no resync (its client resyncs on any gap in the
        // sequence) and no snapshot content (its first snapshot came before the first tick was sent): a complete
        // record of what Fulcrum published.
        #expect(!truth.contains { $0["kind"] as? String == "resync" }, "the reference lost updates: \(logs())")
        let truthLive = applied(truth)
        #expect(truthLive.allSatisfy { $0["snapshot"] as? Bool == false }, "the reference started late: \(logs())")
        let truthEpochs = Set(truthLive.map { "\($0["epoch"] ?? "")" })
        #expect(truthEpochs.count == 1, "epochs in the reference: \(truthEpochs)")
        let record = PublishedRecord(truthLive)

        // The consumer was live before the cut, noticed the cut while it lasted, and came back through a snapshot
        // after the link was restored.
        func time(_ event: [String: Any]) -> Double { event["t"] as? Double ?? .nan }
        #expect(applied(cut).contains { $0["snapshot"] as? Bool == false && time($0) < cutAt },
                "no live update before the cut: \(logs())")
        let dead = try #require(cut.first { $0["kind"] as? String == "dead" && time($0) > cutAt },
                                "the consumer never noticed the cut: \(logs())")
        #expect(time(dead) <= restoredAt, "the cut was noticed only \(time(dead) - restoredAt) s after it ended")
        #expect(!cut.contains { $0["kind"] as? String == "dead" && time($0) < cutAt }, "dead before the cut")
        let afterRestore = cut.filter { time($0) > restoredAt }
        #expect(cut.contains { $0["kind"] as? String == "resync" && time($0) > time(dead) }, "no resync after the cut")
        #expect(afterRestore.contains { $0["kind"] as? String == "applied" && $0["snapshot"] as? Bool == true },
                "no snapshot applied after the link came back")
        #expect(afterRestore.contains { $0["kind"] as? String == "applied" && $0["snapshot"] as? Bool == false },
                "no live update after the link came back")
        let end = try #require(cut.last { $0["kind"] as? String == "end" })
        #expect((end["snapshots"] as? Int ?? 0) >= 2)

        // Every value it applied is one Fulcrum published, and the newest for its symbol at that point: live ones
        // by (epoch, sequence); each snapshot (with the queued updates it applied) by the reference's latest update
        // per symbol up to the snapshot's sequence. As-of never goes backwards for a symbol.
        let wrong = record.check(applied(cut))
        #expect(wrong.isEmpty, "\(wrong.count) wrong values applied: \(wrong.prefix(3))")
        let checkedLive = applied(cut).filter { $0["snapshot"] as? Bool == false }.count
        #expect(checkedLive > 50, "too few live updates cross-checked: \(checkedLive)")
        let resyncs = cut.filter { $0["kind"] as? String == "resync" }.map { $0["reason"] as? String ?? "" }
        print("netns: \(applied(cut).count) updates applied by the cut consumer (\(checkedLive) live), all checked "
              + "against \(truthLive.count) published; dead \(String(format: "%.1f", time(dead) - cutAt)) s into "
              + "the cut, resyncs \(resyncs), snapshots \(end["snapshots"] ?? 0)")

        // Back in sync: at the end both consumers hold the same state.
        let truthEnd = try #require(truth.last { $0["kind"] as? String == "end" })
        let state = end["state"] as? [String: [String: Any]] ?? [:]
        let truthState = truthEnd["state"] as? [String: [String: Any]] ?? [:]
        #expect(Set(state.keys) == Set(truthState.keys) && state.count == 5, "\(state.keys) vs \(truthState.keys)")
        for (symbol, values) in state {
            let other = truthState[symbol] ?? [:]
            #expect("\(values["as_of_ns"] ?? "")" == "\(other["as_of_ns"] ?? "")", "\(symbol): \(values) vs \(other)")
            for field in ["imf", "mmf"] {
                let value = values[field] as? Double ?? .nan, truth = other[field] as? Double ?? .nan
                #expect(value.isApproximatelyEqual(to: truth, relativeTolerance: 1e-12),
                        "\(symbol) \(field): \(values) vs \(other)")
            }
        }
    }

    /// Now on CLOCK_MONOTONIC, in seconds: the clock of Python's `time.monotonic()`, which stamps the peers' events
    /// (one clock for every namespace).
    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// The JSON events a peer wrote, one per line; a line still being written is left out.
    static func events(_ url: URL) throws -> [[String: Any]] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// Waits until the events in `url` satisfy `condition`; false after `timeout`.
    static func waitFor(_ url: URL, timeout: Duration, until condition: ([[String: Any]]) -> Bool) async throws
        -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let events = try? events(url), condition(events) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
