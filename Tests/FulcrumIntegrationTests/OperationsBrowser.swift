import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: commands on fd 3,
/// answers on fd 4, each a JSON text ended by a NUL byte). One page stays open while the test changes the state
/// behind it, so what the page shows later is its own doing — it was never reloaded.
final class HeadlessBrowser: @unchecked Sendable {
    // @unchecked: the pipes and the command counter are used only on `queue`; `pid` and the descriptors never change.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let pid: pid_t
    private let commands: Int32
    private let answers: Int32
    private let profile: URL
    private let queue = DispatchQueue(label: "headless-browser")
    private var nextID = 0
    private var pending: [UInt8] = []
    private var session: String?

    /// Starts `executable` headless with a window of `width` × `height`.
    init(executable: String, width: Int, height: Int) throws {
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")
        var toBrowser: [Int32] = [0, 0], fromBrowser: [Int32] = [0, 0]
        guard pipe(&toBrowser) == 0, pipe(&fromBrowser) == 0 else { throw Failure(description: "pipe: errno \(errno)") }
        // The browser must inherit only its two ends, as fds 3 and 4.
        for descriptor in toBrowser + fromBrowser { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        // Out of the way of 3 and 4, which the child's ends are moved to.
        let childRead = fcntl(toBrowser[0], F_DUPFD_CLOEXEC, 10)
        let childWrite = fcntl(fromBrowser[1], F_DUPFD_CLOEXEC, 10)
        close(toBrowser[0])
        close(fromBrowser[1])
        defer {
            close(childRead)
            close(childWrite)
        }
        commands = toBrowser[1]
        answers = fromBrowser[0]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, childRead, 3)
        posix_spawn_file_actions_adddup2(&actions, childWrite, 4)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = [
            executable, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--no-first-run", "--user-data-dir=\(profile.path)", "--window-size=\(width),\(height)", "about:blank",
        ]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, nil, &argv, environ)
        guard status == 0 else {
            close(commands)
            close(answers)
            throw Failure(description: "posix_spawn \(executable): \(status)")
        }
        pid = child
    }

    deinit {
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == 0 {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
        close(commands)
        close(answers)
        try? FileManager.default.removeItem(at: profile)
    }

    /// Opens `url` in a new page and attaches to it; later calls act on that page.
    func open(_ url: String, width: Int, height: Int) async throws {
        try await onQueue { [self] in
            let target = try call("Target.createTarget",
                                  ["url": url, "width": width, "height": height, "newWindow": true])
            guard let id = target["targetId"] as? String else { throw Failure(description: "no target: \(target)") }
            let attached = try call("Target.attachToTarget", ["targetId": id, "flatten": true])
            session = attached["sessionId"] as? String
        }
    }

    /// Evaluates `expression` (which must produce a string, or a promise of one) in the page.
    func evaluate(_ expression: String) async throws -> String {
        try await onQueue { [self] in
            let answer = try call("Runtime.evaluate", ["expression": expression, "returnByValue": true,
                                                       "awaitPromise": true], inPage: true)
            guard let result = answer["result"] as? [String: Any], let value = result["value"] as? String else {
                throw Failure(description: "evaluation gave no string: \(answer)")
            }
            return value
        }
    }

    /// A PNG of the page as it is now.
    func screenshot() async throws -> Data {
        try await onQueue { [self] in
            let answer = try call("Page.captureScreenshot", ["format": "png"], inPage: true)
            guard let text = answer["data"] as? String, let data = Data(base64Encoded: text) else {
                throw Failure(description: "no screenshot")
            }
            return data
        }
    }

    /// Asks the browser to close and waits up to 10 s for it to exit (its helper processes go with it).
    func shutDown() async throws {
        _ = try? await onQueue { [self] in _ = try call("Browser.close", [:]) }
        let deadline = ContinuousClock.now + .seconds(10)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    private func onQueue<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// Sends one command and waits (up to 20 s) for its answer, skipping events and other answers.
    private func call(_ method: String, _ parameters: [String: Any], inPage: Bool = false) throws -> [String: Any] {
        nextID += 1
        var message: [String: Any] = ["id": nextID, "method": method, "params": parameters]
        if inPage {
            guard let session else { throw Failure(description: "no page open") }
            message["sessionId"] = session
        }
        var bytes = Array(try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(commands, $0.baseAddress, $0.count) }
            guard written > 0 else { throw Failure(description: "write to the browser: errno \(errno)") }
            offset += written
        }
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            guard let text = try nextMessage(until: deadline),
                  let answer = try JSONSerialization.jsonObject(with: Data(text)) as? [String: Any],
                  answer["id"] as? Int == nextID else { continue }
            if let error = answer["error"] { throw Failure(description: "\(method): \(error)") }
            return answer["result"] as? [String: Any] ?? [:]
        }
        throw Failure(description: "\(method): no answer within 20 s")
    }

    /// The next NUL-terminated message from the browser, or `nil` at the deadline.
    private func nextMessage(until deadline: ContinuousClock.Instant) throws -> [UInt8]? {
        while true {
            if let end = pending.firstIndex(of: 0) {
                let message = Array(pending[..<end])
                pending.removeSubrange(...end)
                return message
            }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return nil }
            var descriptor = pollfd(fd: answers, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(max(1, left.components.seconds * 1_000 + 1)))
            guard ready > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(answers, $0.baseAddress, $0.count) }
            guard count > 0 else { throw Failure(description: "the browser closed its pipe") }
            pending += chunk[..<count]
        }
    }
}
