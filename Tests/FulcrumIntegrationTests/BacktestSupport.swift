import Foundation
import FulcrumTestSupport
import Testing

/// Runs one `fulcrum` command to completion (backtest, record --from) and captures its output.
enum FulcrumCommandLine {
    static func run(_ arguments: [String], timeout: Duration = .seconds(240)) async throws
        -> (status: Int32, output: String, error: String) {
        try await runFulcrumBinary(arguments, timeout: timeout)
    }
}

extension TemporaryDirectory {
    /// The JSON object in `name` inside the directory.
    func json(_ name: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data(name)) as? [String: Any])
    }
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
