import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Helpers of the operations tests: HTTP against the real process, other subcommands, Prometheus text.
enum Operations {
    /// Relative comparison of computed floating-point values: |a − b| ≤ tolerance · max(|a|, |b|).
    static func isApproximatelyEqual(_ a: Double, _ b: Double, relativeTolerance: Double = 1e-9) -> Bool {
        if a == b { return true }
        guard a.isFinite, b.isFinite else { return false }
        return abs(a - b) <= relativeTolerance * max(abs(a), abs(b))
    }

    /// A session without caches or shared state.
    static func session() -> URLSession { URLSession(configuration: .ephemeral) }

    /// One GET; `nil` while nothing listens yet.
    static func get(_ url: String, session: URLSession) async -> (status: Int, body: Data)? {
        guard let url = URL(string: url), let (body, response) = try? await session.data(from: url),
              let http = response as? HTTPURLResponse else { return nil }
        return (http.statusCode, body)
    }

    /// GETs `url` until `accept` holds for the answer or `timeout` passes; returns the last answer.
    @discardableResult
    static func poll(_ url: String, session: URLSession, timeout: Duration = .seconds(30),
                     until accept: (Int, Data) -> Bool) async throws -> (status: Int, body: Data)? {
        let deadline = ContinuousClock.now + timeout
        var last: (status: Int, body: Data)?
        while ContinuousClock.now < deadline {
            last = await get(url, session: session)
            if let last, accept(last.status, last.body) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        return last
    }

    /// The JSON object at `url`, or an empty one.
    static func json(_ data: Data) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    /// Samples of the Prometheus text format keyed by `name{label="value",…}`, labels sorted.
    static func samples(_ text: String) -> [String: Double] {
        var values: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            var series = String(line[..<space])
            if let open = series.firstIndex(of: "{") {
                let labels = series[series.index(after: open)..<series.index(before: series.endIndex)]
                    .split(separator: ",").map(String.init).sorted()
                series = String(series[..<open]) + "{" + labels.joined(separator: ",") + "}"
            }
            values[series] = value
        }
        return values
    }

    /// The key of a series in ``samples(_:)``.
    static func series(_ name: String, _ labels: [String: String] = [:]) -> String {
        guard !labels.isEmpty else { return name }
        return name + "{" + labels.map { "\($0.key)=\"\($0.value)\"" }.sorted().joined(separator: ",") + "}"
    }

    /// Runs the built `fulcrum` binary with `arguments` to completion, from the package root.
    static func runFulcrum(_ arguments: [String], environment: [String: String] = [:],
                           timeout: Duration = .seconds(60)) async throws
        -> (status: Int32, output: String, error: String) {
        try await runToCompletion(FulcrumProcess.binary, arguments, environment: environment,
                                  directory: FulcrumProcess.packageRoot, timeout: timeout)
    }

    /// Headless Chromium, if installed (Debian package `chromium`).
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// A long-running `fulcrum` subcommand other than `run` (e.g. `proxy`), stopped by a signal.
final class FulcrumCommandProcess {
    let process = Process()
    let logFile: URL

    init(_ arguments: [String]) throws {
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        process.executableURL = FulcrumProcess.binary
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: logFile)
    }

    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// Sends `signal` and waits up to `timeout` for the exit; returns the exit status.
    func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(15)) async throws -> Int32 {
        kill(process.processIdentifier, signal)
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!process.isRunning, "the process did not exit within \(timeout)")
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
