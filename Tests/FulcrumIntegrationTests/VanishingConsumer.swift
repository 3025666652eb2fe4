import Foundation

/// A consumer in its own process (Python, pyzmq) that subscribes to everything, reads as fast as it can and is
/// killed with SIGKILL mid-stream: its connection ends without a goodbye, as when a consumer's host dies.
final class VanishingConsumer {
    let process = Process()
    let countFile: URL

    init(endpoint: String) throws {
        countFile = FileManager.default.temporaryDirectory.appendingPathComponent("vanishing-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: countFile.path, contents: nil)
        // Writes how many messages it has read: at the first and then every 100th.
        let script = """
            import sys, zmq
            socket = zmq.Context().socket(zmq.SUB)
            socket.setsockopt(zmq.SUBSCRIBE, b"")
            socket.connect(sys.argv[1])
            out = open(sys.argv[2], "w", buffering=1)
            count = 0
            while True:
                socket.recv_multipart()
                count += 1
                if count == 1 or count % 100 == 0:
                    out.write(f"{count}\\n")
            """
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, endpoint, countFile.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: countFile)
    }

    /// Messages read so far (to the last hundred).
    var received: Int {
        let text = (try? String(contentsOf: countFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").last.flatMap { Int($0) } ?? 0
    }

    /// Waits until it has read at least `count` messages; false after `timeout`.
    func waitForMessages(_ count: Int, timeout: Duration = .seconds(20)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while received < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        return received >= count
    }

    /// Kills it with SIGKILL and reaps it.
    func vanish() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
