import Foundation
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

    /// The metric names on lines starting with `prefix`.
    static func names(after prefix: String, in text: String) -> Set<String> {
        Set(text.split(separator: "\n").filter { $0.hasPrefix(prefix) }.compactMap {
            $0.dropFirst(prefix.count).split(separator: " ").first.map(String.init)
        })
    }
}
