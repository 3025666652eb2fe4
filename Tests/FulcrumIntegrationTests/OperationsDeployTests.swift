import Foundation
import FulcrumService
import FulcrumTestSupport
import MarginModel
import MarketData
import Testing

/// Configuration checking through the binary, and the deployment files validated as far as this machine allows
/// (no Docker, no cluster): YAML, embedded configurations, manifests' probes and ports, systemd-analyze.
@Suite("Operations: configuration and deployment files", .serialized, .timeLimit(.minutes(3)))
struct OperationsDeployTests {
    static let deploy = repositoryRoot.appendingPathComponent("deploy")

    @Test("`fulcrum config check` accepts the annotated example and prints the effective configuration")
    func annotatedExample() async throws {
        let result = try await Operations.runFulcrum(["config", "check", Self.deploy.appendingPathComponent(
            "fulcrum.yaml").path])
        #expect(result.status == 0, "\(result.error)")
        let effective = Operations.json(Data(result.output.utf8))
        let http = effective["http"] as? [String: Any]
        #expect(http?["address"] as? String == "127.0.0.1:7680")
        let feeds = (effective["ingest"] as? [String: Any])?["feeds"] as? [[String: Any]] ?? []
        #expect(feeds.map { $0["name"] as? String } == ["binance", "coinbase", "bus"])
        #expect(effective["shutdownTimeout"] as? Int == 10_000_000_000)
        let overrides = (effective["model"] as? [String: Any])?["assetOverrides"] as? [String: [String: Any]]
        #expect(overrides?["SOL-USDT"]?["maximumLeverage"] as? Int == 20)
    }

    @Test("`fulcrum config check` takes a file written from a typed configuration and prints exactly that value")
    func writtenConfiguration() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var configuration = FulcrumConfiguration.checkpointedEngine()
        configuration.ingest.feeds.append(.bound(toPort: 6_001, name: "cryptofeed", encoding: .cryptofeed))
        configuration.model.assetOverrides = ["AAA": AssetOverrides(tailProbability: 0.005, maximumLeverage: 20)]
        configuration.model.coverage.tailProbability = 0.1 / 3
        configuration.http.address = "0.0.0.0:9999"
        configuration.writeCheckpoints(to: directory.path("checkpoint.sqlite"), every: 4 * FulcrumConfiguration.second)
        configuration.security.curve.allowedClientKeys = ["rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"]
        configuration.shutdownTimeout = .seconds(5)
        let result = try await Operations.runFulcrum(["config", "check", try directory.write(configuration,
                                                                                             to: "written.yaml")])
        #expect(result.status == 0, "\(result.error)")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        #expect(result.output == String(decoding: try encoder.encode(configuration), as: UTF8.self) + "\n")
    }

    @Test("Environment variables override the file, and errors name the key, the value and what is allowed")
    func overridesAndErrors() async throws {
        let example = Self.deploy.appendingPathComponent("fulcrum.yaml").path
        let overridden = try await Operations.runFulcrum(
            ["config", "check", example],
            environment: ["FULCRUM__HTTP__ADDRESS": "0.0.0.0:9999", "FULCRUM__SHUTDOWN_TIMEOUT": "3s"])
        #expect(overridden.status == 0, "\(overridden.error)")
        let effective = Operations.json(Data(overridden.output.utf8))
        #expect((effective["http"] as? [String: Any])?["address"] as? String == "0.0.0.0:9999")
        #expect(effective["shutdownTimeout"] as? Int == 3_000_000_000)

        let cases: [(yaml: String, expected: [String])] = [
            ("http:\n  address: nowhere\n", ["http.address", "nowhere", "HOST:PORT"]),
            ("shutdownTimeout: 50ms\n", ["shutdownTimeout", "50000000ns", "100ms … 1h"]),
            ("http:\n  feedFreshness: 0s\n", ["http.feedFreshness", "1ms … 1d"]),
            ("htp:\n  address: 127.0.0.1:1\n", ["htp", "unknown key", "http"]),
            ("http:\n  enabled: maybe\n", ["http.enabled", "maybe"]),
        ]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (index, item) in cases.enumerated() {
            let file = directory.appendingPathComponent("bad-\(index).yaml")
            let feed = "ingest:\n  feeds:\n    - name: a\n      endpoint: tcp://127.0.0.1:5555\n"
            try (feed + item.yaml).write(to: file, atomically: true, encoding: .utf8)
            let result = try await Operations.runFulcrum(["config", "check", file.path])
            #expect(result.status == 2, "\(item.yaml) was accepted")
            for fragment in item.expected {
                #expect(result.error.contains(fragment), "error for \(item.yaml) lacks \(fragment): \(result.error)")
            }
        }
    }

    @Test("fulcrum_tools.deploy.validate: Dockerfile, compose, Kubernetes, systemd and every embedded configuration")
    func deploymentFiles() async throws {
        let result = try await Python.run(["-m", "fulcrum_tools.deploy.validate", "--fulcrum", FulcrumProcess.binary.path, "--json"],
                                          timeout: .seconds(120))
        #expect(result.status == 0, "\(result.output)\n\(result.error)")
        let report = Operations.json(Data(result.output.utf8))
        let checked = report["checked"] as? [String] ?? []
        let configurations = checked.filter { $0.hasPrefix("config check:") }
        #expect(configurations.count >= 7, "configurations checked: \(configurations)")
        for needle in ["readinessProbe on /ready", "livenessProbe on /health", "Prometheus scrape annotations",
                       "persistent volume for checkpoints", "Dockerfile builds with Swift 6.3",
                       "proxies the shards' Services", "docker-compose.yml watcher follows a service"] {
            #expect(checked.contains { $0.contains(needle) }, "nothing checked \(needle)")
        }
        let skipped = report["skipped"] as? [String] ?? []
        #expect(checked.contains("systemd-analyze verify") || skipped.contains { $0.hasPrefix("systemd-analyze") })
    }

    @Test("fulcrum_tools.deploy.validate fails on a broken manifest and a broken embedded configuration")
    func validatorCatchesMistakes() async throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-deploy-\(UUID().uuidString)")
        // Resolved first: copying a symbolic link would copy the link, and the edits below would reach the original.
        try FileManager.default.copyItem(at: Self.deploy.resolvingSymlinksInPath(), to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        let type = try FileManager.default.attributesOfItem(atPath: copy.path)[.type] as? FileAttributeType
        try #require(type == .typeDirectory, "the copy of deploy/ is not a directory of its own")
        let manifest = copy.appendingPathComponent("kubernetes/fulcrum.yaml")
        var text = try String(contentsOf: manifest, encoding: .utf8)
        text = text.replacingOccurrences(of: "path: /ready", with: "path: /healthz")
        text = text.replacingOccurrences(of: "halfLife: 10m", with: "halfLife: forever")
        try text.write(to: manifest, atomically: true, encoding: .utf8)
        let result = try await Python.run(["-m", "fulcrum_tools.deploy.validate", "--fulcrum", FulcrumProcess.binary.path, "--json",
                                           "--root", copy.path], timeout: .seconds(120))
        #expect(result.status == 1)
        let errors = Operations.json(Data(result.output.utf8))["errors"] as? [String] ?? []
        #expect(errors.contains { $0.contains("config check: fulcrum.yaml: StatefulSet fulcrum") && $0.contains(
            "estimation.halfLife") }, "\(errors)")
        text = text.replacingOccurrences(of: "halfLife: forever", with: "halfLife: 10m")
        try text.write(to: manifest, atomically: true, encoding: .utf8)
        let second = try await Python.run(["-m", "fulcrum_tools.deploy.validate", "--fulcrum", FulcrumProcess.binary.path, "--json",
                                           "--root", copy.path], timeout: .seconds(120))
        let secondErrors = Operations.json(Data(second.output.utf8))["errors"] as? [String] ?? []
        #expect(second.status == 1)
        #expect(secondErrors.contains { $0.contains("readinessProbe on /ready") }, "\(secondErrors)")
    }

    @Test("fulcrum_tools.deploy.validate refuses feed wiring cryptofeed cannot reach and shards that overlap")
    func validatorCatchesFeedWiring() async throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-deploy-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.deploy.resolvingSymlinksInPath(), to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        try edit(copy.appendingPathComponent("kubernetes/fulcrum.yaml")) { text in
            // The feed left connecting (cryptofeed connects too) and subscribed with the channel first.
            text.replacingOccurrences(of: "endpoint: tcp://*:5555\n          bind: true",
                                      with: "endpoint: tcp://cryptofeed:5555\n          bind: false")
                .replacingOccurrences(of: "COINBASE-trades-", with: "trades-COINBASE-")
                .replacingOccurrences(of: "    - {name: feed-coinbase, port: 5556, targetPort: feed-coinbase, protocol: TCP}\n",
                                      with: "")
        }
        try edit(copy.appendingPathComponent("kubernetes/sharded.yaml")) { text in
            // Shard b also takes BTC-USDT, and its Service selects every Fulcrum pod.
            text.replacingOccurrences(of: "allowList: [DOGE-USDT,", with: "allowList: [BTC-USDT, DOGE-USDT,")
                .replacingOccurrences(of: "app.kubernetes.io/instance: fulcrum-shard-b}\n  ports:",
                                      with: "}\n  ports:")
        }
        let result = try await Python.run(["-m", "fulcrum_tools.deploy.validate", "--fulcrum", FulcrumProcess.binary.path, "--json",
                                           "--root", copy.path], timeout: .seconds(120))
        #expect(result.status == 1)
        let errors = Operations.json(Data(result.output.utf8))["errors"] as? [String] ?? []
        for expected in ["StatefulSet fulcrum feed binance binds",
                         "StatefulSet fulcrum feed coinbase topic prefixes match cryptofeed's topics",
                         "StatefulSet fulcrum feed coinbase port exposed by a Service",
                         "StatefulSet fulcrum-shard-a and sharded.yaml: StatefulSet fulcrum-shard-b own disjoint symbols",
                         "Service fulcrum-shard-b selects one workload"] {
            #expect(errors.contains { $0.contains(expected) }, "missing \(expected) in \(errors)")
        }
        #expect(errors.count == 5, "\(errors)")
    }

    private func edit(_ file: URL, _ change: (String) -> String) throws {
        let text = try String(contentsOf: file, encoding: .utf8)
        let changed = change(text)
        try #require(changed != text, "the edit did not apply to \(file.lastPathComponent)")
        try changed.write(to: file, atomically: true, encoding: .utf8)
    }
}
