import Foundation
import FulcrumService
import FulcrumTestSupport
import Testing

@Suite("Operations: the Prometheus exposition", .serialized, .timeLimit(.minutes(3)))
struct OperationsPrometheusTests {
    /// promtool, from Debian's `prometheus` package (`.ci/run` installs it).
    static let promtool = URL(fileURLWithPath: "/usr/bin/promtool")

    @Test("Every family of a live scrape has HELP text and promtool check metrics accepts the scrape")
    func exposition() async throws {
        let scenario = try OperationsScenario()
        let connected = try await scenario.connect()
        try #require(connected, "fulcrum never received a tick; log:\n\(scenario.fulcrum.log)")
        try scenario.advance(20)
        try #require(try await scenario.settle(), "log:\n\(scenario.fulcrum.log)")
        let answer = try #require(await Operations.get(scenario.httpBase + "/metrics", session: scenario.session))
        let text = String(decoding: answer.body, as: UTF8.self)

        let families = Self.names(after: "# TYPE ", in: text)
        let helped = Self.names(after: "# HELP ", in: text)
        #expect(families.count >= 30, "\(families.sorted())")
        #expect(families.subtracting(helped).isEmpty, "families without HELP: \(families.subtracting(helped).sorted())")
        // The standard process metrics, read from /proc: this process is the one serving them.
        let samples = PrometheusSamples(text)
        #expect((samples.value("process_resident_memory_bytes") ?? 0) > 1_000_000)
        #expect((samples.value("process_cpu_seconds_total") ?? 0) > 0)
        #expect((samples.value("process_open_fds") ?? 0) >= 3)
        let started = samples.value("process_start_time_seconds") ?? 0
        #expect(started > Date().timeIntervalSince1970 - 3_600 && started <= Date().timeIntervalSince1970 + 1)

        try #require(FileManager.default.isExecutableFile(atPath: Self.promtool.path),
                     "promtool is missing: apt-get install prometheus")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-scrape-\(UUID()).prom")
        defer { try? FileManager.default.removeItem(at: file) }
        try answer.body.write(to: file)
        // promtool reads the exposition on standard input.
        let result = try await runToCompletion(URL(fileURLWithPath: "/bin/sh"),
                                               ["-c", "\(Self.promtool.path) check metrics < \(file.path)"],
                                               timeout: .seconds(30))
        #expect(result.status == 0, "promtool: \(result.output)\(result.error)")
        #expect(try await scenario.fulcrum.stop() == 0)
    }

    @Test("One build identity everywhere: --version, the build_info gauge, /health; the ready gauge follows /ready")
    func buildIdentityAndReadiness() async throws {
        let printed = try await Operations.runFulcrum(["--version"])
        #expect(printed.status == 0, "\(printed.error)")
        // `VERSION (COMMIT)`: a semantic version and 12 hex digits, `-modified` on a tree with local changes.
        let match = try #require(printed.output.wholeMatch(
            of: /(\d+\.\d+\.\d+) \(([0-9a-f]{12}(-modified)?|unknown)\)\n/), "printed \(printed.output)")
        let (version, commit) = (String(match.1), String(match.2))
        let verbose = try await Operations.runFulcrum(["version", "--verbose"])
        #expect(verbose.output.contains("swift-log"), "\(verbose.output)")
        // Images are tagged with the version, and the manifests run that tag.
        for manifest in ["deploy/kubernetes/fulcrum.yaml", "deploy/kubernetes/sharded.yaml", "deploy/docker-compose.yml",
                         "deploy/Dockerfile"] {
            let text = try String(contentsOf: repositoryRoot.appendingPathComponent(manifest), encoding: .utf8)
            let tags = text.matches(of: /image: fulcrum:(\S+)/).map { String($0.1) }
                + text.matches(of: /image\.version="([^"]+)"/).map { String($0.1) }
            #expect(!tags.isEmpty && tags.allSatisfy { $0 == version }, "\(manifest): \(tags), version \(version)")
        }

        let scenario = try OperationsScenario()
        let connected = try await scenario.connect()
        try #require(connected, "fulcrum never received a tick; log:\n\(scenario.fulcrum.log)")
        #expect(scenario.fulcrum.log.split(separator: "\n").first?.contains("fulcrum \(version)") == true,
                "the first log line names the version: \(scenario.fulcrum.log.prefix(300))")
        #expect(await scenario.metric("fulcrum_build_info", ["version": version, "commit": commit]) == 1)
        let health = try #require(await Operations.get(scenario.httpBase + "/health", session: scenario.session))
        let document = Operations.json(health.body)
        #expect(document["version"] as? String == version && document["commit"] as? String == commit, "\(document)")

        #expect(await scenario.metric("fulcrum_ready") == 0, "warming up: not ready")
        let ready = try await OperationsHTTPTests.tickUntilReady(scenario)
        #expect(ready?.status == 200)
        let deadline = ContinuousClock.now + .seconds(10)
        while await scenario.metric("fulcrum_ready") != 1, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(await scenario.metric("fulcrum_ready") == 1)
        #expect(try await scenario.fulcrum.stop() == 0)
    }

    @Test("The alert rules and the Grafana dashboard parse, and name only metrics a live scrape exports")
    func alertsAndDashboard() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.promtool.path),
                     "promtool is missing: apt-get install prometheus")
        let alerts = repositoryRoot.appendingPathComponent("deploy/prometheus/alerts.yaml")
        let checked = try await runToCompletion(Self.promtool, ["check", "rules", alerts.path], timeout: .seconds(30))
        #expect(checked.status == 0, "promtool: \(checked.output)\(checked.error)")

        // Each panel query, its template variables set to match everything, as a recording rule: promtool then
        // parses every expression of the dashboard.
        let dashboard = try JSONSerialization.jsonObject(with: Data(contentsOf: repositoryRoot.appendingPathComponent(
            "deploy/grafana/fulcrum.json"))) as? [String: Any] ?? [:]
        let panels = dashboard["panels"] as? [[String: Any]] ?? []
        let queries = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        #expect(queries.count >= 20, "\(queries.count) queries")
        var rules = "groups:\n  - name: dashboard\n    rules:\n"
        for (index, query) in queries.enumerated() {
            let expanded = query.replacing("$instance", with: ".*").replacing("$symbol", with: ".*")
            // A YAML single-quoted scalar: a quote is written twice.
            rules += "      - record: dashboard:query_\(index)\n        expr: '\(expanded.replacing("'", with: "''"))'\n"
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-dashboard-\(UUID()).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try rules.write(to: file, atomically: true, encoding: .utf8)
        let parsed = try await runToCompletion(Self.promtool, ["check", "rules", file.path], timeout: .seconds(30))
        #expect(parsed.status == 0, "promtool: \(parsed.output)\(parsed.error)")

        // A scrape of a checkpointing instance past warm-up exports every family the expressions name.
        let directory = try TemporaryDirectory()
        let scenario = try OperationsScenario {
            $0.writeCheckpoints(to: directory.path("checkpoint.sqlite"), every: FulcrumConfiguration.second)
        }
        let connected = try await scenario.connect()
        try #require(connected, "fulcrum never received a tick; log:\n\(scenario.fulcrum.log)")
        _ = try await OperationsHTTPTests.tickUntilReady(scenario)
        let answer = try #require(await Operations.get(scenario.httpBase + "/metrics", session: scenario.session))
        let exported = Self.names(after: "# TYPE ", in: String(decoding: answer.body, as: UTF8.self))
        // Protocol-health families exist only with health on: ProtocolHealthOperationsTests checks those.
        let named = try Self.namedMetrics().filter { !$0.hasPrefix("fulcrum_health_") }
        let missing = Self.missing(named, from: exported)
        #expect(missing.isEmpty, "named but not exported: \(missing.sorted())")
        #expect(try await scenario.fulcrum.stop() == 0)
    }

    /// Every metric name the alert rules and the dashboard's panel queries mention.
    static func namedMetrics() throws -> Set<String> {
        let alerts = try String(contentsOf: repositoryRoot.appendingPathComponent("deploy/prometheus/alerts.yaml"),
                                encoding: .utf8)
        let dashboard = try JSONSerialization.jsonObject(with: Data(contentsOf: repositoryRoot.appendingPathComponent(
            "deploy/grafana/fulcrum.json"))) as? [String: Any] ?? [:]
        let panels = dashboard["panels"] as? [[String: Any]] ?? []
        let queries = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        return Set((queries + [alerts]).flatMap { $0.matches(of: /fulcrum_[a-z_]+/).map { String($0.0) } })
    }

    /// The names of `named` that a scrape exporting the families `exported` lacks (a histogram's `_bucket`,
    /// `_sum` and `_count` series count as its family).
    static func missing(_ named: Set<String>, from exported: Set<String>) -> Set<String> {
        let histogramSeries = ["_bucket", "_sum", "_count"]
        return named.filter { name in
            !exported.contains(name) && !histogramSeries.contains { name.hasSuffix($0) && exported.contains(
                String(name.dropLast($0.count))) }
        }
    }

    /// The metric names on lines starting with `prefix`.
    static func names(after prefix: String, in text: String) -> Set<String> {
        Set(text.split(separator: "\n").filter { $0.hasPrefix(prefix) }.compactMap {
            $0.dropFirst(prefix.count).split(separator: " ").first.map(String.init)
        })
    }
}
