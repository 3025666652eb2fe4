import FulcrumService
import Logging

/// A Fulcrum application running in the test process from `init` until ``stop()``: ``InProcessFulcrum`` for
/// scenarios that outlive one closure (a fixture object that several helpers drive).
///
/// The application runs in a task under swift-service-lifecycle's test kit, with real sockets and its real HTTP
/// endpoint; ``stop()`` triggers the graceful shutdown SIGTERM would and waits for every service to end.
public final class InProcessHost: Sendable {
    /// What the application logged, at debug level and above.
    public let capture = LogCapture()
    private let running: Task<Void, any Error>
    private let release: AsyncStream<Void>.Continuation

    /// Starts `configuration` as it is (its endpoints and HTTP address included).
    public init(configuration: FulcrumConfiguration) {
        let (released, release) = AsyncStream<Void>.makeStream()
        self.release = release
        let logger = capture.logger(level: .debug)
        running = Task {
            try await InProcessFulcrum.run(configuration, logger: logger) { _ in
                for await _ in released {}
            }
        }
    }

    deinit {
        release.finish()
    }

    /// What the application logged so far, one line per record: `level message key=value …`.
    public var log: String {
        capture.records.map { record in
            let metadata = record.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return ([record.level.rawValue, record.message] + metadata).joined(separator: " ")
        }.joined(separator: "\n")
    }

    /// Shuts the application down gracefully and waits for it; returns the status the binary would exit with:
    /// 0 after a clean shutdown, 1 when the application failed (the error is logged into ``log``).
    @discardableResult
    public func stop() async -> Int32 {
        release.finish()
        do {
            try await running.value
            return 0
        } catch {
            capture.append(.init(level: .error, message: "application failed: \(error)", metadata: [:]))
            return 1
        }
    }
}
