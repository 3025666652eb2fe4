import Foundation
import FulcrumService
import FulcrumTestSupport
import Testing
import ZeroMQ

/// A real `fulcrum` process spawned from the built binary, with its own configuration file.
final class FulcrumProcess {
    /// The binary the tests spawn: `$FULCRUM_BINARY`, or the debug build of this package.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["FULCRUM_BINARY"] { return URL(fileURLWithPath: path) }
        return repositoryRoot.appendingPathComponent(".build/debug/fulcrum")
    }

    let process = Process()
    let directory: URL
    let logFile: URL
    let publishEndpoint: String
    let snapshotEndpoint: String

    /// Starts `fulcrum run` with `configuration` written to its configuration file (none: the embedded default),
    /// its publisher bound on the loopback interface at `publisherPorts` (publish, snapshot; two free ports unless
    /// given) and its HTTP endpoint at `httpPort` (0: a free port the kernel picks, as tests run in parallel).
    init(configuration: FulcrumConfiguration?, publisherPorts: [Int]? = nil, httpPort: Int = 0,
         arguments: [String] = []) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let ports = try publisherPorts ?? FreePorts.take(2)
        publishEndpoint = "tcp://127.0.0.1:\(ports[0])"
        snapshotEndpoint = "tcp://127.0.0.1:\(ports[1])"
        let httpAddress = "127.0.0.1:\(httpPort)"
        logFile = directory.appendingPathComponent("fulcrum.log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        var runArguments = ["run", "--log-level", "debug"]
        var environment = ProcessInfo.processInfo.environment
        if var configuration {
            configuration.publisher.publishEndpoint = publishEndpoint
            configuration.publisher.snapshotEndpoint = snapshotEndpoint
            configuration.http.address = httpAddress
            let configFile = directory.appendingPathComponent("fulcrum.yaml")
            try configuration.writeConfigurationFile(to: configFile.path)
            runArguments += ["--config", configFile.path]
        } else {
            // The embedded default has no file to write them in.
            environment["FULCRUM__PUBLISHER__PUBLISH_ENDPOINT"] = publishEndpoint
            environment["FULCRUM__PUBLISHER__SNAPSHOT_ENDPOINT"] = snapshotEndpoint
            environment["FULCRUM__HTTP__ADDRESS"] = httpAddress
        }
        process.executableURL = Self.binary
        process.arguments = runArguments + arguments
        process.environment = environment
        let handle = try FileHandle(forWritingTo: logFile)
        process.standardError = handle
        process.standardOutput = handle
        try process.run()
    }

    deinit {
        process.terminateAndWait()
        try? FileManager.default.removeItem(at: directory)
    }

    /// What the process logged so far.
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// Sends `signal` and waits up to `timeout` for the exit; returns the exit status.
    func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(15)) async throws -> Int32 {
        try await process.stop(signal: signal, timeout: timeout)
    }
}

extension Process {
    /// Sends `signal` and waits up to `timeout` for the exit, then terminates the process if it still runs (an
    /// issue of the test); returns the exit status.
    func stop(signal: Int32, timeout: Duration) async throws -> Int32 {
        kill(processIdentifier, signal)
        let deadline = ContinuousClock.now + timeout
        while isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!isRunning, "\(executableURL?.lastPathComponent ?? "the process") did not exit within \(timeout)")
        if isRunning { terminate() }
        waitUntilExit()
        return terminationStatus
    }

    /// Terminates the process if it still runs and waits for its exit.
    func terminateAndWait() {
        guard isRunning else { return }
        terminate()
        waitUntilExit()
    }
}

/// Finds free tcp ports on the loopback interface by letting the kernel choose.
enum FreePorts {
    static func take(_ count: Int) throws -> [Int] {
        let context = try ZMQContext()
        var sockets: [Socket] = []
        var ports: [Int] = []
        for _ in 0..<count {
            let socket = try Socket(context: context, type: .pair)
            try socket.setLinger(milliseconds: 0)
            try socket.bind("tcp://127.0.0.1:*")
            let endpoint = try socket.lastEndpoint
            ports.append(Int(endpoint.split(separator: ":").last ?? "") ?? 0)
            sockets.append(socket)
        }
        for socket in sockets { socket.close() }
        return ports
    }
}

/// Runs a program to completion (or `timeout`, after which it is terminated) and captures its output, read
/// while it runs so that a full pipe never blocks it.
func runToCompletion(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                     directory: URL? = nil, timeout: Duration) async throws
    -> (status: Int32, output: String, error: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let output = Pipe(), error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    async let outputData = output.fileHandleForReading.readToEndOnThread()
    async let errorData = error.fileHandleForReading.readToEndOnThread()
    let deadline = ContinuousClock.now + timeout
    while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: await outputData, as: UTF8.self),
            String(decoding: await errorData, as: UTF8.self))
}

/// Runs a Python script from the repository and returns its standard output.
enum Python {
    static func run(_ arguments: [String], timeout: Duration = .seconds(60)) async throws
        -> (status: Int32, output: String, error: String) {
        try await runToCompletion(URL(fileURLWithPath: "/usr/bin/env"), ["python3"] + arguments,
                                  directory: repositoryRoot, timeout: timeout)
    }
}
