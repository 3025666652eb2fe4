import Foundation
import FulcrumTestSupport
import Testing

/// The command line's own edges, through the binary: exit codes and what is printed are the point.
@Suite("The fulcrum command line", .serialized, .timeLimit(.minutes(2)))
struct CommandLineTests {
    @Test("A mistyped command is an error naming the commands and the closest one, not an argument of run")
    func unknownCommand() async throws {
        let result = try await Operations.runFulcrum(["wacth", "tcp://127.0.0.1:7601"], timeout: .seconds(20))
        #expect(result.status == 64, "exit \(result.status)")
        #expect(result.error.contains("unknown command 'wacth'"), "\(result.error)")
        #expect(result.error.contains("Did you mean 'watch'?"), "\(result.error)")
        #expect(result.error.contains("run, watch, keygen, config"), "\(result.error)")
        #expect(!result.error.contains("USAGE: fulcrum run"), "run's usage is not the answer: \(result.error)")
    }

    @Test("run is implied before its own options: fulcrum --config FILE runs the file")
    func impliedRun() async throws {
        // A file that fails validation shows the options reached `run` (its loader answered), with exit 1.
        let directory = try TemporaryDirectory(prefix: "fulcrum-cli")
        defer { directory.remove() }
        let file = try directory.write("""
            ingest:
              feeds: [{name: bus, endpoint: "tcp://127.0.0.1:5555", bind: true}]
            shutdownTimeout: 1ms
            """, to: "bad.yaml")
        let result = try await Operations.runFulcrum(["--config", file], timeout: .seconds(20))
        #expect(result.status != 0)
        #expect(result.error.contains("shutdownTimeout"), "\(result.error)")
    }

    @Test("A missing configuration file is one clear line naming the path and the reason")
    func missingFile() async throws {
        let result = try await Operations.runFulcrum(["config", "check", "/nonexistent/fulcrum.yaml"],
                                                     timeout: .seconds(20))
        #expect(result.status != 0)
        let lines = result.error.split(separator: "\n")
        #expect(lines.count == 1, "\(result.error)")
        #expect(result.error.contains("/nonexistent/fulcrum.yaml") && result.error.contains("No such file or directory"),
                "\(result.error)")
        #expect(!result.error.contains("NSCocoaErrorDomain"), "\(result.error)")
    }
}
