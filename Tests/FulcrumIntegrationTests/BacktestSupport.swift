import Foundation
import Testing

/// Runs one `fulcrum` command to completion (backtest, record --from) and captures its output.
enum FulcrumCommandLine {
    static func run(_ arguments: [String], timeout: Duration = .seconds(240)) async throws
        -> (status: Int32, output: String, error: String) {
        try await runFulcrumBinary(arguments, timeout: timeout)
    }
}

/// A temporary directory for one backtest test, removed with `remove()`.
struct BacktestDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-backtest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func write(_ text: String, to name: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    func data(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path(name))) }

    func json(_ name: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data(name)) as? [String: Any])
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Reads the `--updates-out` file of `fulcrum backtest`: one JSON object per update.
enum BacktestUpdates {
    static func read(_ path: String) throws -> [(topic: String, payload: [UInt8])] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let topic = try #require(object["topic"] as? String)
            let payload = try #require((object["payload"] as? String).flatMap { Data(base64Encoded: $0) })
            return (topic, [UInt8](payload))
        }
    }
}

extension Double {
    /// |self − other| ≤ relativeTolerance · max(|self|, |other|).
    func isClose(to other: Double, relativeTolerance: Double) -> Bool {
        self == other || abs(self - other) <= relativeTolerance * Swift.max(abs(self), abs(other))
    }
}
