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

    @Test("config check reports every error of a file, each with its key and line, and exits 2")
    func everyError() async throws {
        let directory = try TemporaryDirectory(prefix: "fulcrum-cli")
        defer { directory.remove() }
        let file = try directory.write("""
            ingest:
              feeds: [{name: bus, endpoint: "tcp://127.0.0.1:5555", bind: true}]
            estimation:
              warmupESS: 5s
              halfLife: 1.5
            model:
              antiProcyclicality:
                mode: off
            http:
              adress: 127.0.0.1:1
            publisher:
              lingerMilliseconds: 2s
              heartbeatInterval: 5
            """, to: "bad.yaml")
        let result = try await Operations.runFulcrum(["config", "check", file], timeout: .seconds(20))
        #expect(result.status == 2, "exit \(result.status)")
        #expect(result.output.isEmpty, "no effective configuration for an invalid file: \(result.output)")
        let lines = result.error.split(separator: "\n").map(String.init)
        func line(_ key: String) -> String? {
            lines.first { $0.contains("at \(key) ") || $0.contains("at \(key):") }
        }
        let count = try #require(line("estimation.warmupESS"), "\(result.error)")
        #expect(count.contains("(line 4") && count.contains("warmupESS is a count") && count.contains("without a unit"),
                "\(count)")
        let fraction = try #require(line("estimation.halfLife"), "\(result.error)")
        #expect(fraction.contains("(line 5") && fraction.contains("nanoseconds") && fraction.contains("1.5s"),
                "\(fraction)")
        let quoted = try #require(line("model.antiProcyclicality.mode"), "\(result.error)")
        #expect(quoted.contains("(line 8") && quoted.contains(#"write "off" in quotes"#), "\(quoted)")
        let unknown = try #require(line("http.adress"), "\(result.error)")
        #expect(unknown.contains("(line 10") && unknown.contains("unknown key"), "\(unknown)")
        let milliseconds = try #require(line("publisher.lingerMilliseconds"), "\(result.error)")
        #expect(milliseconds.contains("(line 12") && milliseconds.contains("number of milliseconds")
                    && milliseconds.contains("write 2000"), "\(milliseconds)")
        // Found only once the file loads: validation, after the loader's errors were set aside.
        let heartbeat = try #require(line("publisher.heartbeatInterval"), "\(result.error)")
        #expect(heartbeat.contains("5 without a unit is 5 nanoseconds"), "\(heartbeat)")
        #expect(lines.last == "6 problems", "\(result.error)")

        // The same file less its errors is valid, and durations in units load as nanoseconds.
        let good = try directory.write("""
            ingest:
              feeds: [{name: bus, endpoint: "tcp://127.0.0.1:5555", bind: true}]
            estimation:
              warmupESS: 5
              halfLife: 1.5m
            model:
              antiProcyclicality:
                mode: "off"
            publisher:
              lingerMilliseconds: 2000
              heartbeatInterval: 5ms
            """, to: "good.yaml")
        let valid = try await Operations.runFulcrum(["config", "check", good], timeout: .seconds(20))
        #expect(valid.status == 0, "\(valid.error)")
        #expect(valid.output.contains("\"halfLife\" : 90000000000"), "\(valid.output)")
        #expect(valid.output.contains("\"heartbeatInterval\" : 5000000"), "\(valid.output)")
    }

    @Test("An environment override's error is reported with the file's, naming the variable")
    func environmentAndFileErrors() async throws {
        let directory = try TemporaryDirectory(prefix: "fulcrum-cli")
        defer { directory.remove() }
        let file = try directory.write("""
            ingest:
              feeds: [{name: bus, endpoint: "tcp://127.0.0.1:5555", bind: true}]
            http:
              sampleInterval: often
            """, to: "bad.yaml")
        let result = try await Operations.runFulcrum(["config", "check", file],
                                                     environment: ["FULCRUM__HTTP__NOPE": "1",
                                                                   "FULCRUM__ESTIMATION__WINDOW": "5m"],
                                                     timeout: .seconds(20))
        #expect(result.status == 2, "exit \(result.status)")
        #expect(result.error.contains("at http.sampleInterval (line 4"), "\(result.error)")
        #expect(result.error.contains("at FULCRUM__HTTP__NOPE"), "\(result.error)")
        #expect(result.error.contains("at estimation.window") && result.error.contains("window is a count"),
                "\(result.error)")
        #expect(result.error.contains("3 problems"), "\(result.error)")
    }

    @Test("Endpoints on the command line are checked before any socket, with the form expected")
    func endpointArguments() async throws {
        let cases: [[String]] = [
            ["watch", "127.0.0.1:7601"],
            ["watch", "tcp://127.0.0.1:7601", "--snapshot", "tcp://127.0.0.1"],
            ["watch", "tcp://127.0.0.1:99999"],
            ["proxy", "--upstream", "tcp://127.0.0.1:7601", "--backend", "localhost:7701"],
            ["record", "--out", "/tmp/never.frec", "--feed", "bus=tcp//127.0.0.1:5555"],
        ]
        for arguments in cases {
            let result = try await Operations.runFulcrum(arguments, timeout: .seconds(20))
            #expect(result.status == 64, "\(arguments): exit \(result.status) \(result.error)")
            #expect(result.error.contains("invalid endpoint") && result.error.contains("tcp://HOST:PORT"),
                    "\(arguments): \(result.error)")
        }
    }

    @Test("watch --format lines prints its column header first, and each row the age of its parameters")
    func watchLines() async throws {
        let fulcrum = try FulcrumProcess(configuration: .embeddedDefault)
        let watch = try await Operations.runFulcrum([
            "watch", fulcrum.publishEndpoint, "--snapshot", fulcrum.snapshotEndpoint, "--format", "lines",
            "--count", "6",
        ], timeout: .seconds(40))
        #expect(watch.status == 0, "watch failed: \(watch.error)\nlog:\n\(fulcrum.log)")
        let lines = watch.output.split(separator: "\n").map(String.init)
        let header = try #require(lines.first, "no output")
        #expect(header.hasPrefix("SYMBOL") && header.contains("AGE") && header.contains("REASONS"), "\(header)")
        #expect(lines.filter { $0.hasPrefix("SYMBOL") }.count == 1, "one header: \(watch.output)")
        let ageColumn = try #require(header.range(of: "AGE"))
        let rows = lines.filter { $0.hasSuffix("-USD") == false && $0.contains("-USD ") }
        #expect(rows.count >= 6, "\(watch.output)")
        for row in rows {
            // The age sits under its header, right-aligned; the simulated market's event time is the wall clock's,
            // so every age is under a few seconds (grid of 1 s).
            let end = row.index(row.startIndex, offsetBy: header.distance(from: header.startIndex,
                                                                        to: ageColumn.upperBound))
            let age = row[..<end].split(separator: " ").last.map(String.init) ?? ""
            let seconds: Double? = age.hasSuffix("ms") ? Double(age.dropLast(2)).map { $0 / 1_000 }
                : age.hasSuffix("s") ? Double(age.dropLast()) : nil
            let value = try #require(seconds, "no age in \(row) (got \(age))")
            #expect(value >= 0 && value < 10, "\(row)")
        }
        _ = try await fulcrum.stop()
    }
}
