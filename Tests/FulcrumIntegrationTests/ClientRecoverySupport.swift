import Foundation
import FulcrumProtocol
import RiskFeed
import Synchronization
import ZeroMQ

/// A long-running child process whose standard output is collected line by line while it runs, so a test can
/// wait for what it prints without waiting for it to exit.
final class StreamingProcess: Sendable {
    /// What a pipe delivered, shared with its reader callback.
    final class Collected: Sendable {
        let state = Mutex<(pending: Data, lines: [String], raw: Data)>((Data(), [], Data()))

        func append(_ data: Data) {
            state.withLock { buffer in
                buffer.raw.append(data)
                buffer.pending.append(data)
                while let newline = buffer.pending.firstIndex(of: UInt8(ascii: "\n")) {
                    buffer.lines.append(String(decoding: buffer.pending[..<newline], as: UTF8.self))
                    buffer.pending.removeSubrange(...newline)
                }
            }
        }
    }

    private let process: Process
    private let output = Collected()
    private let errors = Collected()

    init(_ executable: URL, _ arguments: [String], directory: URL? = nil) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        self.process = process
        for (pipe, collected) in [(stdout, output), (stderr, errors)] {
            pipe.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                if data.isEmpty { handle.readabilityHandler = nil }
                collected.append(data)
            }
        }
        try process.run()
    }

    deinit {
        // SIGKILL: a child started from a worker thread may have SIGTERM blocked, and cleanup must not hang.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Complete lines printed so far.
    var lines: [String] { output.state.withLock { $0.lines } }
    /// What the process wrote to standard error so far.
    var errorText: String { String(decoding: errors.state.withLock { $0.raw }, as: UTF8.self) }
    var isRunning: Bool { process.isRunning }

    /// Waits until `condition` holds for the lines printed so far, or `timeout` passes; returns whether it held.
    func wait(timeout: Duration, until condition: ([String]) -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(lines) { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return condition(lines)
    }

    /// Sends `signal` and waits up to `timeout` for the exit; true if it exited.
    func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(10)) async throws -> Bool {
        kill(process.processIdentifier, signal)
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        // Give the reader the last bytes of the pipe.
        try await Task.sleep(for: .milliseconds(200))
        return !process.isRunning
    }
}

/// The events an in-process ``RiskFeedClient`` reported, each with when it was seen.
final class ClientEventRecorder: Sendable {
    let events = Mutex<[(at: ContinuousClock.Instant, event: RiskFeedEvent)]>([])

    /// Collects the client's events until its stream ends.
    func follow(_ client: RiskFeedClient) -> Task<Void, Never> {
        Task { for await event in client.events { self.record(event) } }
    }

    func record(_ event: RiskFeedEvent) { events.withLock { $0.append((.now, event)) } }

    var all: [(at: ContinuousClock.Instant, event: RiskFeedEvent)] { events.withLock { $0 } }
}

/// A publisher the test plays by hand: a real XPUB and a real snapshot ROUTER, each message sent when the script
/// says, so that gaps, lost updates, restarts and unanswered requests happen on cue. Used from one test task.
final class ScriptedPublisher {
    let context: ZMQContext
    let publisher: Socket
    let router: Socket
    let publishEndpoint: String
    let snapshotEndpoint: String

    init() throws {
        context = try ZMQContext()
        publisher = try Socket(context: context, type: .xpub)
        router = try Socket(context: context, type: .router)
        for socket in [publisher, router] {
            try socket.setLinger(milliseconds: 0)
            try socket.bind("tcp://127.0.0.1:*")
        }
        publishEndpoint = try publisher.lastEndpoint
        snapshotEndpoint = try router.lastEndpoint
    }

    deinit {
        publisher.close()
        router.close()
    }

    /// Waits for a subscription, so that nothing published afterwards is lost to the slow joiner.
    func waitForSubscriber() async throws -> Bool {
        while let frames = try await Self.receive(publisher) {
            if frames.first?.first == 1 { return true }
        }
        return false
    }

    /// The routing id of the next snapshot request, or `nil` after the receive timeout.
    func nextRequest(timeout: Duration = .seconds(10)) async throws -> [UInt8]? {
        guard let frames = try await Self.receive(router, timeout: timeout), frames.count == 2 else { return nil }
        return frames[0]
    }

    /// The next message, or `nil` after `timeout`. Polls without blocking: a blocked test task would hold one of
    /// the few cooperative threads the client under test needs to start.
    static func receive(_ socket: Socket, timeout: Duration = .seconds(10)) async throws -> [[UInt8]]? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let frames = try socket.receiveMultipart(wait: false) { return frames }
            try await Task.sleep(for: .milliseconds(5))
        }
        return try socket.receiveMultipart(wait: false)
    }

    func publish(_ symbol: String, imf: Double, epoch: UInt64, sequence: UInt64) throws {
        try publisher.send(multipart: [Array("risk.\(symbol)".utf8), try Self.parameters(symbol, imf: imf, epoch: epoch),
                                       SequenceFrame.encode(sequence)])
    }

    func heartbeat(epoch: UInt64, sequence: UInt64) throws {
        var beat = Fulcrum_V1_Heartbeat()
        beat.publisherEpoch = epoch
        beat.sequence = sequence
        beat.intervalMs = 500
        try publisher.send(multipart: [Array("hb".utf8), try beat.serializedBytes(), SequenceFrame.encode(sequence)])
    }

    /// A whole snapshot reply: one item per symbol, then the end.
    func reply(to peer: [UInt8], _ items: [(symbol: String, imf: Double)], epoch: UInt64, sequence: UInt64) throws {
        for item in items { try replyItem(to: peer, item.symbol, imf: item.imf, epoch: epoch, sequence: sequence) }
        try replyEnd(to: peer, epoch: epoch, sequence: sequence)
    }

    /// One item of a snapshot reply, so that a test can cut a reply short.
    func replyItem(to peer: [UInt8], _ symbol: String, imf: Double, epoch: UInt64, sequence: UInt64) throws {
        try router.send(multipart: [peer, Array("risk.\(symbol)".utf8), try Self.parameters(symbol, imf: imf, epoch: epoch),
                                    SequenceFrame.encode(sequence)])
    }

    /// The `snapshot.end` closing a reply.
    func replyEnd(to peer: [UInt8], epoch: UInt64, sequence: UInt64) throws {
        var end = Fulcrum_V1_SnapshotEnd()
        end.publisherEpoch = epoch
        end.sequence = sequence
        try router.send(multipart: [peer, Array("snapshot.end".utf8), try end.serializedBytes(),
                                    SequenceFrame.encode(sequence)])
    }

    static func parameters(_ symbol: String, imf: Double, epoch: UInt64) throws -> [UInt8] {
        try parametersMessage(symbol, imf: imf, epoch: epoch).serializedBytes()
    }

    static func parametersMessage(_ symbol: String, imf: Double, epoch: UInt64) -> WireRiskParameters {
        var message = WireRiskParameters()
        message.symbol = symbol
        message.imf = imf
        message.publisherEpoch = epoch
        return message
    }
}
