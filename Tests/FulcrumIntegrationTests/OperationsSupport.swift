import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import FulcrumTestSupport
import Testing

/// Helpers of the operations tests: HTTP against the real process, other subcommands.
enum Operations {
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

    /// Runs the built `fulcrum` binary with `arguments` to completion, from the package root.
    static func runFulcrum(_ arguments: [String], environment: [String: String] = [:],
                           timeout: Duration = .seconds(60)) async throws
        -> (status: Int32, output: String, error: String) {
        try await runToCompletion(FulcrumProcess.binary, arguments, environment: environment,
                                  directory: repositoryRoot, timeout: timeout)
    }

    /// The sqlite3 shell, if installed (Debian package `sqlite3`): reads checkpoint databases.
    static let sqlite3: String? = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The stored checkpoint's metadata (see `CheckpointStore` for the schema), read with the sqlite3 shell;
    /// `nil` when the file holds none.
    static func checkpoint(at path: String) async throws -> CheckpointRow? {
        let shell = try #require(sqlite3, "sqlite3 is not installed (Debian: apt-get install sqlite3)")
        let query = "SELECT boundary_ns, steps_run, epoch, written_at_ns FROM checkpoint WHERE id = 1"
        let result = try await runToCompletion(URL(fileURLWithPath: shell), [path, query], timeout: .seconds(20))
        try #require(result.status == 0, "sqlite3 failed: \(result.error)")
        let fields = result.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|")
        guard fields.count == 4, let boundary = Int64(fields[0]), let steps = UInt64(fields[1]),
              let epoch = Int64(fields[2]), let written = Int64(fields[3]) else { return nil }
        return CheckpointRow(boundary: boundary, stepsRun: steps, epoch: UInt64(bitPattern: epoch), writtenAt: written)
    }

    /// Whether something accepts tcp connections on `127.0.0.1:port`.
    static func acceptsConnections(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        } == 0
    }

    /// Wall-clock now, ns since the Unix epoch (the clock checkpoints record their writing time in).
    static var wallClockNanoseconds: Int64 { Int64((Date().timeIntervalSince1970 * 1e9).rounded()) }

    /// Seconds of a duration, for messages and generous bounds.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Headless Chromium, if installed (Debian package `chromium`).
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// The metadata columns of the one row of a checkpoint database.
struct CheckpointRow: Equatable {
    /// The last closed grid boundary the checkpoint holds, ns (event time).
    var boundary: Int64
    /// Grid steps run up to it.
    var stepsRun: UInt64
    /// Publisher epoch of the process that wrote it.
    var epoch: UInt64
    /// When it was written, wall clock, ns.
    var writtenAt: Int64
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
        process.terminateAndWait()
        try? FileManager.default.removeItem(at: logFile)
    }

    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// Sends `signal` and waits up to `timeout` for the exit; returns the exit status.
    func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(15)) async throws -> Int32 {
        try await process.stop(signal: signal, timeout: timeout)
    }
}
